"""The one reader of amounts (domain/amounts.py): what people type in zh, en and es, read one way
or refused with a reason naming the range (issue 11.7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kesu_desk.domain.amounts import MAX_AMOUNT, MAX_CENTS, amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.i18n import describe


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        parse_amount(text)
    codes = refused.value.params["errors"]
    assert list(codes) == ["amount"]
    return str(codes["amount"])


@pytest.mark.parametrize(("typed", "amount"), [
    ("1500", "1500"), ("1500.5", "1500.50"), ("1500,5", "1500.50"), ("0.01", "0.01"), ("0", "0"),
    ("1,500.50", "1500.50"),     # Chinese and English
    ("1.500,50", "1500.50"),     # Spanish
    ("1 500,50", "1500.50"), ("1\u00a0500.50", "1500.50"), ("1\u202f500", "1500"),
    ("1,500,000", "1500000"), ("1.500.000", "1500000"), ("1 500 000", "1500000"),
    ("１５００．５０", "1500.50"), ("１，５００", None),  # full width, from a Chinese input method
    ("  300 ", "300"), ("", None), ("   ", None), ("10000000", "10000000"), ("10 000 000.00", "10000000"),
])
def test_what_people_type_is_read_one_way(typed: str, amount: str | None) -> None:
    if typed == "１，５００":
        assert refusal(typed) == "amount_ambiguous"
        return
    assert parse_amount(typed) == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(("typed", "code"), [
    ("1,500", "amount_ambiguous"), ("1.500", "amount_ambiguous"), ("999,999", "amount_ambiguous"),
    ("NaN", "amount_format"), ("nan", "amount_format"), ("Infinity", "amount_format"),
    ("inf", "amount_format"), ("1e30", "amount_format"), ("1E3", "amount_format"),
    ("+5", "amount_format"), ("¥300", "amount_format"), ("300元", "amount_format"),
    ("1500.", "amount_format"), (".5", "amount_format"), ("15,00,000", "amount_format"),
    ("1,000 000", "amount_format"), ("1,500,50", "amount_format"), ("1.5.0", "amount_format"),
    ("1  500", "amount_format"), ("三百", "amount_format"), ("-", "amount_format"), ("-x", "amount_format"),
    ("-5", "amount_negative"), ("−5", "amount_negative"), ("- 1,500.00", "amount_negative"),
    ("-0", "amount_negative"), ("-1e30", "amount_negative"),
    ("0.001", "amount_decimals"), ("1000.004", "amount_decimals"), ("1,5000", "amount_decimals"),
    ("1500,000", "amount_decimals"), ("0,500", "amount_decimals"),
    ("10000000.01", "amount_too_large"), ("21474836.48", "amount_too_large"),
    ("99999999999999999999", "amount_too_large"),
])
def test_what_cannot_be_read_one_way_is_refused(typed: str, code: str) -> None:
    assert refusal(typed) == code


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
@pytest.mark.parametrize("code", ["amount_format", "amount_ambiguous", "amount_decimals",
                                  "amount_negative", "amount_too_large"])
def test_every_refusal_names_the_allowed_range(code: str, lang: str) -> None:
    message = describe(InvalidInput("invalid_input", errors={"amount": code}), lang)
    assert "10 000 000.00" in message, message
    assert "{" not in message, message


cents = st.integers(min_value=0, max_value=MAX_CENTS)


def written(c: int, style: str) -> str:
    amount = Decimal(c) / 100
    en = f"{amount:,.2f}"
    return {
        "plain": f"{amount:.2f}",
        "en": en,
        "es": en.translate(str.maketrans(",.", ".,")),
        "spaces": en.replace(",", " "),
        "comma": f"{amount:.2f}".replace(".", ","),
    }[style]


@given(cents, st.sampled_from(["plain", "en", "es", "spaces", "comma"]))
def test_any_amount_written_with_its_cents_reads_back_exactly(c: int, style: str) -> None:
    amount = parse_amount(written(c, style))
    assert amount is not None and amount_cents(amount) == c


@given(st.integers(min_value=0, max_value=int(MAX_AMOUNT)))
def test_whole_amounts_grouped_by_thousands_are_read_unless_they_could_be_decimals(n: int) -> None:
    typed = f"{n:,}"
    if typed.count(",") == 1:
        assert refusal(typed) == "amount_ambiguous"
    else:
        assert parse_amount(typed) == n


@given(st.text(alphabet=st.sampled_from("0123456789,.- eEnaNIf+１，．"), max_size=16) | st.text(max_size=16))
def test_any_text_is_read_into_storable_cents_or_refused(typed: str) -> None:
    try:
        amount = parse_amount(typed)
    except InvalidInput as refused:
        assert set(refused.params["errors"]) == {"amount"}
        return
    if amount is not None:
        assert 0 <= amount <= MAX_AMOUNT
        stored = amount_cents(amount)
        assert stored is not None and Decimal(stored) / 100 == amount


@pytest.mark.parametrize(("amount", "code"), [
    ("NaN", "amount_format"), ("sNaN", "amount_format"), ("Infinity", "amount_format"),
    ("-Infinity", "amount_format"), ("1E+30", "amount_too_large"), ("0.001", "amount_decimals"),
    ("1000.004", "amount_decimals"), ("-5", "amount_negative"), ("10000000.01", "amount_too_large"),
    ("1E-999999", "amount_decimals"),
])
def test_a_decimal_that_is_not_whole_cents_in_range_is_not_stored(amount: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        amount_cents(Decimal(amount))
    assert refused.value.params["errors"] == {"amount": code}


def test_cents_are_exact_at_the_bounds() -> None:
    assert amount_cents(None) is None
    assert amount_cents(Decimal("0")) == 0
    assert amount_cents(Decimal("0.01")) == 1
    assert amount_cents(Decimal("1000.00")) == 100_000
    assert amount_cents(MAX_AMOUNT) == MAX_CENTS < 2**31 - 1
