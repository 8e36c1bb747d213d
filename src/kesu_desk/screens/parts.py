"""Issue 13, dealers in the case's work: hand the case to the customer's A-class dealer (key D)
and record spare parts sent on it (key P) — both from the case detail (screens/case_detail.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from kesu_desk.domain.amounts import parse_amount
from kesu_desk.domain.errors import DealerFlowProblem
from kesu_desk.domain.vocabulary import Action
from kesu_desk.screens.actions import ActionDialog
from kesu_desk.services import cases, dealer_flow
from kesu_desk.services.dealer_flow import CHARGES, MAX_QTY, CaseDealer
from kesu_desk.services.dealers import money
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.form import choice, line_input, row
from kesu_desk.widgets.text import one_line


class _DealerDialog(ActionDialog):
    """No canned replies: these texts are internal."""

    def __init__(self, view: CaseView, info: CaseDealer, *,
                 reloaded: Callable[[CaseView], None] | None = None) -> None:
        super().__init__(view, reloaded=reloaded)
        self.info = info

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "canned":
            return False
        return super().check_action(action, parameters)


class HandoverDialog(_DealerDialog):
    """The case goes to the customer's A-class dealer; the timeline keeps whom to call."""

    ACTION = Action.DEALER_HANDOVER

    def form(self) -> ComposeResult:
        serving = self.info.serving
        if serving is not None:
            yield Static(Text(self.t("dealers.flow.serving", dealer=one_line(serving.name),
                                     contact=one_line(serving.contact) or "-", phone=serving.phone or "-",
                                     left=money(serving.left_cents))), classes="dialog-note")
        yield row(self.t("field.comment"), line_input("comment"))

    def collect(self) -> dict[str, Any]:
        return {"comment": self.text("comment")}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        dealer_flow.hand_over(self.desk, self.actor.name, self.opened.number, **values)
        return cases.get_case(self.desk, self.opened.number)


class PartsDialog(_DealerDialog):
    """A spare part sent on the case: which, how many, at what price, who pays (prefilled from the
    advice). Beyond the dealer's allowance the business representative must approve: the
    refusal says so and the field for their name is here."""

    ACTION = Action.PARTS_SENT

    def form(self) -> ComposeResult:
        yield Static(Text(self.info.advice), classes="dialog-note")
        if self.info.parts:
            yield row(self.t("dealers.dialog.part"), choice("part", [
                (f"{code}  {one_line(name)}" + (f"  {money(price)}" if price else ""), code)
                for code, name, price in self.info.parts]), required=True)
        else:
            yield row(self.t("dealers.dialog.part"), line_input("part"), required=True)
        yield row(self.t("dealers.dialog.qty"), line_input("qty", "1"), required=True)
        yield row(self.t("dealers.dialog.price"), line_input("price"), hint=self.t("dealers.dialog.price_hint"))
        yield row(self.t("dealers.dialog.charge"), choice("charge", [
            (self.t(f"dealers.charge.{c}"), c) for c in CHARGES], value=self.info.charge, blank=False),
            required=True)
        serving = self.info.serving
        hint = (self.t("dealers.flow.representative", representative="-") if serving is None
                else self.t("dealers.dialog.approver_hint", dealer=one_line(serving.name),
                            left=money(serving.left_cents)))
        yield row(self.t("dealers.dialog.approved_by"), line_input("approved_by"), hint=hint)

    def collect(self) -> dict[str, Any]:
        part = self.chosen("part") if self.info.parts else self.text("part")
        if not part:
            raise DealerFlowProblem("unknown_part", part="")
        qty = self.text("qty")
        if not qty.isdigit():
            raise DealerFlowProblem("bad_qty", qty=qty, max=MAX_QTY)
        price: Decimal | None = parse_amount(self.text("price")) if self.text("price") else None
        return {"part_code": str(part), "qty": int(qty), "price": price,
                "charged_to": str(self.chosen("charge")), "approved_by": self.text("approved_by") or None}

    def save(self, values: dict[str, Any], version: int) -> CaseView:
        part = values.pop("part_code")
        dealer_flow.send_parts(self.desk, self.actor.name, self.opened.number, part, **values)
        return cases.get_case(self.desk, self.opened.number)
