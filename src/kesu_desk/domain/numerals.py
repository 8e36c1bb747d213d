"""Amounts written with Chinese numerals (三百五十元, 两千, 1千2, 叁佰伍拾, 1.2万) read as numbers.

Written here rather than taken from cn2an (0.5.24, MIT): importing cn2an costs about 260 ms and
6 MiB (it builds its converters and loads its ``proces`` dependency at import), its wheel also
installs stray top-level ``build``, ``example`` and ``src`` folders into site-packages, and it has
no type information. We need far less than it offers: integers with 十百千万亿, the financial
characters (壹贰叁…), a decimal part and 元角分, to find an amount in a sentence.

Ordinary words are full of numeral characters: 一下, 一些, 一定, 万一, 千万, 十分, 七八个. A
numeral on its own (一, 两, 十) only counts before a money word (一元, 两块); digits side by side
without a unit (七八, 三五, 二〇二六) are estimates or read-out digits, not amounts; a numeral
right before 年月日号时点分 is a date or a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

DIGITS = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
UNITS = SMALL_UNITS | BIG_UNITS
NUMERAL_CHARACTERS = frozenset(DIGITS) | frozenset(UNITS)

_DIGIT = f"[{''.join(DIGITS)}0-9０-９]"
_RUN = rf"(?:\d+(?:\.\d+)?|[{''.join(NUMERAL_CHARACTERS)}])+"
# An integer part, then 点 and decimals (perhaps of 万), and 元/块 with 角 (毛) and 分:
# 三百五十点五, 一点二万, 三百元五角二分.
_AMOUNT = re.compile(
    rf"(?P<integer>{_RUN})"
    rf"(?:点(?P<decimals>{_DIGIT}+)(?P<scale>[{''.join(BIG_UNITS)}])?(?![{''.join(UNITS)}]))?"
    rf"(?:(?P<yuan>[元圆圓块塊])钱?(?:(?P<jiao>{_DIGIT})[角毛])?(?:零?(?P<fen>{_DIGIT})分)?)?"
)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")
# Arabic digits right before a Chinese digit (not a unit) are not part of its number.
_GLUED_DIGITS = re.compile(rf"\d+(?:\.\d+)?(?=[{''.join(DIGITS)}])")
# What follows a date or a time (十一月, 十二点, 三十分) rather than an amount.
_NOT_MONEY_AFTER = frozenset("年月日号號时時点點分秒")
# Units that do not start a number in running text (万一 "in case", 千万 "by all means",
# 百分之 "per cent"); 十 does (十五).
_NO_LEADING = frozenset(UNITS) - {"十", "拾"}


def _digit(token: str) -> int | Decimal | None:
    if token in DIGITS:
        return DIGITS[token]
    if token[0].isdigit():
        return Decimal(token)
    return None


def read_integer(numeral: str) -> Decimal | None:
    """The value of a numeral such as 三百五十, 两千, 一千零二十, 1千2, 3万2500 or 1.2万; None if it
    is not one number (七八百, 十百).

    Spoken shortenings count: a single digit after the last unit stands for the next lower place
    (三百五 is 350, 一千二 is 1200, 两万三 is 23000) unless a 零 comes between (三百零五 is 305).
    """
    tokens = _TOKEN.findall(numeral)
    if not tokens:
        return None
    total = Decimal(0)  # everything above the current 万 section, already multiplied out
    section = Decimal(0)  # the value of the current section, below 万
    number: int | Decimal | None = None  # the digit waiting for its unit
    last_small: int | None = None  # the last 十百千 of this section: they must come in order
    last_unit = 1  # the last unit of any kind: a shortened last digit stands a place below it
    last_big = 0  # the last 万 or 亿
    previous = ""  # "digit", "zero" or "unit"
    short = False  # the pending digit is one character, right after a unit
    for token in tokens:
        value = _digit(token)
        if value is not None:
            if previous == "digit":
                return None  # 七八, 三五: an estimate or digits read out, not an amount
            if value == 0 and not token[0].isdigit():
                previous, number = "zero", None
                continue
            short = previous == "unit" and len(token) == 1
            number, previous = value, "digit"
        elif token in SMALL_UNITS:
            unit = SMALL_UNITS[token]
            if last_small is not None and unit >= last_small:
                return None
            section += (1 if number is None else number) * unit
            number, last_small, last_unit, previous = None, unit, unit, "unit"
        elif token in BIG_UNITS:
            unit = BIG_UNITS[token]
            here = section + (number or 0)
            if unit > last_big:  # 亿 after 万 (一万亿): it multiplies everything before it
                total = (total + here) * unit
            else:  # 万 after 亿 (一亿二千万)
                total += here * unit
            section, number, last_small, previous = Decimal(0), None, None, "unit"
            last_unit = last_big = unit
        else:
            return None
    if number is not None:
        section += Decimal(number) * last_unit / 10 if short else number
    return total + section


def chinese_amounts(text: str) -> Iterator[tuple[str, Decimal]]:
    """Each amount written with Chinese numerals in ``text``: the numeral as written, its value.

    Amounts in Arabic digits alone (300, 1,000.50) are not reported here."""
    for match in _AMOUNT.finditer(text):
        integer = match.group("integer")
        start = match.start("integer")
        while integer and integer[0] in _NO_LEADING:  # 万一, 千万, 百分之…
            integer, start = integer[1:], start + 1
        if glued := _GLUED_DIGITS.match(integer):  # K-200两千: a model number, then the amount
            integer, start = integer[glued.end():], start + glued.end()
        if not any(ch in NUMERAL_CHARACTERS for ch in integer):
            continue  # Arabic digits only: the caller reads those itself
        decimals, yuan = match.group("decimals"), match.group("yuan")
        if not (decimals or yuan):
            if len(integer) == 1:
                continue  # 一下, 十分, 两个: a lone numeral is a word, not an amount
            if text[match.end():match.end() + 1] in _NOT_MONEY_AFTER:
                continue  # 十一月二十五日, 十二点
        value = read_integer(integer)
        if value is None:
            continue
        end = match.end("integer")
        if decimals:
            value += Decimal("0." + "".join(str(_digit(d)) for d in decimals))
            end = match.end("decimals")
            if scale := match.group("scale"):
                value, end = value * BIG_UNITS[scale], match.end("scale")
        for place, name in ((Decimal("0.1"), "jiao"), (Decimal("0.01"), "fen")):
            if digit := match.group(name):
                value += place * (_digit(digit) or 0)
                end = match.end()
        yield text[start:end], value
