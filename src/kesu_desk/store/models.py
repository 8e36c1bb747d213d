"""SQLModel tables of the case store, named as in DOMAIN.md.

Enums are stored as plain strings (severity as its level) so that adding a value never needs a
database type migration. Money is stored in cents. Times are aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kesu_desk.sla import utcnow


class Department(SQLModel, table=True):
    __tablename__ = "departments"

    code: str = Field(primary_key=True, max_length=16)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    name_es: str = Field(max_length=64)
    # A retired department keeps its cases and users; it is no longer offered (migration 0012).
    retired_at: datetime | None = None


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(default="", max_length=128)
    role: str = Field(max_length=16)
    department_code: str | None = Field(default=None, foreign_key="departments.code", max_length=16)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Issue 13, stores: the store a store manager runs (migration 0017).
    store_code: str | None = Field(default=None, foreign_key="stores.code", max_length=16)


class Customer(SQLModel, table=True):
    __tablename__ = "customers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=128)
    # One customer per phone and per e-mail address (lower case); none is NULL, never "".
    phone: str | None = Field(default=None, max_length=32, unique=True, index=True)
    email: str | None = Field(default=None, max_length=254, unique=True, index=True)
    customer_class: str = Field(default="end_user", max_length=16)
    # "Who sells, serves": sub-dealers and end users are served by their A-class dealer.
    dealer_id: int | None = Field(default=None, foreign_key="customers.id")
    region: str = Field(default="CN", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    # When the customer's name, phone and e-mail were erased at their request (PIPL art. 47,
    # GDPR art. 17): the record and its cases stay for the counts, without the person.
    erased_at: datetime | None = None


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_id", "status", "id"),
        Index("ix_cases_department_id", "department_code", "id"),
        Index("ix_cases_handler_id", "handler_id", "id"),
        Index("ix_cases_registered_by_id", "registered_by", "id"),  # an agent's own cases (0031)
        Index("ix_cases_store_id", "store_code", "id"),  # a store manager's cases and badge (0035)
        Index("ix_cases_severity_id", "severity", "id"),
        Index("ix_cases_next_due_id", "next_due_at", "id"),
        Index("ix_cases_product_batch", "product", "batch"),
        Index("ix_cases_customer_id", "customer_id", "id"),
        # The period review picks the cases registered in a period (migration 0005).
        Index("ix_cases_registered_at", "registered_at"),
        # the overview's Pareto of causes reads closed cases of recent months from this alone
        Index("ix_cases_closed_at", "closed_at", "fishbone_factor", "merged_into_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)
    # Optimistic concurrency: every write checks and bumps it.
    version: int = 1
    status: str = Field(max_length=16)
    urgent: bool = False

    # 1. receive and register
    channel: str = Field(max_length=16)
    customer_id: int = Field(foreign_key="customers.id")
    customer_class: str = Field(default="end_user", max_length=16)
    product: str = Field(default="", max_length=128)
    order_no: str = Field(default="", max_length=64)
    batch: str = Field(default="", max_length=64)
    purchase_date: date | None = None
    category: str = Field(default="", max_length=32)
    severity: int = 1
    description: str = Field(sa_column=Column(Text, nullable=False))
    customer_request: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    caller_mood: str | None = Field(default=None, max_length=16)
    # complaint, inquiry or suggestion (domain/vocabulary.Kind; migration 0013)
    kind: str = Field(default="complaint", max_length=16)
    # Resolved at the first contact (registered and resolved in one step), whatever came after.
    first_contact: bool = False
    registered_at: datetime = Field(default_factory=utcnow)
    registered_by: int = Field(foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow)
    # 2. validity
    validity: str = Field(default="undecided", max_length=16)
    validity_reason: str = ""
    # 3. responsible department
    department_code: str | None = Field(default=None, foreign_key="departments.code", max_length=16)
    handler_id: int | None = Field(default=None, foreign_key="users.id")
    assigned_at: datetime | None = None
    # 4. cause: 5W2H and the fishbone factor
    cause_what: str = ""
    cause_why: str = ""
    cause_when: str = ""
    cause_where: str = ""
    cause_who: str = ""
    cause_how: str = ""
    cause_how_much: str = ""
    fishbone_factor: str | None = Field(default=None, max_length=16)
    # 5./6. the approved remedy
    remedy: str | None = Field(default=None, max_length=16)
    amount_cents: int | None = None
    # 8. implementation
    implementation: str = ""
    accountability: str = ""
    preventive_action: str = ""
    implemented_at: datetime | None = None
    # 9. follow-up
    satisfaction: int | None = None
    closed_at: datetime | None = None
    closure: str | None = Field(default=None, max_length=16)
    merged_into_id: int | None = Field(default=None, foreign_key="cases.id")
    # 10. review
    typical: bool = False
    # deadlines
    acknowledge_due_at: datetime | None = None
    answer_due_at: datetime | None = None
    department_due_at: datetime | None = None
    follow_up_due_at: datetime | None = None
    next_due_at: datetime | None = None  # none while the department waits for the customer
    # When under a quarter of the time to next_due_at is left: the case is "at risk" from then.
    at_risk_at: datetime | None = None
    waiting_since: datetime | None = None
    # import idempotency: a row imported twice is recognised by this key
    source_key: str | None = Field(default=None, max_length=64, unique=True)
    # Issue 13, products: the catalogue product picked in the intake (``product`` keeps the text).
    product_code: str | None = Field(default=None, foreign_key="products.code", max_length=32)
    # Issue 13, batch part: how many units the complaint is about (a batch problem counts units).
    units: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # Issue 13, stores: the store where the complaint was made, and the language the customer
    # is answered in (zh/en/es; None: taken from the customer's region) (migration 0017).
    store_code: str | None = Field(default=None, foreign_key="stores.code", max_length=16)
    customer_lang: str | None = Field(default=None, max_length=8)
    # Issue 13, remedies: the price of what the complaint is about (the intake's, or the picked
    # product's retail price), which a compensation's suggested range is measured against.
    price_cents: int | None = None


class CaseEvent(SQLModel, table=True):
    """One line of a case's timeline. Append-only: the database refuses UPDATE and DELETE."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_id", "case_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    at: datetime = Field(default_factory=utcnow)
    actor_id: int = Field(foreign_key="users.id")
    # The admin who acted as ``actor_id`` (kesu-desk --user), or None.
    admin_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=24)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    visibility: str = Field(default="internal", max_length=16)
    # Structured details (the fields an action set), as JSON text.
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    # The erasure (an access-log entry) that masked a customer's personal data in the comment
    # and details: the only change the database lets an event undergo (migration 0011).
    erasure_id: int | None = Field(default=None, foreign_key="access_log.id")


class Proposal(SQLModel, table=True):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_status_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    remedy: str = Field(max_length=16)
    amount_cents: int | None = None
    details: str = ""
    proposed_by: int = Field(foreign_key="users.id")
    proposed_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="pending", max_length=16)
    approvals_needed: int = 1
    # Issue 16: how many approvals (decision "approved") it has been given so far, kept with every
    # approval, so the approvals badge looks up approvals only for the few that have some.
    approvals_given: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Issue 13, remedies: the case's price when proposed (the compensation range's measure), and
    # why a compensation outside that range is proposed (migration 0018).
    price_cents: int | None = None
    range_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Approval(SQLModel, table=True):
    __tablename__ = "approvals"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposals.id", index=True)
    approver_id: int = Field(foreign_key="users.id")
    decision: str = Field(max_length=16)
    comment: str = ""
    at: datetime = Field(default_factory=utcnow)


class Survey(SQLModel, table=True):
    __tablename__ = "surveys"
    # the overview's satisfaction of recent days
    __table_args__ = (Index("ix_surveys_at", "at", "answered", "score"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    score: int | None = None
    solved: bool | None = None
    comments: str = ""
    answered: bool = True
    recorded_by: int = Field(foreign_key="users.id")
    at: datetime = Field(default_factory=utcnow)


class CaseCounter(SQLModel, table=True):
    """The last case number given out per local day; makes numbers unique across terminals."""

    __tablename__ = "case_counters"

    day: str = Field(primary_key=True, max_length=8)
    last: int = 0


class CaseCount(SQLModel, table=True):
    """How many cases there are per status, department and severity, kept by database triggers
    on every insert and update of a case, so the queue's counts never scan a million rows."""

    __tablename__ = "case_counts"

    status: str = Field(primary_key=True, max_length=16)
    department: str = Field(default="", primary_key=True, max_length=16)  # "" = not assigned
    severity: int = Field(primary_key=True)
    # Issue 16: on PostgreSQL each connection adds to its own of 16 rows (pg_backend_pid() % 16),
    # so concurrent registrations do not wait on one row; readers add the shards up.
    shard: int = Field(default=0, primary_key=True)
    n: int = 0


class CorrectiveAction(SQLModel, table=True):
    """A corrective action (DOMAIN.md: a batch problem requires one; a supervisor may open one on
    any case): who does what by when, then whether the problem came back. Its changes are told
    on the timeline of the case it was opened from (``case_id``)."""

    __tablename__ = "corrective_actions"
    __table_args__ = (
        Index("ix_corrective_actions_product_batch", "product", "batch"),
        Index("ix_corrective_actions_status_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Optimistic concurrency, as for cases: every change checks and bumps it.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    case_id: int = Field(foreign_key="cases.id", index=True)
    # The batch problem it answers (both empty for a single case's action).
    product: str = Field(default="", max_length=128)
    batch: str = Field(default="", max_length=64)
    action: str = Field(sa_column=Column(Text, nullable=False))
    owner_id: int = Field(foreign_key="users.id")
    due_date: date
    status: str = Field(default="open", max_length=16)
    # 1, plus one for every effectiveness check that found it not effective.
    rounds: int = 1
    progress: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    completed_at: datetime | None = None
    check_due: date | None = None  # completion day + Settings.corrective_check_days
    effective: bool | None = None
    checked_at: datetime | None = None
    checked_by: int | None = Field(default=None, foreign_key="users.id")
    check_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    opened_by: int = Field(foreign_key="users.id")
    opened_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Issue 13, batch part: the general manager confirmed the handling of the returned batch.
    gm_confirmed_by: int | None = Field(default=None, foreign_key="users.id")
    gm_confirmed_at: datetime | None = None


class AccessEntry(SQLModel, table=True):
    """One line of the access log: a bulk read of personal data (export, print, a report naming
    repeat complainants) or an erasure, by whom and what was asked. Append-only: the database
    refuses UPDATE and DELETE (migration 0011)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user_id: int = Field(foreign_key="users.id")
    # The admin acting as ``user_id`` (kesu-desk --user), or None.
    admin_id: int | None = Field(default=None, foreign_key="users.id")
    # What identified the person: the login name of the process or the database role.
    login: str = Field(default="", max_length=64)
    use: str = Field(max_length=16)  # domain.access.Use
    # What was asked (filters, period, case number, format) and how many cases it returned, JSON.
    # Never the personal data itself: an erasure names the customer by id only.
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    rows: int | None = None
    customer_id: int | None = Field(default=None, foreign_key="customers.id")


class Product(SQLModel, table=True):
    """A product or spare part the business sells (issue 13), loaded from a spreadsheet:
    ``kesu-desk products import``. Never deleted: retired, so the cases naming it keep it."""

    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    kind: str = Field(default="product", max_length=16)  # domain.products.Kind
    # One name (what the intake fills in), and its translations where the business has them.
    name: str = Field(max_length=128)
    name_zh: str = Field(default="", max_length=128)
    name_en: str = Field(default="", max_length=128)
    name_es: str = Field(default="", max_length=128)
    warranty_months: int | None = None
    retail_price_cents: int | None = None
    # A spare part: the codes of the products it fits, separated by spaces ("" = any or unknown).
    fits: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    retired_at: date | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ProductBarcode(SQLModel, table=True):
    """An EAN/UPC barcode of a product: one product per barcode, several barcodes per product."""

    __tablename__ = "product_barcodes"

    barcode: str = Field(primary_key=True, max_length=14)
    product_id: int = Field(foreign_key="products.id", index=True)
class Notification(SQLModel, table=True):
    """A message stored for a department (``department_code``) or a user (``user_id``): a batch
    problem or an escalation they must know of. Its recipients see it in their inbox."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient", "department_code", "user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    department_code: str | None = Field(default=None, foreign_key="departments.code", max_length=16)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=24)  # batch_problem, escalation, representative
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    read_by: int | None = Field(default=None, foreign_key="users.id")
class DealerLedgerEntry(SQLModel, table=True):
    """Issue 13, dealers: one line of an A-class dealer's after-sales allowance ledger — a purchase
    (earns the allowance) or a charge against it (a spare part sent). Append-only: the database
    refuses UPDATE and DELETE (migration 0016)."""

    __tablename__ = "dealer_ledger"
    __table_args__ = (Index("ix_dealer_ledger_dealer", "dealer_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    dealer_id: int = Field(foreign_key="customers.id")
    at: datetime = Field(default_factory=utcnow)
    kind: str = Field(max_length=16)  # "purchase" or "charge"
    amount_cents: int
    on_date: date | None = None  # the purchase's date
    case_id: int | None = Field(default=None, foreign_key="cases.id")
    user_id: int | None = Field(default=None, foreign_key="users.id")
    # A charge beyond the balance: the business representative who approved it (6.3 f).
    approved_by: str | None = Field(default=None, max_length=128)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default="", server_default=""))
class Store(SQLModel, table=True):
    """A shop of the chain (issue 13): its store manager approves refunds and compensation of its
    cases up to ``approval_limit_cents``. A retired store keeps its cases; no new ones get it."""

    __tablename__ = "stores"

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=128)
    region: str = Field(default="", max_length=64)
    approval_limit_cents: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    retired_at: datetime | None = None


class ProposalRemedy(SQLModel, table=True):
    """Issue 13, remedies: one remedy of a proposal (exchange + compensation…), in order, with its
    own amount where money moves. ``Proposal.remedy``/``amount_cents`` are the first and the sum."""

    __tablename__ = "proposal_remedies"
    __table_args__ = (UniqueConstraint("proposal_id", "position", name="uq_proposal_remedies_position"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposals.id")
    position: int
    remedy: str = Field(max_length=16)
    amount_cents: int | None = None


def column_length(model: type[SQLModel], name: str) -> int:
    """The most characters column ``name`` of ``model``'s table holds."""
    return int(model.__table__.c[name].type.length)  # type: ignore[attr-defined]


class UserKey(SQLModel, table=True):
    """Issue 17: a public key a desk user signs in with over the desk's own SSH server
    (``kesu-desk serve --ssh``): the key decides who the user is. A key belongs to one user."""

    __tablename__ = "user_keys"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    fingerprint: str = Field(max_length=64, unique=True)  # SHA256:… as OpenSSH shows it
    key: str = Field(sa_column=Column(Text, nullable=False))  # the OpenSSH public key line
    comment: str = Field(default="", max_length=128)
    added_at: datetime = Field(default_factory=utcnow)


class UserPreference(SQLModel, table=True):
    """Issue 15: what one desk user chose for themselves (the queue's filters and sort), kept in
    the database so it follows them to any terminal — and is never another user's default, as a
    terminal's shared config file was. One row per user and name, the value as JSON."""

    __tablename__ = "user_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    name: str = Field(max_length=50, primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class OutboxMessage(SQLModel, table=True):
    """Issue 17: an e-mail to a customer, written in the same transaction as the event that
    causes it (registration: the acknowledgement; approval: the outcome; implementation: the
    follow-up survey) and sent afterwards by ``kesu-desk mail send`` or a running desk. Claimed
    (status ``sending``) before it is handed to the SMTP server, so it is never sent twice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=16)  # acknowledgement, outcome, survey
    to_address: str = Field(max_length=254)
    lang: str = Field(max_length=8)
    subject: str = Field(max_length=255)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="pending", max_length=16)  # pending, sending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)


# -- Issue 13, dealers in the case's work (migration 0022) --------------------------------------


class DealerContract(SQLModel, table=True):
    """An A-class dealer's contract with the maker (seed 002, 5.1): its number, the business
    representative who approves service beyond the allowance (6.3 f), and whom to call."""

    __tablename__ = "dealer_contracts"

    dealer_id: int = Field(foreign_key="customers.id", primary_key=True)
    contract_no: str = Field(max_length=64)
    representative: str = Field(max_length=128)
    contact: str = Field(max_length=128)
    phone: str = Field(max_length=32)


class SparePartShipment(SQLModel, table=True):
    """Spare parts sent on a case (seed 002, 6.3 a–f): what, how many, at what unit price and who
    pays — "allowance" (the A-class dealer's, charged in the same transaction), "customer" or
    "free"."""

    __tablename__ = "spare_part_shipments"
    __table_args__ = (Index("ix_spare_part_shipments_case", "case_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    part_code: str = Field(max_length=32)
    name: str = Field(max_length=128)
    qty: int
    unit_price_cents: int
    charged_to: str = Field(max_length=16)
    dealer_id: int | None = Field(default=None, foreign_key="customers.id")
    approved_by: str | None = Field(default=None, max_length=128)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = Field(default_factory=utcnow)


class CaseImplementation(SQLModel, table=True):
    """Issue 13, accountability (step 8): one implementation of a case's remedy — what was done,
    the person directly responsible and their penalty (a share of performance pay OR an amount,
    in proportion to the loss), and who delayed the handling. A second implementation (after a
    reopening) is a row of its own: the first is never overwritten."""

    __tablename__ = "case_implementations"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_implementations_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    seq: int  # 1 for the first implementation of the case, 2 for the next…
    implemented_at: datetime = Field(default_factory=utcnow)
    implemented_by: int = Field(foreign_key="users.id")
    implementation: str = Field(sa_column=Column(Text, nullable=False))
    preventive_action: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    responsible: str = Field(default="", max_length=128)
    penalty_percent_hundredths: int | None = None  # 12.5% is 1250
    penalty_cents: int | None = None
    loss_cents: int | None = None
    delayed_by: str = Field(default="", max_length=128)
    delay_reason: str = Field(default="", max_length=500)


class CaseTask(SQLModel, table=True):
    """Issue 13: a step of a task template a case carries (returned defectives: warehouse receipt
    → QA test → R&D opinion → …; the Spanish chain's questionnaire and hand-over sheet): its
    department, owner, due time, and when and by whom it was done."""

    __tablename__ = "case_tasks"
    __table_args__ = (UniqueConstraint("case_id", "template", "step_key", name="uq_case_tasks_step"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    template: str = Field(max_length=40)
    step_key: str = Field(max_length=40)
    position: int
    title: str = Field(sa_column=Column(Text, nullable=False))  # zh/en/es as the template said (JSON)
    department_code: str = Field(foreign_key="departments.code", max_length=16)
    parallel: bool = False
    owner_id: int | None = Field(default=None, foreign_key="users.id")
    due_at: datetime
    done_at: datetime | None = None
    done_by: int | None = Field(default=None, foreign_key="users.id")
    note: str = Field(default="", max_length=500)


class EvidenceContent(SQLModel, table=True):
    """Issue 13: the bytes of a photo, receipt or invoice, once per content (SHA-256), in the
    database so every terminal on PostgreSQL sees them (and a SQLite desk keeps them in its file)."""

    __tablename__ = "evidence_content"

    sha256: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Evidence(SQLModel, table=True):
    """Issue 13: evidence attached to a case — who collected it, when, what it is."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_evidence_case_content"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    sha256: str = Field(foreign_key="evidence_content.sha256", max_length=64)
    file_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    collected_by: int = Field(foreign_key="users.id")
    collected_at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=500)
