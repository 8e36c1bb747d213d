"""The intake form's services: who is calling (both engines) and the draft kept on disk."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kesu_desk.domain.vocabulary import Status
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.intake import (
    DraftStore,
    department_names,
    draft_path,
    find_customer,
    known_categories,
    temporary_path,
)
from kesu_desk.services.views import CaseView

# -- who is calling -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["13800138000", "138 0013 8000", "+86 138-0013-8000"])
def test_a_known_phone_finds_the_customer_however_it_is_typed(
    desk: Desk, register: Callable[..., CaseView], typed: str
) -> None:
    first = register(description="壶盖密封圈漏水")
    found = find_customer(desk, phone=typed)
    assert found is not None
    assert found.customer.id == first.customer.id
    assert found.customer.name == "李雷"
    assert [c.number for c in found.cases] == [first.number]
    assert found.repeat and not found.more


def test_cases_are_listed_newest_first_and_open_ones_are_told_apart(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    closed = register(description="第一次")
    cases.decide_validity(desk, "ag", closed.number, founded=False, reason="不成立", version=closed.version)
    still_open = register(description="第二次 [b]x[/b]")
    found = find_customer(desk, phone="13800138000")
    assert found is not None
    assert [c.number for c in found.cases] == [still_open.number, closed.number]
    assert [c.status for c in found.cases] == [Status.REGISTERED, Status.CLOSED]
    assert [c.number for c in found.open_cases] == [still_open.number]
    assert found.cases[0].summary == "第二次 [b]x[/b]"


def test_an_e_mail_finds_the_customer_when_there_is_no_phone(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    view = register(phone="", email="li@example.com")
    found = find_customer(desk, email=" li@example.com ")
    assert found is not None and found.customer.id == view.customer.id
    # A phone number nobody has does not hide the e-mail match (registration does the same).
    again = find_customer(desk, phone="13900139000", email="li@example.com")
    assert again is not None and again.customer.id == view.customer.id


def test_nobody_is_found_for_an_unknown_or_unfinished_contact(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    register()
    assert find_customer(desk, phone="13900139000") is None
    assert find_customer(desk, phone="1380013") is None  # still being typed: not a number yet
    assert find_customer(desk, phone="not a number", email="") is None
    assert find_customer(desk) is None


def test_the_card_holds_twenty_cases_and_says_there_are_more(
    desk: Desk, register: Callable[..., CaseView]
) -> None:
    made = [register(description=f"第{i}次") for i in range(22)]
    found = find_customer(desk, phone="13800138000")
    assert found is not None
    assert len(found.cases) == 20 and found.more
    assert found.cases[0].number == made[-1].number


def test_reference_data_for_the_form(desk: Desk) -> None:
    assert department_names(desk)["QA"]["zh"] == "质量管理部"
    categories = known_categories(desk)
    assert "quality_defect" in categories and categories == sorted(set(categories))


# -- the draft on disk --------------------------------------------------------------------------


def test_one_draft_file_per_user_and_database_and_no_password_in_it(tmp_path: Path) -> None:
    a = draft_path("postgresql+psycopg://kesu:secret@db/kesu", "ag", tmp_path)
    assert a == draft_path("postgresql+psycopg://kesu:other@db/kesu", "ag", tmp_path)
    assert a != draft_path("postgresql+psycopg://kesu:secret@db/other", "ag", tmp_path)
    assert a != draft_path("postgresql+psycopg://kesu:secret@db/kesu", "sup", tmp_path)
    assert "secret" not in a.name and a.parent == tmp_path
    odd = draft_path("sqlite:///x.db", "../李/雷", tmp_path)
    assert odd.parent == tmp_path and "/" not in odd.name


def test_the_default_folder_is_the_user_data_folder(desk: Desk) -> None:
    path = DraftStore.for_desk(desk, "ag").path
    assert path.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))


def test_a_draft_comes_back_exactly_as_typed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts" / "ag.json")
    assert store.load() is None
    fields = {"description": "[b]粗体[/b] \x1b[31m红\x1b[0m\n第二行", "urgent": True, "caller_mood": None}
    assert store.save(fields, 1)
    assert fields_of(DraftStore(store.path)) == fields
    # Only the user may read it (customer data), and no temporary file is left behind.
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [p.name for p in store.path.parent.iterdir()] == ["ag.json"]


def test_an_older_write_never_replaces_a_newer_one(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ag.json")
    assert store.save({"description": "new"}, 5)
    assert not store.save({"description": "old"}, 4)
    assert fields_of(store) == {"description": "new"}


def test_discarding_deletes_unless_the_agent_typed_since(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ag.json")
    store.save({"description": "typed after registering began"}, 7)
    store.discard(6)  # the registration of what the form held at 6 finished late
    assert fields_of(store) == {"description": "typed after registering began"}
    store.discard(7)
    assert store.load() is None and not store.path.exists()
    assert not store.save({"description": "a late write of 7"}, 7)
    store.discard()  # nothing there: no error


def fields_of(store: DraftStore) -> dict[str, object] | None:
    saved = store.load()
    return saved.fields if saved is not None else None


def test_a_damaged_draft_is_ignored_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "ag.json"
    path.write_text("{not json", encoding="utf-8")
    assert DraftStore(path).load() is None
    path.write_text(json.dumps({"version": 99, "fields": {}}), encoding="utf-8")
    assert DraftStore(path).load() is None
    path.write_text(json.dumps({"version": 1, "fields": ["x"]}), encoding="utf-8")
    assert DraftStore(path).load() is None


def test_the_draft_says_when_it_was_saved_and_older_drafts_still_come_back(tmp_path: Path) -> None:
    moment = datetime(2025, 3, 21, 6, 30, 15, tzinfo=UTC)
    store = DraftStore(tmp_path / "ag.json", clock=lambda: moment)
    store.save({"description": "壶盖漏水"}, 1)
    saved = DraftStore(store.path).load()
    assert saved is not None and saved.saved_at == moment and saved.fields == {"description": "壶盖漏水"}
    # A draft an earlier desk wrote has no time in it: the file's time says when.
    store.path.write_text(json.dumps({"version": 1, "fields": {"description": "旧"}}), encoding="utf-8")
    os.utime(store.path, (moment.timestamp(), moment.timestamp()))
    older = DraftStore(store.path).load()
    assert older is not None and older.fields == {"description": "旧"} and older.saved_at == moment


def test_saving_now_wins_over_a_worker_that_saved_the_same_moment_with_older_fields(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ag.json")
    assert store.save({"description": "壶盖"}, 4)
    # The last key is in the field, its change not handled yet: still generation 4.
    store.save_now({"description": "壶盖漏水"}, 4)
    assert fields_of(store) == {"description": "壶盖漏水"}
    assert not store.save({"description": "壶盖"}, 4)  # a worker late with the older fields
    assert fields_of(store) == {"description": "壶盖漏水"}
    store.save_now(None, 5)  # the form was empty: no draft
    assert store.load() is None


def test_after_the_last_save_nothing_is_written_and_no_temporary_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signal that ends the desk arrives while the desk itself writes the draft (the handler
    runs in the main thread, between two lines of that write): the last save must not be
    dropped as "not newer", and the write it interrupted must not leave its temporary."""
    store = DraftStore(tmp_path / "ag.json")
    fsync = os.fsync
    when_the_process_ends: list[tuple[list[str], dict[str, object] | None]] = []
    signals = [signal.SIGHUP]

    def signal_arrives(fd: int) -> None:
        fsync(fd)
        if signals:
            signals.pop()
            store.save_now({"description": "壶盖漏水，第二次"}, 8, last=True)
            # The handler ends the process here: the interrupted write never goes on.
            when_the_process_ends.append(
                (sorted(p.name for p in tmp_path.iterdir()), fields_of(DraftStore(store.path))))
            raise SystemExit(129)

    monkeypatch.setattr(os, "fsync", signal_arrives)
    with pytest.raises(SystemExit):
        store.save({"description": "壶盖漏水，第二"}, 8)
    assert when_the_process_ends == [(["ag.json"], {"description": "壶盖漏水，第二次"})]
    # Nothing is written after the last save: not a worker's write, not a second signal's.
    assert not store.save({"description": "a worker after the end"}, 9)
    store.save_now({"description": "a second signal"}, 10, last=True)
    store.discard(11)
    assert fields_of(DraftStore(store.path)) == {"description": "壶盖漏水，第二次"}


def test_the_next_start_removes_the_temporaries_killed_desks_of_this_user_left(tmp_path: Path) -> None:
    store = DraftStore(draft_path("sqlite:///a.db", "ag", tmp_path))
    store.save({"description": "x"}, 1)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = int(ended.stdout)  # a process that has ended
    stale = temporary_path(store.path, dead)
    kept = [
        temporary_path(store.path, os.getpid()),  # this desk's own, being written
        temporary_path(store.path, os.getppid()),  # another desk of this user, running
        tmp_path / f"{store.path.stem}.other-machine.{dead}.0a1b2c3d.tmp",  # a desk elsewhere
        temporary_path(draft_path("sqlite:///a.db", "sup", tmp_path), dead),  # another user's
        temporary_path(draft_path("sqlite:///b.db", "ag", tmp_path), dead),  # another database's
    ]
    for path in [stale, *kept]:
        path.write_text("{}", encoding="utf-8")
    assert store.remove_stale() == [stale]
    assert sorted(tmp_path.iterdir()) == sorted([store.path, *kept])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux /proc")
def test_a_killed_desk_its_terminal_has_not_collected_yet_has_ended_too(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ag.json")
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # ends, and is not waited for yet
    try:
        stat_file = Path(f"/proc/{zombie.pid}/stat")
        for _ in range(400):
            if stat_file.read_text().rpartition(")")[2].split()[0] == "Z":
                break
            time.sleep(0.025)
        left = temporary_path(store.path, zombie.pid)
        left.write_text("{}", encoding="utf-8")
        assert store.remove_stale() == [left]
    finally:
        zombie.wait()
