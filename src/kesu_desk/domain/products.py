"""Products and spare parts (issue 13): what a catalogue row may hold, barcodes, and the warranty.

Why the limits: a warranty of more than ten years (120 months) is a typing mistake in any of the
seed businesses; a retail price above 2 000 000.00 is one too, and keeps five times the price (the
restaurant's highest compensation) within the largest amount the desk takes (domain/amounts.py).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from stdnum import ean

from kesu_desk.domain.amounts import MAX_AMOUNT
from kesu_desk.domain.errors import DeskError

MAX_WARRANTY_MONTHS = 120
MAX_PRICE = MAX_AMOUNT / 5
MAX_PRICE_CENTS = int(MAX_PRICE * 100)
# Letters, digits and . _ / - ; starting with a letter or digit (never like a formula).
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,31}")
CODE_LENGTH = 32
NAME_LENGTH = 128
# EAN-8, UPC-A, EAN-13 and GTIN-14: what a scanner sends for a product, digits only.
BARCODE_LENGTHS = frozenset({8, 12, 13, 14})
LANGUAGES = ("zh", "en", "es")


class Kind(StrEnum):
    PRODUCT = "product"
    SPARE_PART = "spare_part"


class ProductError(DeskError):
    """A catalogue file or row the desk refuses; nothing of the file was imported."""

    catalogue = "products"


@dataclass(frozen=True)
class ProductInfo:
    """A product as the screens and commands show it (plain data, no database object)."""

    code: str
    kind: Kind
    name: str
    names: dict[str, str]  # translations by language; "" where the business gave none
    warranty_months: int | None
    retail_price_cents: int | None
    fits: tuple[str, ...] = ()
    barcodes: tuple[str, ...] = ()
    retired: date | None = None

    def name_in(self, lang: str) -> str:
        """The name in ``lang`` where there is one, else the one name."""
        return self.names.get(lang) or self.name

    @property
    def retail_price(self) -> Decimal | None:
        return retail_price(self)


def retail_price(product: ProductInfo) -> Decimal | None:
    """The product's retail price in money (two decimals), None when the catalogue has none."""
    if product.retail_price_cents is None:
        return None
    return (Decimal(product.retail_price_cents) / 100).quantize(Decimal("0.01"))


def warranty_end(purchase_date: date, months: int) -> date:
    """The first day no longer covered: the purchase date ``months`` later (the month's last
    day when it has no such day: 31 January + 1 month ends on 28 or 29 February)."""
    month = purchase_date.month - 1 + months
    year, month = purchase_date.year + month // 12, month % 12 + 1
    return date(year, month, min(purchase_date.day, calendar.monthrange(year, month)[1]))


def within_warranty(product: ProductInfo, purchase_date: date | None, today: date) -> bool | None:
    """Whether a product bought on ``purchase_date`` is still under warranty ``today``; None
    when that cannot be told (no purchase date, or no warranty in the catalogue)."""
    if purchase_date is None or product.warranty_months is None:
        return None
    return purchase_date <= today < warranty_end(purchase_date, product.warranty_months)


def is_barcode(text: str) -> bool:
    """Whether ``text`` is a valid EAN/UPC barcode (its check digit included)."""
    return text.isascii() and text.isdigit() and len(text) in BARCODE_LENGTHS and ean.is_valid(text)


def looks_like_barcode(text: str) -> bool:
    """Whether ``text`` has the shape of a barcode a scanner sends (digits, a barcode's length)."""
    return text.isascii() and text.isdigit() and len(text) in BARCODE_LENGTHS
