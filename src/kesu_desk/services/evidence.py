"""Evidence (issue 13): photos, receipts, invoices attached to a case, listed on its timeline with
who collected them, opened with the system's viewer or exported; never lost when the case is
merged (the surviving case lists the evidence of the cases merged into it).

The content is kept once per SHA-256 in the database — one code path for both engines, and on
PostgreSQL every terminal sees it; a SQLite desk keeps it in its own file (its backup takes it
along). Content first, then the record, in one transaction: a kill leaves both or neither."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.vocabulary import Action
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow
from kesu_desk.store import evidence as store
from kesu_desk.store.models import Evidence, column_length
from kesu_desk.text import visible_line

READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class EvidenceView:
    n: int  # its number in the case's list, 1 first
    case: str  # the case it was attached to (another one when merged into this)
    file_name: str
    media_type: str
    size: int
    collected_by: str
    collected_at: datetime
    note: str
    sha256: str


def _safe_name(path: Path) -> str:
    """The file's name as every screen and file system may show it: control characters (escape
    sequences) as pictures, no folders, within the column."""
    return visible_line(path.name, column_length(Evidence, "file_name")) or "file"


def add_evidence(desk: Desk, actor: str, number: str, path: Path, *, note: str = "") -> EvidenceView:
    """Attach the file at ``path`` to case ``number`` (whoever may work on the case)."""
    desk.check_actor(actor)
    limit = desk.settings.evidence_max_mb * 1024 * 1024
    try:
        info = path.stat()
    except OSError:
        raise DeskError("evidence_unreadable", path=visible_line(str(path))) from None
    if not path.is_file():
        raise DeskError("evidence_not_a_file", path=visible_line(str(path)))
    if info.st_size == 0:
        raise DeskError("evidence_empty", path=visible_line(str(path)))
    if info.st_size > limit:
        raise DeskError("evidence_too_large", path=visible_line(str(path)), mb=desk.settings.evidence_max_mb)
    try:
        content = path.read_bytes()
    except OSError:
        raise DeskError("evidence_unreadable", path=visible_line(str(path))) from None
    if len(content) > limit:  # it grew while being read
        raise DeskError("evidence_too_large", path=visible_line(str(path)), mb=desk.settings.evidence_max_mb)
    digest = hashlib.sha256(content).hexdigest()
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    note = visible_line(note, column_length(Evidence, "note"))
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        case = cases._for_change(desk, uow, number, None)
        workflow.check(Action.EVIDENCE, cases.case_facts(case), who)
        assert case.id is not None and who.id is not None
        if store.attached(uow.session, case.id, digest) is not None:
            raise DeskError("evidence_attached_already", number=case.number, name=_safe_name(path))
        store.keep_content(uow.session, digest, content)
        now = utcnow()
        row = Evidence(case_id=case.id, sha256=digest, file_name=_safe_name(path), media_type=media,
                       size=len(content), collected_by=who.id, collected_at=now, note=note)
        uow.session.add(row)
        uow.session.flush()
        uow.events.write(case, who, Action.EVIDENCE, case.status, case.status, now=now,
                         file=row.file_name, size=row.size, media=media)
        uow.commit()
    return next(v for v in reversed(list_evidence(desk, number)) if v.sha256 == digest)


def list_evidence(desk: Desk, number: str) -> list[EvidenceView]:
    """The case's evidence and that of the cases merged into it, oldest first."""
    with desk.uow(write=False) as uow:
        case = cases._visible_case(desk, uow, number)
        assert case.id is not None
        rows = store.of_cases(uow.session, [case.id, *store.merged_into(uow.session, case.id)])
        return [EvidenceView(n, num, e.file_name, e.media_type, e.size, by, e.collected_at, e.note, e.sha256)
                for n, (e, num, by) in enumerate(rows, start=1)]


def export_evidence(desk: Desk, number: str, n: int, dest: Path) -> Path:
    """Write evidence ``n`` of the case to ``dest`` (a folder: under its own name there)."""
    views = list_evidence(desk, number)
    if not 1 <= n <= len(views):
        raise DeskError("evidence_unknown", number=number, n=n, count=len(views))
    chosen = views[n - 1]
    with desk.uow(write=False) as uow:
        data = store.content(uow.session, chosen.sha256)
    if data is None:  # pragma: no cover (the foreign key keeps it)
        raise DeskError("evidence_unknown", number=number, n=n, count=len(views))
    target = dest / chosen.file_name.replace(os.sep, "_") if dest.is_dir() else dest
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise DeskError("evidence_unwritable", path=visible_line(str(target))) from None
    return target


def open_evidence(desk: Desk, number: str, n: int) -> tuple[Path, bool]:
    """Export evidence ``n`` to a private temporary folder and open it with the system's viewer;
    (where it is, whether a viewer was started)."""
    folder = Path(tempfile.mkdtemp(prefix="kesu-evidence-"))
    path = export_evidence(desk, number, n, folder)
    opener = (["open"] if sys.platform == "darwin" else ["xdg-open"]) if os.name != "nt" else None
    if opener is None:  # pragma: no cover (Windows)
        os.startfile(path)  # type: ignore[attr-defined]
        return path, True
    if shutil.which(opener[0]) is None:
        return path, False
    subprocess.Popen([*opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    return path, True
