"""Until a remedy is approved, nothing the customer sees tells them the outcome (DOMAIN.md step 7):
not a note, a call, the customer's reply or what we ask of them, and not an amount written in
Chinese numerals (三百元, 两千, 叁佰伍拾)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casesteps import to_approved, to_assigned, to_proposed
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.numerals import chinese_amounts, read_integer
from kesu_desk.domain.vocabulary import Status, Visibility
from kesu_desk.i18n import describe
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def to_returned(desk: Desk, view: CaseView, remedy: str = "compensation", amount: str | None = "300") -> CaseView:
    view = to_proposed(desk, view, remedy=remedy, amount=amount)
    return cases.return_proposal(desk, "sup", view.number, comment="再评估", version=view.version)


def refused(call: Callable[[], object]) -> str:
    """Run a use case that must be refused for telling the outcome; the words it named."""
    with pytest.raises(WorkflowError) as error:
        call()
    assert error.value.code == "reveals_outcome"
    found: str = error.value.params["found"]
    assert found in describe(error.value, "zh")  # the agent sees which words to rephrase
    return found


# -- amounts in Chinese numerals -------------------------------------------------------------------

# text, pending amount, the words the refusal names
CHINESE_AMOUNTS = [
    ("我们会给您三百元", "300", "三百"),
    ("可以给您三百五十元", "350", "三百五十"),
    ("大概两千左右", "2000", "两千"),
    ("一千二百元已经申请", "1200", "一千二百"),
    ("1千2没问题", "1200", "1千2"),
    ("壹佰圆整", "100", "壹佰"),
    ("三百块，您看行吗", "300", "三百"),
    ("叁佰伍拾元整", "350", "叁佰伍拾"),
    ("三百五应该可以", "350", "三百五"),
    ("大约1.2万", "12000", "1.2万"),
    ("共三百五十元五角", "350.50", "三百五十元五角"),
]


@pytest.mark.parametrize(("text", "amount", "named"), CHINESE_AMOUNTS)
def test_an_amount_in_chinese_numerals_is_refused_and_nothing_is_written(
    desk: Desk, register: Register, text: str, amount: str, named: str
) -> None:
    view = to_proposed(desk, register(), remedy="compensation", amount=amount)
    assert refused(lambda: cases.add_note(desk, "ag", view.number, text=text,
                                          visibility=Visibility.CUSTOMER)) == named
    assert refused(lambda: cases.log_call(desk, "ag", view.number, summary=text)) == named
    assert cases.get_case(desk, view.number) == view  # nothing written
    # Inside the company the amount may be discussed.
    cases.add_note(desk, "ag", view.number, text=text, visibility=Visibility.INTERNAL)


@pytest.mark.parametrize(("text", "amount", "_named"), CHINESE_AMOUNTS)
def test_once_approved_the_amount_may_be_told(
    desk: Desk, register: Register, text: str, amount: str, _named: str
) -> None:
    view = to_proposed(desk, register(), remedy="compensation", amount=amount)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    if view.status is Status.PROPOSED:  # above the threshold: a manager approves too
        view = cases.approve(desk, "mgr", view.number, version=view.version)
    assert view.status is Status.APPROVED
    view = cases.add_note(desk, "ag", view.number, text=text, visibility=Visibility.CUSTOMER)
    view = cases.record_customer_answer(desk, "ag", view.number, agrees=True, comment=text,
                                        version=view.version)
    assert [e.comment for e in view.timeline[-2:]] == [text, text]


def test_ordinary_words_dates_and_case_numbers_are_not_amounts(desk: Desk, register: Register) -> None:
    texts = [
        "请您稍等一下，我们一定尽快答复，万一有问题请随时来电，千万别着急",
        "十分抱歉给您添麻烦了，一些细节还在核实",
        "我们会在十一月二十五日前答复，大约七八天",
        "今天十二点三十分已回电",
    ]
    for amount in ("1", "2", "10", "11", "12", "25", "30", "78"):
        view = to_proposed(desk, register(), remedy="compensation", amount=amount)
        for text in [*texts, f"关于 {view.number}（二〇二六年），我们正在处理"]:
            cases.add_note(desk, "ag", view.number, text=text, visibility="customer")


def test_a_lone_numeral_counts_before_a_money_word(desk: Desk, register: Register) -> None:
    # "一" is in a great many words (一下, 一定): alone it is the amount 1 only as 一元 or 一块.
    view = to_proposed(desk, register(), remedy="compensation", amount="1")
    cases.log_call(desk, "ag", view.number, summary="请您稍等一下")
    assert refused(lambda: cases.log_call(desk, "ag", view.number, summary="给您一元")) == "一"
    assert refused(lambda: cases.log_call(desk, "ag", view.number, summary="一块钱")) == "一"


def test_chinese_numerals_are_not_checked_without_a_pending_amount(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy="exchange", amount=None)
    cases.add_note(desk, "ag", view.number, text="您购买时付了三百元", visibility="customer")
    # Only the remedy is named: the price is no amount of the proposal.
    assert refused(lambda: cases.add_note(desk, "ag", view.number, text="给您换一个三百元的",
                                          visibility="customer")) == "换一个"


# -- every customer-visible text is checked ----------------------------------------------------------


def test_the_customers_reply_is_checked_while_a_returned_proposal_is_pending(
    desk: Desk, register: Register
) -> None:
    view = to_returned(desk, register(), amount="300")
    view = cases.await_customer(desk, "hq", view.number, comment="请提供发票照片", version=view.version)
    assert view.waiting_since is not None

    for text in ("客户说三百元可以接受", "She will accept 300", "客户问能不能补偿"):
        refused(lambda text=text: cases.customer_replied(desk, "ag", view.number, comment=text,
                                                         version=view.version))
    after = cases.get_case(desk, view.number)
    assert after == view  # still waiting, nothing on the timeline
    assert after.waiting_since is not None

    view = cases.customer_replied(desk, "ag", view.number, comment="发票照片已收到", version=view.version)
    assert view.waiting_since is None
    assert view.timeline[-1].action == "customer_replied"
    assert view.timeline[-1].comment == "发票照片已收到"


def test_what_we_ask_of_the_customer_is_checked_while_a_returned_proposal_is_pending(
    desk: Desk, register: Register
) -> None:
    view = to_returned(desk, register(), amount="300")
    assert refused(lambda: cases.await_customer(
        desk, "hq", view.number, comment="请提供发票，以便补偿您三百元", version=view.version
    )) == "补偿, 三百"
    after = cases.get_case(desk, view.number)
    assert after == view
    assert after.waiting_since is None  # the department's clock did not stop

    view = cases.await_customer(desk, "hq", view.number, comment="请提供发票照片", version=view.version)
    assert view.waiting_since is not None


def test_before_a_proposal_and_after_approval_the_reply_is_free(desk: Desk, register: Register) -> None:
    view = to_assigned(desk, register())
    view = cases.await_customer(desk, "hq", view.number, comment="请提供照片", version=view.version)
    view = cases.customer_replied(desk, "ag", view.number, comment="客户要求补偿三百元",
                                  version=view.version)
    assert view.timeline[-1].comment == "客户要求补偿三百元"

    approved = to_approved(desk, register())
    cases.add_note(desk, "ag", approved.number, text="我们将退款三百元", visibility="customer")


# -- reading Chinese numerals --------------------------------------------------------------------------

LOWER = "零一二三四五六七八九"
UPPER = "零壹贰叁肆伍陆柒捌玖"


def in_chinese(n: int, *, upper: bool = False, liang: bool = False, bare_ten: bool = False) -> str:
    """``n`` (0 < n < 10**12) as it is written out: 零 for gaps, 一十/十, 二/两, or 大写."""
    digits = UPPER if upper else LOWER
    places = ((1000, "仟" if upper else "千"), (100, "佰" if upper else "百"),
              (10, "拾" if upper else "十"), (1, ""))

    def group(g: int) -> str:
        out, gap = "", False
        for place, unit in places:
            d = g // place % 10
            if d == 0:
                gap = gap or bool(out)
                continue
            if gap:
                out, gap = out + digits[0], False
            out += ("两" if liang and d == 2 and place >= 100 else digits[d]) + unit
        return out

    out, gap = "", False
    for g, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += digits[0]
        out, gap = out + group(g) + unit, False
    if bare_ten and out.startswith("一十"):
        out = out[1:]
    return out


numbers = st.integers(min_value=1, max_value=10**12 - 1)


@given(n=numbers, upper=st.booleans(), liang=st.booleans(), bare_ten=st.booleans())
@example(n=10010, upper=False, liang=False, bare_ten=False)  # 一万零一十
@example(n=100001000, upper=False, liang=False, bare_ten=False)  # 一亿零一千
@example(n=12, upper=False, liang=False, bare_ten=True)  # 十二
def test_written_out_numbers_read_back(n: int, upper: bool, liang: bool, bare_ten: bool) -> None:
    written = in_chinese(n, upper=upper, liang=liang, bare_ten=bare_ten)
    assert read_integer(written) == n, written
    assert [v for _, v in chinese_amounts(f"我们会给您{written}元，请查收")] == [n]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三百五", 350), ("一千二", 1200), ("两万三", 23000), ("三百零五", 305),  # spoken
        ("1千2", 1200), ("3万2500", 32500), ("1.2万", 12000), ("１千２", 1200),  # with digits
        ("一亿二千万", 120_000_000), ("十五", 15), ("十", 10),
        ("七八百", None), ("三五", None), ("十百", None),  # estimates and nonsense
    ],
)
def test_numerals_as_people_write_them(numeral: str, value: int | None) -> None:
    assert read_integer(numeral) == value


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("三百五十元五角二分", [("三百五十元五角二分", Decimal("350.52"))]),
        ("三百点五元", [("三百点五", Decimal("300.5"))]),
        ("一点二万元", [("一点二万", Decimal(12000))]),
        ("两块钱", [("两", Decimal(2))]),
        ("K-200两千元", [("两千", Decimal(2000))]),  # a model number right before it
        ("百分之三十", [("三十", Decimal(30))]),
        ("请稍等一下，一些，一定，万一，千万，十分，七八天，十一月二十五日，十二点", []),
        ("二〇二六年，2026年十一月，电话13800138000", []),
        ("300元和1,000元", []),  # Arabic digits alone are read by the caller
    ],
)
def test_amounts_found_in_a_sentence(text: str, amounts: list[tuple[str, Decimal]]) -> None:
    assert list(chinese_amounts(text)) == amounts
