"""The intake's product field picks catalogue products (issue 13): a barcode scanner types the
digits and Enter as fast as it can; the product is picked, the form is not registered and no key
typed afterwards is lost."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from test_intake import cases_registered, go_to, intake_form, settle, type_text

from kesu_desk.screens.intake import IntakeScreen
from kesu_desk.services import products
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import Case

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

CATALOGUE = """\
code,name,name_zh,kind,barcodes,warranty_months,retail_price
RO-400,RO-400 water purifier,RO-400 净水器,product,6901234567892,24,"1,299.00"
F-PP,PP filter,PP 棉滤芯,spare_part,,6,39.00
"""


async def test_a_scanned_barcode_and_enter_pick_the_product_without_registering(
        desk: Desk, people: dict[str, object], register: object, tmp_path: Path) -> None:
    (tmp_path / "catalogue.csv").write_text(CATALOGUE, encoding="utf-8")
    products.import_products(desk, tmp_path / "catalogue.csv")
    async with intake_form(desk) as (desktop, pilot):
        await type_text(pilot, "13900139000")
        await go_to(desktop, pilot, "product")
        # The scanner, then the agent typing the order number at once: no pause between.
        await type_text(pilot, "6901234567892\nORD-77")
        await settle(desktop, pilot)
        assert isinstance(desktop.app.screen, IntakeScreen)  # Enter did not register the form
        assert cases_registered(desk) == 0
        assert desktop.value("product") == "RO-400 water purifier"
        assert desktop.value("order_no") == "ORD-77"
        info = desktop.text("#product-info")
        assert "RO-400" in info and "24 months" in info and "1 299.00" in info and "purchase date" in info
        await go_to(desktop, pilot, "purchase_date")
        await type_text(pilot, (date.today() - timedelta(days=100)).isoformat())
        await settle(desktop, pilot)
        assert "within warranty" in desktop.text("#product-info")
        await go_to(desktop, pilot, "description")
        await type_text(pilot, "The purifier leaks")
        await pilot.press("ctrl+s")
        await settle(desktop, pilot, 0.1)
        with desk.uow(write=False) as uow:
            stored = uow.session.exec(select(Case.product, Case.product_code, Case.order_no)).one()
        assert tuple(stored) == ("RO-400 water purifier", "RO-400", "ORD-77")


async def test_a_name_typed_shows_the_matching_products(desk: Desk, register: CaseView, tmp_path: Path) -> None:
    (tmp_path / "catalogue.csv").write_text(CATALOGUE, encoding="utf-8")
    products.import_products(desk, tmp_path / "catalogue.csv")
    async with intake_form(desk, lang="zh") as (desktop, pilot):
        await go_to(desktop, pilot, "product")
        await type_text(pilot, "滤芯")
        await settle(desktop, pilot)
        assert "F-PP PP 棉滤芯" in desktop.text("#product-info")
