"""The demo's product catalogue (issue 13): the demo's appliances and foods in three models each,
the water-purifier maker's purifiers and their filters (spare parts), the restaurant's dishes and the
online shop's books: the products the demo's cases name."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from stdnum import ean

from kesu_desk.demo.texts import MODELS, OFFERING, OFFERINGS
from kesu_desk.domain.products import Kind
from kesu_desk.store.products import ProductRow

if TYPE_CHECKING:
    from kesu_desk.services.desk import Desk

# Months of warranty by kind of appliance (China's "三包": at least a year; the big ones longer).
WARRANTY = {"washer": 36, "fridge": 36, "aircon": 72, "heater": 36}
PURIFIERS = (  # code, zh, en, es, warranty months, yuan
    ("RO-400", "禾风反渗透净水器 RO-400", "Hefeng RO-400 water purifier", "Purificador de agua Hefeng RO-400", 24, 2699),
    ("RO-600", "禾风反渗透净水器 RO-600", "Hefeng RO-600 water purifier", "Purificador de agua Hefeng RO-600", 24, 3699),
    ("UF-200", "禾风超滤净水器 UF-200", "Hefeng UF-200 ultrafiltration purifier", "Purificador Hefeng UF-200", 12, 899),
)
FILTERS = (  # code, zh, en, es, warranty months, yuan, fits
    ("F-PP", "PP 棉滤芯", "PP sediment filter", "Filtro de sedimentos PP", 3, 39, "RO-400 RO-600 UF-200"),
    ("F-CTO", "CTO 活性炭滤芯", "CTO carbon block filter", "Filtro de carbón CTO", 6, 69, "RO-400 RO-600"),
    ("F-RO75", "RO 反渗透膜 75G", "RO membrane 75G", "Membrana de ósmosis 75G", 12, 299, "RO-400"),
    ("F-RO100", "RO 反渗透膜 100G", "RO membrane 100G", "Membrana de ósmosis 100G", 12, 399, "RO-600"),
    ("F-UF", "超滤膜滤芯", "UF membrane filter", "Filtro de ultrafiltración", 12, 159, "UF-200"),
)
DISHES = (  # code, zh, en, es, yuan
    ("D-101", "宫保鸡丁", "Kung Pao chicken", "Pollo Kung Pao", 48),
    ("D-102", "水煮鱼", "Sichuan boiled fish", "Pescado hervido de Sichuan", 88),
    ("D-103", "麻婆豆腐", "Mapo tofu", "Tofu Mapo", 32),
    ("D-104", "北京烤鸭（半只）", "Peking duck (half)", "Pato laqueado (medio)", 128),
    ("D-105", "扬州炒饭", "Yangzhou fried rice", "Arroz frito Yangzhou", 28),
)


def _barcode(n: int) -> str:
    body = f"690{n:09d}"  # 690–699: China's GS1 prefixes
    return body + ean.calc_check_digit(body)


def catalogue() -> list[ProductRow]:
    rows: list[ProductRow] = []

    def add(code: str, names: tuple[str, str, str], kind: Kind, months: int | None, yuan: int,
            fits: str = "") -> None:
        barcodes = (_barcode(len(rows) + 1),) if kind is Kind.PRODUCT or fits else ()
        rows.append(ProductRow(code=code, kind=kind, name=names[0], names=dict(zip(("zh", "en", "es"), names, strict=True)),
                               warranty_months=months, retail_price_cents=yuan * 100, fits=tuple(fits.split()),
                               barcodes=barcodes, retired=None))

    for offering in OFFERINGS:
        if not offering.prefix:
            continue
        for step, (model, names) in enumerate(zip(MODELS, offering.products(), strict=True)):
            months = None if "food" in offering.traits else WARRANTY.get(offering.key, 12)
            add(f"{offering.prefix}-{model}", names, Kind.PRODUCT, months, offering.price + step * offering.price // 4)
    for code, zh, en, es, months, yuan in PURIFIERS:
        add(code, (zh, en, es), Kind.PRODUCT, months, yuan)
    for code, zh, en, es, months, yuan, fits in FILTERS:
        add(code, (zh, en, es), Kind.SPARE_PART, months, yuan, fits)
    for code, zh, en, es, yuan in DISHES:
        add(code, (zh, en, es), Kind.PRODUCT, None, yuan)
    book = OFFERING["book"]
    for n, names in enumerate(book.products(), start=1):
        add(f"BK-{n}", names, Kind.PRODUCT, None, book.price)
    return rows


def load(desk: Desk, now: datetime) -> int:
    """Add (or bring back to the demo's values) the demo catalogue; how many products."""
    rows = catalogue()
    with desk.uow() as uow:
        uow.products.save(rows, now)
        uow.commit()
    return len(rows)
