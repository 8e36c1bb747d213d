"""The words of DOMAIN.md as enums: roles, states, channels, severities, remedies, …"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"
    STORE_MANAGER = "store_manager"  # issue 13: runs one store; approves up to its limit


class Status(StrEnum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    INVESTIGATING = "investigating"
    PROPOSED = "proposed"
    RETURNED = "returned"
    APPROVED = "approved"
    IMPLEMENTING = "implementing"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset(s for s in Status if s is not Status.CLOSED)
# While the case is in one of these, the responsible department's clock runs.
DEPARTMENT_STATUSES = frozenset(
    {Status.ASSIGNED, Status.INVESTIGATING, Status.RETURNED, Status.REOPENED}
)


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SHOP = "shop"
    ONLINE = "online"
    SOCIAL = "social"
    OTHER = "other"  # the restaurant seed's fourth channel: a letter, a guest met elsewhere…


# A guest at the counter or the table may leave neither phone nor e-mail (a walk-in).
WALK_IN_CHANNELS = frozenset({Channel.SHOP, Channel.OTHER})


class Kind(StrEnum):
    """What the contact is (seed 001): a complaint, an inquiry (technical data answered under the
    confidentiality rule; price and market questions go to sales), or a suggestion/opinion
    (建议与意见). Each is counted apart in the period review."""

    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    SUGGESTION = "suggestion"


class Severity(StrEnum):
    MINOR = "minor"
    NORMAL = "normal"
    SERIOUS = "serious"
    CRITICAL = "critical"


class CustomerClass(StrEnum):
    """"Who sells, serves": who the company serves itself and who their dealer serves."""

    A_DEALER = "a_dealer"
    SUB_DEALER = "sub_dealer"
    END_USER = "end_user"
    DIRECT = "direct"


class Remedy(StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    DISCOUNT = "discount"
    COMPENSATION = "compensation"
    REFUND = "refund"
    APOLOGY = "apology"
    # Issue 13 (remedies): the batch is called back (召回), as a restaurant or a maker does.
    RECALL = "recall"


# Remedies where money moves to the customer: the proposal must carry an amount.
MONEY_REMEDIES = frozenset({Remedy.DISCOUNT, Remedy.COMPENSATION, Remedy.REFUND})


class Validity(StrEnum):
    UNDECIDED = "undecided"
    FOUNDED = "founded"
    NOT_FOUNDED = "not_founded"


class Fishbone(StrEnum):
    """The six factors of the fishbone (Ishikawa) diagram."""

    PEOPLE = "people"
    MACHINE = "machine"
    MATERIAL = "material"
    METHOD = "method"
    ENVIRONMENT = "environment"
    MEASUREMENT = "measurement"


class Mood(StrEnum):
    CALM = "calm"
    ANGRY = "angry"
    DISAPPOINTED = "disappointed"


class Visibility(StrEnum):
    INTERNAL = "internal"
    CUSTOMER = "customer"


class Closure(StrEnum):
    # Resolved at the first contact: a dish replaced at the table, a question answered on the
    # phone with the Q&A guide — registered and closed in one step, with what was done.
    FIRST_CONTACT = "first_contact"
    NOT_FOUNDED = "not_founded"
    SATISFIED = "satisfied"
    NO_ANSWER = "no_answer"
    BY_SUPERVISOR = "by_supervisor"
    MERGED = "merged"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class CorrectiveStatus(StrEnum):
    """A corrective action: open (being done), done (awaiting its effectiveness check), effective
    (the check found the problem did not come back: finished). Not effective sends it back to open."""

    OPEN = "open"
    DONE = "done"
    EFFECTIVE = "effective"


class Action(StrEnum):
    """Everything that can happen to a case; each writes one timeline event."""

    REGISTER = "register"
    DECIDE_VALIDITY = "decide_validity"
    ASSIGN = "assign"
    RECORD_CAUSE = "record_cause"
    PROPOSE = "propose"
    APPROVE = "approve"
    RETURN = "return"
    CUSTOMER_ANSWER = "customer_answer"
    IMPLEMENT = "implement"
    FOLLOW_UP = "follow_up"
    CLOSE = "close"
    REOPEN = "reopen"
    ESCALATE = "escalate"
    NOTE = "note"
    CALL = "call"
    SUGGESTION = "suggestion"
    MERGE = "merge"
    AWAIT_CUSTOMER = "await_customer"  # the department waits for the customer: its clock stops
    CUSTOMER_REPLIED = "customer_replied"  # … and starts again, the pause added to its deadline
    # Review (DOMAIN.md step 10): none of these moves the case along.
    TYPICAL = "typical"  # marked (or unmarked) as typical, for training
    CORRECTIVE_ACTION = "corrective_action"  # a corrective action opened or changed
    CORRECTIVE_PROGRESS = "corrective_progress"  # its owner records progress or completion
    EFFECTIVENESS_CHECK = "effectiveness_check"  # did the problem come back?
    # Written by the database upgrade that merged duplicate customer records (migration 0008).
    CUSTOMER_MERGED = "customer_merged"
    # Issue 13: the customer's written answer was issued (kesu-desk print --letter).
    LETTER = "letter"
    MAIL = "mail"  # issue 17: an e-mail to the customer put in the outbox
    EVIDENCE = "evidence"  # issue 13: a photo, receipt or invoice attached to the case
    TASK = "task"  # issue 13: a task template's steps put on the case, one done or given an owner
    # Issue 13, remedies: the price of what the complaint is about, set or corrected.
    PRICE = "price"
    # Issue 13, dealers in the case's work: "who sells, serves" — the case handed to the
    # customer's A-class dealer; spare parts sent on the case (neither moves the case along).
    DEALER_HANDOVER = "dealer_handover"
    PARTS_SENT = "parts_sent"


# Default department codes of DOMAIN.md; the table itself lives in the store and can grow.
DEFAULT_DEPARTMENTS: dict[str, dict[str, str]] = {
    "CS": {"zh": "客服部", "en": "Customer Service", "es": "Atención al Cliente"},
    "QA": {"zh": "质量管理部", "en": "Quality Management", "es": "Gestión de Calidad"},
    "LOG": {"zh": "储运部", "en": "Logistics", "es": "Logística"},
    "AFS": {"zh": "售后服务部", "en": "After-Sales & Repair", "es": "Posventa y Reparaciones"},
    "SALES": {"zh": "销售部", "en": "Sales", "es": "Ventas"},
    "FIN": {"zh": "财务部", "en": "Finance", "es": "Finanzas"},
    "FAC": {"zh": "行政后勤部", "en": "Facilities", "es": "Instalaciones"},
}


# Severity is stored as its level so the queue can sort on an index.
SEVERITY_LEVELS: dict[Severity, int] = {
    Severity.MINOR: 0,
    Severity.NORMAL: 1,
    Severity.SERIOUS: 2,
    Severity.CRITICAL: 3,
}
SEVERITY_BY_LEVEL: dict[int, Severity] = {v: k for k, v in SEVERITY_LEVELS.items()}
