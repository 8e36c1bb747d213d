"""Issue 13, remedies: a recall (召回) is a remedy of the desk like the others — proposed,
approved, named in every language, and not told to the customer before it is approved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from casesteps import to_proposed
from kesu_desk.config import LANGUAGES
from kesu_desk.domain.errors import WorkflowError
from kesu_desk.domain.vocabulary import Remedy, Status, Visibility
from kesu_desk.i18n import t
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]


def test_a_recall_is_named_in_every_language() -> None:
    names = {lang: t("remedy.recall", lang) for lang in LANGUAGES}
    assert names["zh"] == "召回"
    assert all(name != "remedy.recall" for name in names.values())


def test_a_recall_is_proposed_and_approved_without_an_amount(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy=Remedy.RECALL.value, amount=None)
    view = cases.approve(desk, "sup", view.number, version=view.version)
    assert view.status is Status.APPROVED
    assert view.remedy == Remedy.RECALL


def test_a_pending_recall_is_not_told_to_the_customer(desk: Desk, register: Register) -> None:
    view = to_proposed(desk, register(), remedy=Remedy.RECALL.value, amount=None)
    with pytest.raises(WorkflowError) as error:
        cases.add_note(desk, "ag", view.number, text="该批次将召回", visibility=Visibility.CUSTOMER)
    assert error.value.code == "reveals_outcome"
