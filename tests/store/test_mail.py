"""E-mail to customers with nothing lost (issue 17), on SQLite and PostgreSQL, against a real SMTP
server started by the tests (aiosmtpd): the acknowledgement at registration, the outcome only
once approved, the survey after the remedy; retries with backoff when the server refuses for now
or drops the connection mid-message; a permanent refusal fails; never sent twice."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from casesteps import signed_in, to_investigating, to_proposed
from kesu_desk.config import Mail
from kesu_desk.services import cases, mail, privacy
from kesu_desk.services.desk import Desk
from kesu_desk.services.overview import overview
from kesu_desk.services.views import CaseView
from kesu_desk.sla import utcnow
from kesu_desk.store.models import OutboxMessage

Register = Callable[..., CaseView]


class Inbox:
    """What the SMTP server received; ``mode`` decides how it answers DATA."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.mode = "accept"  # accept, busy (451), refuse (550), drop (connection closed mid-message)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "busy":
            return "451 Try again later"
        if self.mode == "refuse":
            return "550 No such mailbox"
        if self.mode == "drop":
            server.transport.close()
            return "421 closing"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def mailing(desk: Desk, smtp: tuple[Inbox, int]) -> Desk:
    """The desk with [mail] pointing at the test's SMTP server."""
    _, port = smtp
    desk.settings = desk.settings.model_copy(update={"mail": Mail(smtp_host="127.0.0.1", smtp_port=port,
                                                                   timeout_seconds=5)})
    return desk


def outbox(desk: Desk) -> list[OutboxMessage]:
    with desk.uow(write=False) as uow:
        rows = list(uow.session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())
        uow.session.expunge_all()
        return rows


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_the_customer_gets_the_case_number_then_the_outcome_then_the_survey(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register, people: Any
) -> None:
    inbox, _ = smtp
    view = register(email="wang@example.com", phone="")
    assert [m.kind for m in outbox(mailing)] == ["acknowledgement"]
    assert mail.send_pending(mailing).sent == 1
    [ack] = inbox.messages
    assert ack["To"] == "wang@example.com" and view.number in ack["Subject"] and view.number in body(ack)
    # proposed: nothing yet (the outcome is never told before it is approved)
    view = to_proposed(mailing, view)
    assert [m.kind for m in outbox(mailing)] == ["acknowledgement"]
    view = cases.approve(mailing, "sup", view.number, version=view.version)
    assert [m.kind for m in outbox(mailing)] == ["acknowledgement", "outcome"]
    view = cases.record_customer_answer(mailing, "ag", view.number, agrees=True, version=view.version)
    cases.implement(mailing, "hq", view.number, implementation="已退款", accountability="供应商", version=view.version)
    assert mail.send_pending(mailing).sent == 2
    outcome, survey = inbox.messages[1:]
    assert "已经批准：退款，金额 ¥300.00" in body(outcome)
    assert view.number in survey["Subject"]
    assert mail.send_pending(mailing).sent == 0  # never twice
    timeline = [e.action for e in cases.get_case(mailing, view.number).timeline]
    assert timeline.count("mail") == 3


def test_no_address_no_mail_and_no_server_no_outbox(desk: Desk, register: Register) -> None:
    register()  # a phone only
    register(email="li@example.com", phone="")  # no [mail] configured
    assert outbox(desk) == []


def test_a_busy_or_dropping_server_is_tried_again_later_and_a_refusal_fails(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register
) -> None:
    inbox, _ = smtp
    register(email="wang@example.com", phone="")
    now = utcnow()
    for mode in ("busy", "drop"):
        inbox.mode = mode
        report = mail.send_pending(mailing, now=now)
        assert (report.sent, report.retried) == (0, 1)
        [row] = outbox(mailing)
        assert row.status == "pending" and row.next_attempt_at > now and row.last_error
        assert mail.send_pending(mailing, now=now).retried == 0  # not due again yet
        now += timedelta(hours=2)
    inbox.mode = "accept"
    assert mail.send_pending(mailing, now=now).sent == 1 and len(inbox.messages) == 1
    register(email="nobody@example.com", phone="")
    inbox.mode = "refuse"
    assert mail.send_pending(mailing, now=now).failed == 1
    assert [r.status for r in outbox(mailing)] == ["sent", "failed"] and mail.failed_count(mailing) == 1


def test_a_message_whose_sender_died_while_sending_is_not_sent_again(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register
) -> None:
    """A sender killed after claiming a message: it may have gone; a person checks, the desk
    does not send it twice."""
    inbox, _ = smtp
    register(email="wang@example.com", phone="")
    with mailing.uow() as uow:
        [row] = uow.session.exec(select(OutboxMessage)).all()
        row.status, row.next_attempt_at = "sending", utcnow() - timedelta(hours=1)
        uow.commit()
    report = mail.send_pending(mailing)
    assert (report.interrupted, report.sent) == (1, 0) and inbox.messages == []
    assert outbox(mailing)[0].status == "failed"


def test_two_senders_at_once_send_each_message_once(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register
) -> None:
    inbox, _ = smtp
    for n in range(6):
        register(email=f"c{n}@example.com", phone="")
    results: list[mail.SendReport] = []
    threads = [threading.Thread(target=lambda: results.append(mail.send_pending(mailing))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == 6 and len(inbox.messages) == 6
    assert sorted(m["To"] for m in inbox.messages) == [f"c{n}@example.com" for n in range(6)]


def test_the_outcome_guard_holds_for_an_edited_template(
    mailing: Desk, register: Register, people: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edited acknowledgement or survey template cannot carry what is not decided; a broken one
    falls back to the shipped template."""
    own = tmp_path / "mail"
    own.mkdir()
    (own / "zh.toml").write_text('[acknowledgement]\nsubject = "{nope}"\nbody = "x"\n', encoding="utf-8")
    monkeypatch.setattr(mail, "config_path", lambda: tmp_path / "config.toml")
    register(email="wang@example.com", phone="")
    assert outbox(mailing)[0].subject.startswith("您的投诉已受理")


def test_approved_once_of_two_tells_nothing_yet(mailing: Desk, register: Register, people: Any) -> None:
    view = to_proposed(mailing, register(email="wang@example.com", phone=""), amount="5000")
    view = cases.approve(mailing, "sup", view.number, version=view.version)
    assert view.status == "proposed" and [m.kind for m in outbox(mailing)] == ["acknowledgement"]


def test_the_overview_counts_failed_mail_only_with_a_server(
    desk: Desk, smtp: tuple[Inbox, int], register: Register
) -> None:
    assert overview(desk, "sup", utcnow()).mail_failed is None  # no [mail]: no such figure
    inbox, port = smtp
    desk.settings = desk.settings.model_copy(update={"mail": Mail(smtp_host="127.0.0.1", smtp_port=port)})
    register(email="nobody@example.com", phone="")
    inbox.mode = "refuse"
    mail.send_pending(desk)
    assert overview(desk, "sup", utcnow()).mail_failed == 1


def test_an_erased_customer_gets_no_mail_and_the_outbox_forgets_them(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register
) -> None:
    inbox, _ = smtp
    register(email="wang@example.com", phone="13700137000", customer_name="王芳")
    with signed_in(mailing, "adm"):
        privacy.erase_customer(mailing, "13700137000")
    [row] = outbox(mailing)
    assert (row.status, row.to_address) == ("failed", "") and "王芳" not in row.body
    assert mail.send_pending(mailing).sent == 0 and inbox.messages == []


def test_the_outcome_names_every_approved_remedy(
    mailing: Desk, smtp: tuple[Inbox, int], register: Register, people: Any
) -> None:
    """Issue 13's several remedies in one proposal: the customer is told all of them."""
    inbox, _ = smtp
    view = to_investigating(mailing, register(email="wang@example.com", phone=""))
    view = cases.propose(mailing, "hq", view.number, remedies=[("exchange", None), ("compensation", Decimal("80"))],
                         version=view.version)
    cases.approve(mailing, "sup", view.number, version=view.version)
    mail.send_pending(mailing)
    assert "换货；赔偿，金额 ¥80.00" in body(inbox.messages[-1])
