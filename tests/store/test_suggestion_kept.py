"""Issue 14: nothing the rules advised is lost at registration — the case keeps all of it (both engines)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from casesteps import draft, to_proposed
from kesu_desk.domain.vocabulary import Remedy, Severity
from kesu_desk.present.formats import compensation_range, rules_advice
from kesu_desk.rules.model import CompensationRange, Escalation, Reason, Suggestion
from kesu_desk.services import cases
from kesu_desk.services.approvals import approval_inbox
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake_form import suggested_values
from kesu_desk.services.users import UserView
from kesu_desk.widgets.timeline import event_body

ADVICE = Suggestion(
    department="QA", category="食品安全", remedies=[Remedy.REFUND, Remedy.COMPENSATION],
    severity=Severity.CRITICAL, escalations=[Escalation.QUALITY, Escalation.GENERAL_MANAGER],
    urgent=True, corrective_action=True,
    compensation=CompensationRange(min_multiple=Decimal(2), max_multiple=Decimal(5),
                                   min_amount=Decimal("76.00"), max_amount=Decimal("190.00")),
    spare_parts="retail", route_to_dealer=True, notes=["call the store manager today"],
    reasons=[Reason(rule_id="illness", description="guests taken ill", words=["上吐下泻"])],
)


def test_the_case_keeps_every_piece_of_the_rules_advice(desk: Desk, people: dict[str, UserView]) -> None:
    registered = cases.register_case(desk, "ag", draft(), suggested=suggested_values(ADVICE),
                                     chosen={"department": "QA", "category": "食品安全", "severity": "critical"})
    kept = [e for e in cases.get_case(desk, registered.number).timeline if e.action == "suggestion"]
    assert len(kept) == 1 and kept[0].details["taken"] is True
    suggested = kept[0].details["suggested"]
    assert suggested["escalations"] == ["quality", "general_manager"]
    assert suggested["urgent"] is True and suggested["corrective_action"] is True
    assert suggested["compensation"] == {"min_multiple": "2", "max_multiple": "5",
                                         "min_amount": "76.00", "max_amount": "190.00"}
    assert suggested["spare_parts"] == "retail" and suggested["route_to_dealer"] is True
    assert suggested["notes"] == ["call the store manager today"]
    assert suggested["rules"] == ["illness"]
    # and the handler sees it on the case's timeline, in words
    body = event_body(kept[0], "en", UTC)
    assert "2–5×" in body and "76.00–190.00" in body and "general manager" in body
    assert "call the store manager today" in body and "illness" in body


def test_the_approver_is_given_the_rules_compensation_range(desk: Desk, people: dict[str, UserView]) -> None:
    registered = cases.register_case(desk, "ag", draft(), suggested=suggested_values(ADVICE), chosen={})
    to_proposed(desk, registered, remedy="compensation", amount="100")
    [item] = approval_inbox(desk, "sup")
    assert item.suggested_remedies == ("refund", "compensation")
    assert item.suggested_compensation == {"min_multiple": "2", "max_multiple": "5",
                                           "min_amount": "76.00", "max_amount": "190.00"}
    assert compensation_range(item.suggested_compensation) == "2–5× (76.00–190.00)"


def test_the_proposer_is_given_the_remedies_and_range_the_rules_advised(
    desk: Desk, people: dict[str, UserView]
) -> None:
    registered = cases.register_case(desk, "ag", draft(), suggested=suggested_values(ADVICE), chosen={})
    timeline = cases.get_case(desk, registered.number).timeline
    assert rules_advice(timeline, "en") == "Rules advised: refund, compensation · compensation 2–5× (76.00–190.00)"
    assert rules_advice(cases.get_case(desk, cases.register_case(desk, "ag", draft()).number).timeline, "en") == ""
