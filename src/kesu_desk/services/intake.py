"""Who is calling and their cases (for the intake form and the merge dialog), and the intake
form's draft kept on disk."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kesu_desk.config import data_dir
from kesu_desk.domain.vocabulary import OPEN_STATUSES
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import normalise_email, normalise_phone
from kesu_desk.services.users import department_views
from kesu_desk.services.views import CustomerView
from kesu_desk.sla import utcnow
from kesu_desk.store import queries
from kesu_desk.store.engine import shown_url
from kesu_desk.store.queries import QueueRow

# The customer card lists this many of the newest cases; one more is read to know there are more.
PAST_CASES = 20


# -- who is calling -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerHistory:
    """A known customer and their newest cases (newest first)."""

    customer: CustomerView
    cases: list[QueueRow]
    more: bool  # there are older cases than those listed

    @property
    def open_cases(self) -> list[QueueRow]:
        return [c for c in self.cases if c.status in OPEN_STATUSES]

    @property
    def repeat(self) -> bool:
        return bool(self.cases)


def find_customer(desk: Desk, *, phone: str = "", email: str = "", region: str | None = None) -> CustomerHistory | None:
    """The customer registration would attach a case to (same phone, else same e-mail), with
    their past cases (a handler's: those of their department); None while what was typed
    matches nobody (or is not a number yet)."""
    region = region or desk.settings.country
    e164 = ""
    if phone.strip():
        try:
            e164 = normalise_phone(phone.strip(), region)
        except ValueError:
            e164 = ""
    email = normalise_email(email)
    if not e164 and not email:
        return None
    with desk.uow(write=False) as uow:
        # The same lookup as registration's, so the card shows whom the case will get.
        customer = uow.customers.by_contact(e164, email)
        if customer is None or customer.id is None:
            return None
        rows = queries.customer_cases(uow.session, customer.id, limit=PAST_CASES + 1,
                                      scope=desk.scope)
        return CustomerHistory(CustomerView.of(customer), rows[:PAST_CASES], len(rows) > PAST_CASES)


def other_open_cases(desk: Desk, customer_id: int, *, excluding: str, limit: int = PAST_CASES) -> list[QueueRow]:
    """The customer's open cases but ``excluding``, newest first: what that case may be merged
    into (closed ones, merged ones among them, are left out: a merge into them is refused);
    a handler's: those of their department."""
    with desk.uow(write=False) as uow:
        rows = queries.customer_cases(uow.session, customer_id, limit=limit + 1, open_only=True,
                                      scope=desk.scope)
    return [r for r in rows if r.number != excluding][:limit]


def department_names(desk: Desk) -> dict[str, dict[str, str]]:
    """Department code → {language: name}, as the business configured them."""
    return {d.code: d.names for d in department_views(desk)}


def known_categories(desk: Desk) -> list[str]:
    """The categories the rules in force can suggest, for completing what the agent types."""
    seen: dict[str, None] = {}
    for rule in desk.rules:
        if rule.then.category:
            seen[rule.then.category] = None
    return sorted(seen)


# -- the draft on disk --------------------------------------------------------------------------

# "saved_at" came later without a new version: a desk that does not know it reads the fields
# and ignores it, and a draft written before it says its file's time instead.
DRAFT_VERSION = 1


def draft_path(db_url: str, user: str, folder: Path | None = None) -> Path:
    """Where ``user``'s draft for the database at ``db_url`` lives: one file per user and
    database, named by a hash so neither the URL nor its password shows in a file name."""
    # an unparsable URL is kept as it is: it still gets a stable name of its own
    digest = hashlib.sha256(shown_url(db_url).encode("utf-8")).hexdigest()[:16]
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:32] or "user"
    return (folder or data_dir() / "drafts") / f"{safe}-{digest}.json"


@dataclass(frozen=True)
class SavedDraft:
    fields: dict[str, Any]
    saved_at: datetime  # when it was written (UTC)


class DraftStore:
    """The intake form's draft as a JSON file, replaced atomically (a crash mid-write leaves the
    previous draft whole). Safe from worker threads and from a signal handler: writes are
    numbered, and a write older than the newest write or discard is dropped.

    A write goes through a temporary named after this host and process, so the next start can
    tell the ones a killed desk left (``remove_stale``) from those another desk is writing."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = utcnow) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.RLock()  # re-entrant: a signal may arrive while this thread writes
        self._newest = -1
        self._closed = False  # the process is ending: its last write is made
        self._writing: set[Path] = set()  # temporaries being written (under the lock)

    @classmethod
    def for_desk(cls, desk: Desk, user: str) -> DraftStore:
        return cls(draft_path(desk.settings.db, user))

    def load(self) -> SavedDraft | None:
        """The saved draft, or None when there is none (or it cannot be read)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            written = self.path.stat().st_mtime
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("version") != DRAFT_VERSION:
            return None
        fields = raw.get("fields")
        if not isinstance(fields, dict):
            return None
        try:
            saved_at = datetime.fromisoformat(raw["saved_at"]).astimezone(UTC)
        except (KeyError, TypeError, ValueError):
            saved_at = datetime.fromtimestamp(written, UTC)
        return SavedDraft(fields, saved_at)

    def save(self, fields: dict[str, Any], generation: int) -> bool:
        """Write ``fields`` unless something newer was written or discarded already."""
        with self._lock:
            if generation <= self._newest or self._closed:
                return False
            self._newest = generation
            self._write(fields)
            return True

    def discard(self, generation: int | None = None) -> None:
        """Delete the draft (after registration, or when the agent throws it away)."""
        with self._lock:
            if self._closed:
                return
            if generation is not None:
                if generation < self._newest:
                    return  # the agent has typed since: that draft is kept
                self._newest = generation
            self.path.unlink(missing_ok=True)

    def save_now(self, fields: dict[str, Any] | None, generation: int, *, last: bool = False) -> None:
        """Make ``fields`` the draft (None: there is none) at once, whatever was written before:
        the form closes, or the desk is being ended from outside. With ``last`` the process ends
        right after: nothing is written after this, and a write this thread was interrupted in
        (by the signal that ends it) is abandoned without leaving its temporary behind."""
        with self._lock:  # a worker's write in progress finishes first
            if self._closed:
                return
            self._newest = max(self._newest, generation)
            try:
                if fields is None:
                    self.path.unlink(missing_ok=True)
                else:
                    self._write(fields)
            finally:
                if last:
                    self._closed = True
                    for temp in self._writing:  # only this thread can be inside _write now
                        temp.unlink(missing_ok=True)

    def remove_stale(self) -> list[Path]:
        """Delete the temporaries of this draft that desks which ended without finishing their
        write left behind (killed with SIGKILL, the machine went down): those of processes of
        this host that are gone. Those of other users, databases or hosts are left alone."""
        removed = []
        with self._lock:
            for temp in self.path.parent.glob(f"{self.path.stem}.*.tmp"):
                host, _, rest = temp.name[len(self.path.stem) + 1:].partition(".")
                pid = rest.partition(".")[0]
                if host != HOST or not pid.isdigit() or not _ended(int(pid)):
                    continue
                try:
                    temp.unlink(missing_ok=True)
                except OSError:  # not ours to delete after all: left alone
                    continue
                removed.append(temp)
        return removed

    def _write(self, fields: dict[str, Any]) -> None:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        document = {"version": DRAFT_VERSION, "saved_at": self._clock().isoformat(), "fields": fields}
        temp = temporary_path(self.path, os.getpid())
        self._writing.add(temp)  # before it exists: a signal can come between any two lines
        try:
            # Customer data: readable by this user only, from the first byte written.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        finally:
            self._writing.discard(temp)


# This host in a temporary's name: a home folder shared by several machines holds the
# temporaries of desks running elsewhere, whose process numbers mean nothing here.
HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:64] or "host"


def temporary_path(draft: Path, pid: int) -> Path:
    """A new temporary for writing ``draft`` in process ``pid`` of this host."""
    return draft.with_name(f"{draft.stem}.{HOST}.{pid}.{secrets.token_hex(4)}.tmp")


def _ended(pid: int) -> bool:
    """Whether the process ``pid`` of this host is gone (this process never is): no such
    process, or a zombie (killed, and its terminal has not collected it yet)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive
        return False
    try:  # Linux: the state follows the command name, which may hold ") "
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False
