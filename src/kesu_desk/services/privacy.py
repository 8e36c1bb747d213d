"""A customer's request to erase their personal data (China's PIPL art. 47, the EU's GDPR art. 17).

The customer's name, phone and e-mail are removed from their record and masked (``***``) in
their cases' texts, proposals, approvals, surveys, corrective actions and timeline; the cases
stay, so the counts and the statistics do not change. The erasure is an entry of the access log,
written in the same transaction: the database lets a timeline event change only for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import AccessDenied, InvalidInput, NotFoundError
from kesu_desk.domain.privacy import masker
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import normalise_phone, phonenumbers
from kesu_desk.sla import utcnow
from kesu_desk.store import access, erasure


@dataclass(frozen=True)
class Erased:
    customer_id: int
    cases: int
    events: int


def _national(phone: str) -> str:
    number = phonenumbers().parse(phone, None)
    return str(number.national_number)


def erase_customer(desk: Desk, phone: str) -> Erased:
    """Erase the customer with this phone (as typed in the desk's country, or +CC…)."""
    require(desk.reader, Use.ERASE)
    identity = desk.identity
    if identity is None:  # the desk itself erases nobody: the log must name a person
        raise AccessDenied("unknown_login", login="-")
    try:
        wanted = normalise_phone(phone, desk.settings.country)
    except ValueError:
        raise InvalidInput("invalid_input", errors={"phone": "bad_phone"}) from None
    now = utcnow()
    with desk.uow() as uow:
        s = uow.session
        customer = erasure.customer_with_phone(s, wanted)
        if customer is None:
            raise NotFoundError("customer_not_found", phone=phone)
        entry = access.log_access(
            s, at=now, user_id=identity.user.id, admin_id=identity.admin.id if identity.admin else None,
            login=identity.login, use=Use.ERASE.value, details={"customer": customer.id},
            customer_id=customer.id,
        )
        mask = masker(customer.name, customer.phone, _national(wanted), customer.email)
        cases, events = erasure.erase(s, customer.id, entry, mask, now)
        uow.commit()
    return Erased(customer.id, cases, events)
