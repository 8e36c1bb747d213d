"""The product catalogue: loaded from a CSV or XLSX file (all or nothing), listed, and looked up
by the intake by code, name or a scanned barcode."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.amounts import amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.products import (
    CODE,
    CODE_LENGTH,
    LANGUAGES,
    MAX_PRICE_CENTS,
    MAX_WARRANTY_MONTHS,
    NAME_LENGTH,
    Kind,
    ProductError,
    ProductInfo,
    is_barcode,
    looks_like_barcode,
    retail_price,
    within_warranty,
)
from kesu_desk.sla import utcnow
from kesu_desk.store.products import ProductRow
from kesu_desk.text import CONTROL

if TYPE_CHECKING:
    from kesu_desk.services.desk import Desk

__all__ = ["COLUMNS", "ImportResult", "find", "import_products", "list_products", "lookup", "read_rows",
           "retail_price", "search", "within_warranty"]

# The columns a catalogue file may have (its first row names them, in any order); code and name
# are required. barcodes and fits hold several values separated by spaces, commas or semicolons.
COLUMNS = ("code", "name", "name_zh", "name_en", "name_es", "kind", "barcodes", "warranty_months",
           "retail_price", "fits", "retired")
REQUIRED = ("code", "name")
# What a spreadsheet would run as a formula (OWASP "CSV injection"): refused, never stored.
FORMULA_START = frozenset("=+-@")
SEPARATORS = re.compile(r"[\s,;]+")
# How many products the intake shows for what was typed.
MATCHES = 5

Cell = str | int | float | Decimal | date | datetime | None


class Formula(str):
    """The text of a spreadsheet cell that holds a formula (not its value)."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


# -- reading a file ----------------------------------------------------------------------------


def read_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    """The rows of a CSV or XLSX file with their row numbers (1 = the header), empty rows left out."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
    elif path.suffix.lower() == ".csv":
        yield from _csv_rows(path)
    else:
        raise ProductError("bad_file_kind", path=str(path))


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            for number, row in enumerate(csv.reader(file), start=1):
                if any(cell.strip() for cell in row):
                    yield number, list(row)
    except UnicodeDecodeError:
        raise ProductError("bad_encoding", path=str(path)) from None
    except csv.Error as exc:
        raise ProductError("bad_file", path=str(path), reason=str(exc)) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise ProductError("bad_file", path=str(path), reason=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row: list[Cell] = []
            for cell in cells:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    row.append(Formula(str(value)))
                elif isinstance(value, str | int | float | Decimal | date | datetime) or value is None:
                    row.append(value)
                else:  # an array formula, a rich text…: shown as text, checked as text
                    row.append(Formula(str(value)))
            if any(c is not None and str(c).strip() for c in row):
                yield number, row
    finally:
        book.close()


# -- checking a row ----------------------------------------------------------------------------


def _refuse(code: str, row: int, column: str, **params: object) -> ProductError:
    return ProductError(code, row=row, column=column, **params)


def _text(value: Cell, row: int, column: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise _refuse("formula", row, column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        raise _refuse("not_text", row, column)
    text = str(value).strip()
    if text[:1] in FORMULA_START:
        raise _refuse("formula", row, column)
    if CONTROL.search(text):
        raise _refuse("control", row, column)
    if len(text) > limit:
        raise _refuse("too_long", row, column, max=limit)
    return text


def _months(value: Cell, row: int) -> int | None:
    text = _text(value, row, "warranty_months", 16)
    if not text:
        return None
    if not text.isdecimal() or int(text) > MAX_WARRANTY_MONTHS:
        raise _refuse("bad_months", row, "warranty_months", value=text, max=MAX_WARRANTY_MONTHS)
    return int(text)


def _price(value: Cell, row: int) -> int | None:
    high = f"{MAX_PRICE_CENTS / 100:,.2f}".replace(",", " ")
    try:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            cents = amount_cents(Decimal(str(value)))
        elif isinstance(value, str) and value.strip()[:1] == "-":  # a negative price, not a formula
            raise InvalidInput("invalid_input")
        else:
            text = _text(value, row, "retail_price", 32)
            cents = amount_cents(parse_amount(text))
    except (InvalidInput, InvalidOperation):
        raise _refuse("bad_price", row, "retail_price", value=str(value), high=high) from None
    if cents is not None and cents > MAX_PRICE_CENTS:
        raise _refuse("bad_price", row, "retail_price", value=str(value), high=high)
    return cents


def _retired(value: Cell, row: int) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value, row, "retired", 10)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse("bad_date", row, "retired", value=text) from None


def _several(value: Cell, row: int, column: str) -> tuple[str, ...]:
    """The values of a cell that holds several (barcodes, codes), each once, in their order."""
    return tuple(v for v in dict.fromkeys(SEPARATORS.split(_text(value, row, column, 1000))) if v)


def _header(cells: list[Cell]) -> list[str]:
    names = [str(c).strip().lower() if c is not None else "" for c in cells]
    for name in names:
        if name and name not in COLUMNS:
            raise _refuse("unknown_column", 1, name, allowed=", ".join(COLUMNS))
    for name in REQUIRED:
        if name not in names:
            raise _refuse("missing_column", 1, name)
    twice = next((n for n in names if n and names.count(n) > 1), None)
    if twice:
        raise _refuse("column_twice", 1, twice)
    return names


def _row(number: int, header: list[str], cells: list[Cell]) -> ProductRow:
    if len(cells) > len(header) and any(c not in (None, "") for c in cells[len(header):]):
        raise _refuse("extra_cells", number, str(len(header) + 1))
    values = dict(zip(header, cells, strict=False))
    code = _text(values.get("code"), number, "code", CODE_LENGTH)
    if not code:
        raise _refuse("missing", number, "code")
    if not CODE.fullmatch(code):
        raise _refuse("bad_code", number, "code", value=code)
    name = _text(values.get("name"), number, "name", NAME_LENGTH)
    if not name:
        raise _refuse("missing", number, "name")
    names = {lang: _text(values.get(f"name_{lang}"), number, f"name_{lang}", NAME_LENGTH) for lang in LANGUAGES}
    kind_text = _text(values.get("kind"), number, "kind", 16) or Kind.PRODUCT.value
    if kind_text not in set(Kind):
        raise _refuse("bad_kind", number, "kind", value=kind_text, allowed=", ".join(Kind))
    barcodes = _several(values.get("barcodes"), number, "barcodes")
    for barcode in barcodes:
        if not is_barcode(barcode):
            raise _refuse("bad_barcode", number, "barcodes", value=barcode)
    fits = _several(values.get("fits"), number, "fits")
    if fits and kind_text != Kind.SPARE_PART.value:
        raise _refuse("fits_not_part", number, "fits")
    return ProductRow(code=code, kind=Kind(kind_text), name=name, names=names,
                      warranty_months=_months(values.get("warranty_months"), number),
                      retail_price_cents=_price(values.get("retail_price"), number),
                      fits=fits, barcodes=barcodes, retired=_retired(values.get("retired"), number))


def check_file(path: Path) -> tuple[list[ProductRow], dict[str, int], dict[str, int]]:
    """Every row of the file, checked on its own; the row of each code and of each barcode."""
    rows: list[ProductRow] = []
    code_rows: dict[str, int] = {}
    barcode_rows: dict[str, int] = {}
    header: list[str] | None = None
    for number, cells in read_rows(path):
        if header is None:
            header = _header(cells)
            continue
        row = _row(number, header, cells)
        if row.code in code_rows:
            raise _refuse("code_twice", number, "code", value=row.code, first=code_rows[row.code])
        code_rows[row.code] = number
        for barcode in row.barcodes:
            if barcode in barcode_rows:
                raise _refuse("barcode_twice", number, "barcodes", value=barcode, first=barcode_rows[barcode])
            barcode_rows[barcode] = number
        rows.append(row)
    if not rows:
        raise ProductError("empty_file", path=str(path))
    return rows, code_rows, barcode_rows


# -- the use cases -----------------------------------------------------------------------------


def import_products(desk: Desk, path: Path) -> ImportResult:
    """Load the catalogue file ``path``: a product whose code is there already is updated, a new
    one added. All or nothing: the first bad row is told (ProductError naming its row and column)
    and nothing is written."""
    require(desk.reader, Use.MANAGE)
    rows, code_rows, _ = check_file(path)
    with desk.uow() as uow:
        known = uow.products.kinds()
        kinds = {**known, **{r.code: r.kind for r in rows}}
        for row in rows:
            for code in row.fits:
                if kinds.get(code) is not Kind.PRODUCT:
                    raise _refuse("unknown_fits", code_rows[row.code], "fits", value=code)
        owners = uow.products.barcode_owners(b for r in rows for b in r.barcodes)
        in_file = {r.code for r in rows}
        for row in rows:
            for barcode in row.barcodes:
                owner = owners.get(barcode)
                # Another product's barcode, unless the file moves it away from that product.
                if owner is not None and owner != row.code and owner not in in_file:
                    raise _refuse("barcode_taken", code_rows[row.code], "barcodes", value=barcode, owner=owner)
        added, updated = uow.products.save(rows, utcnow())
        uow.commit()
    return ImportResult(added, updated)


def list_products(desk: Desk, text: str = "") -> list[ProductInfo]:
    """The catalogue (retired products too), or the products whose code or a name holds ``text``."""
    require(desk.reader, Use.WORK)
    with desk.uow(write=False) as uow:
        return uow.products.search(text, limit=1_000_000) if text.strip() else uow.products.all()


def find(desk: Desk, code: str) -> ProductInfo | None:
    """The product with this code, or None."""
    with desk.uow(write=False) as uow:
        return uow.products.by_code(code.strip())


def lookup(desk: Desk, text: str) -> ProductInfo | None:
    """The one product ``text`` names exactly: a scanned barcode or a code (any letter case)."""
    wanted = text.strip()
    if not wanted:
        return None
    with desk.uow(write=False) as uow:
        if looks_like_barcode(wanted):
            found = uow.products.by_barcode(wanted)
            if found is not None:
                return found
        exact = uow.products.by_code(wanted)
        if exact is not None:
            return exact
        return next((p for p in uow.products.search(wanted, limit=MATCHES) if p.code.casefold() == wanted.casefold()),
                    None)


def search(desk: Desk, text: str, limit: int = MATCHES) -> list[ProductInfo]:
    """The products whose code or a name (zh/en/es) holds ``text``; retired ones too: customers
    complain about what they bought years ago."""
    if not text.strip():
        return []
    with desk.uow(write=False) as uow:
        return uow.products.search(text, limit=limit)
