"""The record form's read at the access policy's door: a case's whole record is printed only
for a reader who may see the case (domain/access.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from casesteps import sign_in, to_assigned
from kesu_desk.domain.errors import AccessDenied
from kesu_desk.i18n import describe
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.record_form import load_record
from kesu_desk.services.views import CaseView


def test_a_handler_prints_their_departments_records_only(desk: Desk, register: Callable[..., CaseView]) -> None:
    fin = register(phone="13900139000")
    fin = cases.decide_validity(desk, "ag", fin.number, founded=True, version=fin.version)
    fin = cases.assign(desk, "ag", fin.number, department="FIN", version=fin.version)
    qa = to_assigned(desk, register())

    sign_in(desk, "hq")
    with pytest.raises(AccessDenied) as refused:
        load_record(desk, fin.number)
    assert describe(refused.value, "en") == f"Case {fin.number} belongs to another department: hq cannot see it."
    assert load_record(desk, qa.number).view.number == qa.number

    for who in ("ag", "sup"):  # agents and supervisors see every case
        sign_in(desk, who)
        record = load_record(desk, fin.number)
        assert (record.view.number, record.view.customer.phone) == (fin.number, "+8613900139000")
