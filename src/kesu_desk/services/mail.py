"""E-mail to customers, with nothing lost (issue 17).

The seeds promise the customer an acknowledgement with the case number within 24 hours, the
outcome once it is approved (never before) and the follow-up survey. For a customer with an e-mail
address each is written to the outbox in the same transaction as the event that causes it (so a
crash loses neither or both) and put on the case's timeline; a sender — ``kesu-desk mail send``,
or a running desk — hands them to the SMTP server of ``[mail]`` with retries and backoff.

Never sent twice: a message is claimed (``sending``) before it goes to the server; one whose
sender died in between is not sent again but marked failed ("may have gone"), for a person to
check. Templates per language are data (assets/mail/<lang>.toml; ``mail/<lang>.toml`` in the
config folder overrides any of them).
"""

from __future__ import annotations

import smtplib
import string
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from importlib.resources import files
from typing import Any

from kesu_desk.config import LANGUAGES, Mail, config_path
from kesu_desk.domain.vocabulary import Action, Status
from kesu_desk.i18n import FALLBACK, money, t
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import outbox as store
from kesu_desk.store.models import Case, Customer, OutboxMessage, column_length
from kesu_desk.store.uow import UnitOfWork
from kesu_desk.text import one_line

ACKNOWLEDGEMENT, OUTCOME, SURVEY = "acknowledgement", "outcome", "survey"
KINDS = (ACKNOWLEDGEMENT, OUTCOME, SURVEY)
PLACEHOLDERS = frozenset({"name", "number", "answer_due", "outcome", "survey_days"})
BATCH = 50
# After the n-th failed attempt the next one waits 2^(n-1) minutes, at most a day.
MAX_BACKOFF = timedelta(hours=24)
# A message claimed longer ago than this by a sender that never finished: that sender died.
SENDING_TIMEOUT = timedelta(minutes=10)


# -- templates ----------------------------------------------------------------------------------


def _shipped(lang: str) -> dict[str, Any]:
    return tomllib.loads((files("kesu_desk.assets") / "mail" / f"{lang}.toml").read_text(encoding="utf-8"))


def _own(lang: str) -> dict[str, Any]:
    path = config_path().parent / "mail" / f"{lang}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none, or broken: the shipped templates
        return {}


def _usable(template: Any) -> bool:
    """A template is a subject and a body using only the placeholders the desk fills."""
    if not isinstance(template, dict) or not all(isinstance(template.get(k), str) for k in ("subject", "body")):
        return False
    try:
        names = {n for part in (template["subject"], template["body"])
                 for _, n, _, _ in string.Formatter().parse(part) if n is not None}
    except ValueError:
        return False
    return names <= PLACEHOLDERS


def template(kind: str, lang: str) -> tuple[str, str]:
    """(subject, body) of ``kind`` in ``lang``: the desk's own if usable, else the shipped one."""
    lang = lang if lang in LANGUAGES else FALLBACK
    own: Any = _own(lang).get(kind)
    chosen: dict[str, str] = own if _usable(own) else _shipped(lang)[kind]
    return chosen["subject"], chosen["body"]


# -- writing to the outbox (inside the unit of work of the event) -------------------------------


def _date(desk: Desk, lang: str, moment: datetime | None) -> str:
    if moment is None:
        return "-"
    day = desk.calendar.local_date(moment)
    return t("canned.date", lang, year=day.year, month=day.month, day=day.day)


def _outcome(uow: UnitOfWork, case: Case, lang: str, currency: str) -> str:
    """The approved remedies, each with its amount where money moves (exchange + compensation…)."""
    from kesu_desk.domain.vocabulary import ProposalStatus
    from kesu_desk.store.remedies import lines_of as remedy_lines

    approved = uow.cases.proposals(case, ProposalStatus.APPROVED)[-1:]
    lines = remedy_lines(uow.session, approved)[approved[0].id or 0] if approved else []
    if not lines and case.remedy:
        lines = [(case.remedy, case.amount_cents)]
    if not lines:
        return "-"

    def one(remedy: str, cents: int | None) -> str:
        name = t(f"remedy.{remedy}", lang)
        return name if cents is None else t("canned.outcome_amount", lang, remedy=name, amount=money(f"{cents / 100:.2f}", lang, currency))

    return t("mail.and", lang).join(one(r, c) for r, c in lines)


def _queue(uow: UnitOfWork, desk: Desk, case: Case, customer: Customer, kind: str, actor: Any,
           now: datetime) -> None:
    from kesu_desk.services.letter import customer_language  # it uses cases, which uses this

    lang = customer_language(case.customer_lang, customer.region)  # as the written answer
    values = {
        "name": one_line(customer.name) or t("mail.customer", lang),
        "number": case.number,
        "answer_due": _date(desk, lang, case.answer_due_at),
        # the outcome only in the message sent once it is approved (never before)
        "outcome": _outcome(uow, case, lang, desk.settings.currency) if kind == OUTCOME else "",
        "survey_days": str(desk.settings.deadlines.follow_up_working_days),
    }
    subject, body = template(kind, lang)
    subject = one_line(subject.format_map(values), column_length(OutboxMessage, "subject"))
    text = body.format_map(values)
    if kind != OUTCOME:  # an edited template must not tell what is not decided yet
        from kesu_desk.services.cases import keep_outcome_secret

        keep_outcome_secret(uow, case, f"{subject}\n{text}")
    assert case.id is not None and customer.email
    store.add(uow.session, OutboxMessage(case_id=case.id, kind=kind, to_address=customer.email, lang=lang,
                                         subject=subject, body=text, created_at=now, next_attempt_at=now))
    uow.events.write(case, actor, Action.MAIL, case.status, case.status, now=now, kind=kind)


def after_event(uow: UnitOfWork, desk: Desk, case: Case, actor: Any, action: Action, target: str,
                now: datetime, *, imported: bool = False) -> None:
    """What this event tells the customer by e-mail, if anything: the acknowledgement at
    registration (not for an imported case: it was acknowledged long ago), the outcome once a
    proposal is fully approved, the survey once the remedy is carried out."""
    if not desk.settings.mail.enabled or imported:
        return
    kind = {Action.REGISTER: ACKNOWLEDGEMENT, Action.APPROVE: OUTCOME, Action.IMPLEMENT: SURVEY}.get(action)
    if kind is None or (kind == OUTCOME and target != Status.APPROVED.value):
        return  # an approval that still waits for a second one tells the customer nothing
    customer = uow.customers.get(case.customer_id)
    if customer.email:
        _queue(uow, desk, case, customer, kind, actor, now)


# -- sending --------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    interrupted: int = 0


def _backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class _Claimed:
    id: int
    to_address: str
    subject: str
    body: str
    attempts: int


def _message(settings: Mail, row: _Claimed) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr(("", settings.sender)) if "<" not in settings.sender else settings.sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(idstring=f"kesu-{row.id}")
    message.set_content(row.body)
    return message


def _deliver(settings: Mail, row: _Claimed) -> None:
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(_message(settings, row))


def _permanent(error: Exception) -> bool:
    """A refusal the server will repeat (5xx: no such mailbox, refused sender); a 4xx, a timeout
    or a dropped connection is worth another try."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return isinstance(code, int) and 500 <= code < 600


def send_pending(desk: Desk, *, now: datetime | None = None, limit: int = BATCH) -> SendReport:
    """Send what is due, each message claimed first. Returns what happened."""
    settings = desk.settings.mail
    report = SendReport()
    if not settings.enabled:
        return report
    now = now or utcnow()
    with desk.uow() as uow:  # senders that died while sending: never again, a person checks
        for stuck in store.interrupted(uow.session, now - SENDING_TIMEOUT):
            stuck.status, stuck.last_error = store.FAILED, "interrupted while sending: it may have gone"
            report.interrupted += 1
        uow.commit()
    with desk.uow(write=False) as uow:
        due = store.due(uow.session, now, limit)
    for message_id in due:
        with desk.uow() as uow:
            if not store.claim(uow.session, message_id):
                continue  # another sender has it
            row = store.get(uow.session, message_id)
            assert row is not None
            uow.session.refresh(row)  # the claim counted the attempt in SQL
            row.next_attempt_at = now  # when the claim was made (see interrupted)
            claimed = _Claimed(message_id, row.to_address, row.subject, row.body, row.attempts)
            uow.commit()
        try:
            _deliver(settings, claimed)
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            permanent = _permanent(error) or claimed.attempts >= settings.max_attempts
            with desk.uow() as uow:
                current = store.get(uow.session, message_id)
                assert current is not None
                current.status = store.FAILED if permanent else store.PENDING
                current.next_attempt_at = now + _backoff(current.attempts)
                current.last_error = one_line(f"{type(error).__name__}: {error}", 500)
                uow.commit()
            report.failed += permanent
            report.retried += not permanent
            continue
        with desk.uow() as uow:
            gone = store.get(uow.session, message_id)
            assert gone is not None
            gone.status, gone.sent_at, gone.last_error = store.SENT, utcnow(), ""
            uow.commit()
        report.sent += 1
    return report


@dataclass(frozen=True)
class OutboxView:
    id: int
    number: str
    kind: str
    to: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str


def list_outbox(desk: Desk, status: str | None = None, limit: int = 100) -> list[OutboxView]:
    with desk.uow(write=False) as uow:
        return [OutboxView(m.id or 0, number, m.kind, m.to_address, m.status, m.attempts, m.created_at,
                           m.sent_at, m.last_error)
                for m, number in store.listed(uow.session, status, limit)]


def failed_count(desk: Desk) -> int:
    with desk.uow(write=False) as uow:
        return store.count(uow.session, store.FAILED)
