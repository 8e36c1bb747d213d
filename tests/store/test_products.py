"""The product catalogue: loaded from CSV and XLSX on both engines, all or nothing, and found by
code, name and barcode (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from kesu_desk.domain.products import ProductError, within_warranty
from kesu_desk.i18n import describe
from kesu_desk.services import products
from kesu_desk.services.desk import Desk

HEADER = ["code", "name", "name_zh", "name_es", "kind", "barcodes", "warranty_months", "retail_price", "fits"]
ROWS = [
    ["RO-400", "RO-400 water purifier", "RO-400 净水器", "Purificador RO-400", "product", "6901234567892", "24",
     "1,299.00", ""],
    ["F-PP", "PP filter", "PP 棉滤芯", "Filtro PP", "spare_part", "", "6", "39", "RO-400"],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([HEADER, *rows])
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _codes(desk: Desk) -> list[str]:
    return [p.code for p in products.list_products(desk)]


def test_a_csv_file_loads_and_a_second_import_updates(desk: Desk, tmp_path: Path) -> None:
    first = products.import_products(desk, _csv(tmp_path / "p.csv", ROWS))
    assert (first.added, first.updated) == (2, 0)
    changed = [[*ROWS[0][:7], "1,399.00", ""], ROWS[1]]
    again = products.import_products(desk, _csv(tmp_path / "p2.csv", changed))
    assert (again.added, again.updated) == (0, 2)
    assert _codes(desk) == ["F-PP", "RO-400"]
    purifier = products.find(desk, "RO-400")
    assert purifier is not None and purifier.retail_price_cents == 139_900
    assert purifier.barcodes == ("6901234567892",)
    part = products.find(desk, "F-PP")
    assert part is not None and part.fits == ("RO-400",) and part.kind.value == "spare_part"


def test_an_xlsx_file_loads_its_numbers_and_refuses_a_formula(desk: Desk, tmp_path: Path) -> None:
    rows: list[list[object]] = [["RO-600", "RO-600", "", "", "product", 6901234567885, 36, 1999.5, ""]]
    assert products.import_products(desk, _xlsx(tmp_path / "p.xlsx", rows)).added == 1
    found = products.lookup(desk, "6901234567885")  # as a scanner sends it
    assert found is not None and found.code == "RO-600" and found.warranty_months == 36
    assert found.retail_price_cents == 199_950
    bad: list[list[object]] = [["RO-700", "RO-700", "", "", "product", "", 12, "=A2*2", ""]]
    with pytest.raises(ProductError) as refused:
        products.import_products(desk, _xlsx(tmp_path / "bad.xlsx", bad))
    assert describe(refused.value, "en").startswith("Row 2, column retail_price: a formula")
    assert _codes(desk) == ["RO-600"]


@pytest.mark.parametrize(("cell", "column", "message"), [
    (5, "retail_price", "Row 3, column retail_price: \"3000000\" is not a retail price"),
    (6, "warranty_months", "Row 3, column warranty_months: \"600\" is not a warranty"),
    (4, "barcodes", "Row 3, column barcodes: \"6901234567890\" is not a valid EAN/UPC barcode"),
    (0, "name", "Row 3, column name: control characters"),
    (7, "retail_price", "Row 3, column retail_price: \"-5\" is not a retail price"),
])
def test_one_bad_row_names_row_and_column_and_nothing_is_imported(
        desk: Desk, tmp_path: Path, cell: int, column: str, message: str) -> None:
    bad = ["X-1", "ok", "", "", "product", "", "12", "10", ""]
    bad[{5: 7, 6: 6, 4: 5, 0: 1, 7: 7}[cell]] = {5: "3000000", 6: "600", 4: "6901234567890", 0: "a\x1b[31mb",
                                                 7: "-5"}[cell]
    with pytest.raises(ProductError) as refused:
        products.import_products(desk, _csv(tmp_path / "p.csv", [ROWS[0], bad]))
    assert describe(refused.value, "en").startswith(message)
    assert refused.value.params["column"] == column
    assert _codes(desk) == []


def test_a_barcode_of_another_product_and_an_unknown_fit_are_refused(desk: Desk, tmp_path: Path) -> None:
    products.import_products(desk, _csv(tmp_path / "p.csv", ROWS))
    thief = [["RO-500", "RO-500", "", "", "product", "6901234567892", "24", "1", ""]]
    with pytest.raises(ProductError, match="barcode_taken"):
        products.import_products(desk, _csv(tmp_path / "q.csv", thief))
    stray = [["F-X", "X", "", "", "spare_part", "", "", "1", "NOPE"]]
    with pytest.raises(ProductError, match="unknown_fits"):
        products.import_products(desk, _csv(tmp_path / "r.csv", stray))
    assert _codes(desk) == ["F-PP", "RO-400"]


def test_the_intake_finds_by_name_in_any_language_and_tells_the_warranty(desk: Desk, tmp_path: Path) -> None:
    products.import_products(desk, _csv(tmp_path / "p.csv", ROWS))
    assert [p.code for p in products.search(desk, "净水")] == ["RO-400"]
    assert [p.code for p in products.search(desk, "FILTRO")] == ["F-PP"]
    assert products.lookup(desk, "ro-400") is not None
    purifier = products.find(desk, "RO-400")
    assert purifier is not None
    assert within_warranty(purifier, date(2025, 1, 31), date(2027, 1, 30)) is True
    assert within_warranty(purifier, date(2025, 1, 31), date(2027, 1, 31)) is False
    assert within_warranty(purifier, None, date(2027, 1, 1)) is None


def test_the_demo_catalogue_loads_twice_with_purifiers_filters_and_dishes(desk: Desk) -> None:
    from kesu_desk.demo import products as demo_products
    from kesu_desk.sla import utcnow

    count = demo_products.load(desk, utcnow())
    assert demo_products.load(desk, utcnow()) == count == len(_codes(desk))
    membrane = products.find(desk, "F-RO75")
    assert membrane is not None and membrane.kind.value == "spare_part" and membrane.fits == ("RO-400",)
    purifier = products.find(desk, "RO-400")
    assert purifier is not None and products.lookup(desk, purifier.barcodes[0]) == purifier
    assert [p.code for p in products.search(desk, "宫保")] == ["D-101"]
