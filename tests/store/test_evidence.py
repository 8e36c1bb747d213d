"""Issue 13: evidence attached to a case, on SQLite and PostgreSQL — kept once per content, on the
timeline with who collected it, exported byte for byte, refused in one line when it cannot be taken
(too large, empty, missing, a folder), a name with escape codes neutralised, and never lost when the
case is merged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import func, select

from kesu_desk.domain.errors import DeskError
from kesu_desk.services import cases, evidence
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.store.models import EvidenceContent

Register = Callable[..., CaseView]
PHOTO = bytes(range(256)) * 40  # not text: bytes must come back as they went in


def contents(desk: Desk) -> int:
    with desk.uow(write=False) as uow:
        return int(uow.session.exec(select(func.count()).select_from(EvidenceContent)).one())


def test_evidence_is_kept_listed_and_exported_byte_for_byte(desk: Desk, register: Register, tmp_path: Path) -> None:
    number = register().number
    photo = tmp_path / "漏水照片.jpg"
    photo.write_bytes(PHOTO)
    added = evidence.add_evidence(desk, "ag", number, photo, note="客户微信发来")
    assert (added.n, added.file_name, added.media_type, added.size, added.collected_by) == (
        1, "漏水照片.jpg", "image/jpeg", len(PHOTO), "ag")
    out = evidence.export_evidence(desk, number, 1, tmp_path / "out")
    assert out.read_bytes() == PHOTO if out.is_file() else False
    [event] = [e for e in cases.get_case(desk, number).timeline if e.action == "evidence"]
    assert (event.actor, event.details["file"]) == ("ag", "漏水照片.jpg")


def test_the_same_file_is_stored_once_and_attached_once_per_case(desk: Desk, register: Register,
                                                                   tmp_path: Path) -> None:
    first, second = register().number, register(phone="13900139000").number
    photo = tmp_path / "receipt.png"
    photo.write_bytes(PHOTO)
    evidence.add_evidence(desk, "ag", first, photo)
    evidence.add_evidence(desk, "ag", second, photo)
    with pytest.raises(DeskError) as twice:
        evidence.add_evidence(desk, "ag", first, photo)
    assert twice.value.code == "evidence_attached_already"
    assert contents(desk) == 1 and len(evidence.list_evidence(desk, first)) == 1


def test_what_cannot_be_attached_is_refused_and_nothing_is_written(desk: Desk, register: Register,
                                                                   tmp_path: Path) -> None:
    number = register().number
    big = tmp_path / "video.mp4"
    big.write_bytes(b"x" * (desk.settings.evidence_max_mb * 1024 * 1024 + 1))
    empty = tmp_path / "empty.pdf"
    empty.touch()
    for path, code in [(big, "evidence_too_large"), (empty, "evidence_empty"),
                       (tmp_path / "nowhere.jpg", "evidence_unreadable"), (tmp_path, "evidence_not_a_file")]:
        with pytest.raises(DeskError) as refused:
            evidence.add_evidence(desk, "ag", number, path)
        assert refused.value.code == code
    assert evidence.list_evidence(desk, number) == [] and contents(desk) == 0


def test_a_name_with_escape_codes_is_shown_as_pictures(desk: Desk, register: Register, tmp_path: Path) -> None:
    number = register().number
    hostile = tmp_path / "a\x1b[2Jb\x07.jpg"
    hostile.write_bytes(PHOTO)
    assert evidence.add_evidence(desk, "ag", number, hostile).file_name == "a␛[2Jb␇.jpg"


def test_merged_cases_keep_their_evidence_on_the_surviving_case(desk: Desk, register: Register,
                                                                tmp_path: Path) -> None:
    kept, duplicate = register(), register(description="壶盖漏水，第二次打来")
    photo = tmp_path / "invoice.pdf"
    photo.write_bytes(PHOTO)
    evidence.add_evidence(desk, "ag", duplicate.number, photo)
    cases.merge(desk, "ag", duplicate.number, into=kept.number, comment="同一客户同一问题",
                version=cases.get_case(desk, duplicate.number).version)
    [listed] = evidence.list_evidence(desk, kept.number)
    assert (listed.file_name, listed.case) == ("invoice.pdf", duplicate.number)
    assert evidence.export_evidence(desk, kept.number, 1, tmp_path / "copy.pdf").read_bytes() == PHOTO
