"""The customer's written answer (issue 13, seed 003: no promise to the customer is valid without
the store's written handling document): what was decided, the remedy and its amount, what happens
next and whom to contact — in the customer's language, never the internal accountability, the
cause's who, handler names or notes. Issuing it is recorded on the timeline (who, when).

Only once the outcome is decided (approved, or the complaint found not founded and closed): the
outcome guard. For a store's case only its store manager, a supervisor or a manager issues it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kesu_desk.domain import workflow
from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import StoreProblem, WorkflowError
from kesu_desk.domain.vocabulary import Action, Role, Status, Validity
from kesu_desk.services import cases
from kesu_desk.services.audit import record_read
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import money
from kesu_desk.sla import utcnow

LANGUAGES = ("zh", "en", "es")
# The customer's language when the case does not say (Case.customer_lang): from their region.
SPANISH_REGIONS = frozenset(["ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "GQ"])
CHINESE_REGIONS = frozenset({"CN", "TW", "HK", "MO", "SG"})
STORE_LETTER_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})


@dataclass(frozen=True)
class Letter:
    number: str
    lang: str
    customer: str
    registered_at: datetime
    issued_at: datetime
    product: str
    founded: bool
    reason: str  # why it was found not founded (for the customer)
    remedy: str | None
    amount: Decimal | None
    status: Status
    store: str | None  # the store's name
    store_code: str | None
    # Issue 13: the approved remedies in order with their amounts (``amount`` is their sum).
    remedies: tuple[tuple[str, Decimal | None], ...] = ()
    currency: str = ""  # the sign of the desk's currency (setting currency)


def customer_language(case_lang: str | None, region: str) -> str:
    if case_lang in LANGUAGES:
        return str(case_lang)
    region = region.upper()
    return "es" if region in SPANISH_REGIONS else "zh" if region in CHINESE_REGIONS else "en"


def issue_letter(desk: Desk, actor_name: str, number: str) -> Letter:
    require(desk.reader, Use.PRINT)
    desk.check_actor(actor_name)
    with desk.uow() as uow:
        who = uow.users.actor(actor_name)
        case = uow.cases.get(number)
        cases.check_visible(desk, case)
        decided = case.status == Status.CLOSED.value and case.validity == Validity.NOT_FOUNDED.value
        if not decided and case.remedy is None:  # the outcome guard: nothing before it is approved
            raise WorkflowError("letter_before_outcome", number=case.number)
        workflow.check(Action.LETTER, cases.case_facts(case), who)
        if case.store_code and who.role not in STORE_LETTER_ROLES and not (
            who.role is Role.STORE_MANAGER and who.store == case.store_code
        ):
            raise StoreProblem("letter_not_yours", store=case.store_code)
        store = uow.stores.get(case.store_code) if case.store_code else None
        customer = uow.customers.get(case.customer_id)
        lang = customer_language(case.customer_lang, customer.region)
        now = utcnow()
        uow.events.write(case, who, Action.LETTER, case.status, case.status, now=now, lang=lang)
        uow.commit()
        letter = Letter(
            number=case.number, lang=lang, customer=customer.name, registered_at=case.registered_at,
            issued_at=now, product=case.product, founded=not decided, reason=case.validity_reason,
            remedy=case.remedy, amount=money(case.amount_cents), status=Status(case.status),
            store=store.name if store else None, store_code=case.store_code,
            remedies=cases.approved_remedies(uow, case), currency=desk.settings.currency,
        )
    record_read(desk, Use.PRINT, {"case": letter.number, "letter": lang}, rows=1)
    return letter
