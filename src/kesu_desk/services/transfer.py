"""Case import and export: CSV, JSON Lines or Excel, exported in key-set batches, imported
idempotently.

Both are bulk work on customers' personal data: only the roles the access policy allows
(``Use.EXPORT``, ``Use.IMPORT``) may ask for them, and an export holds only the cases the
reader may see."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO
from zoneinfo import ZoneInfo

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.errors import DeskError, InvalidInput, WorkbookProblem
from kesu_desk.domain.limits import TEXT_LIMITS
from kesu_desk.domain.numbering import plausible_registration
from kesu_desk.domain.vocabulary import SEVERITY_BY_LEVEL, Status
from kesu_desk.i18n import FALLBACK, describe
from kesu_desk.services.audit import record_read
from kesu_desk.services.cases import register_in
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.users import whoami
from kesu_desk.services.views import money
from kesu_desk.sla import utcnow
from kesu_desk.store import transfer as store
from kesu_desk.text import csv_cell, from_csv_cell, json_controls_escaped
from kesu_desk.workbook import MAX_ROWS, Book, Value

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

Format = Literal["csv", "jsonl", "xlsx"]

EXPORT_BATCH = 1000
IMPORT_BATCH = 500

COLUMNS: tuple[str, ...] = (
    "number",
    "status",
    "registered_at",
    "channel",
    "kind",
    "customer_name",
    "phone",
    "email",
    "customer_class",
    "product",
    "order_no",
    "batch",
    "purchase_date",
    "category",
    "severity",
    "urgent",
    "description",
    "customer_request",
    "caller_mood",
    "department",
    "validity",
    "validity_reason",
    "remedy",
    "amount",
    "satisfaction",
    "closure",
)

DRAFT_FIELDS = frozenset(CaseDraft.model_fields)
# Written by export, not (yet) restored by import: an imported case starts as registered.
IGNORED_ON_IMPORT = frozenset(COLUMNS) - DRAFT_FIELDS
KNOWN_COLUMNS = DRAFT_FIELDS | IGNORED_ON_IMPORT
# Draft fields that hold text: a JSON number there (a phone, an order number) is taken as text.
_TEXT_FIELDS = frozenset({
    "phone", "email", "customer_name", "product", "order_no", "batch", "category",
    "description", "customer_request", "number",
})


# The longest record one case can take in a file: every column at its limit (domain/limits.py),
# each character written as long as the format can write one — CSV doubles a quote; JSON may
# write an escaped pair of surrogates, \ud83d\ude00, 12 characters —, names and punctuation
# included. A longer record is no case: it is refused with its line number and skipped without
# being read whole, so a 50 MB line costs what a line of this length costs. (The CSV bound is
# far below the csv module's own field limit, 131,072.)
_CODE_CHARS = 64  # a column without a text limit: a status, a time, an amount, a number
_COLUMN_CHARS = {c: TEXT_LIMITS.get(c, _CODE_CHARS) for c in KNOWN_COLUMNS} | {
    "validity_reason": TEXT_LIMITS["reason"]}
MAX_RECORD_CHARS: dict[Format, int] = {
    "csv": sum(2 * chars + 3 for chars in _COLUMN_CHARS.values()),
    "jsonl": sum(12 * (len(name) + chars) + 16 for name, chars in _COLUMN_CHARS.items()),
}


# -- export ------------------------------------------------------------------------------------


def export_cases(
    desk: Desk,
    out: SupportsWrite[str],
    fmt: Format,
    statuses: Sequence[Status] = (),
    *,
    batch_size: int = EXPORT_BATCH,
) -> int:
    """Write every case the reader may see (only ``statuses`` if given) in id order to ``out``;
    return how many. AccessDenied, before anything is written, for a role that may not export.

    Reads ``batch_size`` cases at a time after the last id written, so memory stays flat however
    many cases there are. For CSV, ``out`` should be opened with ``newline=""``; a text cell that
    a spreadsheet would run as a formula is written with a quote before it (text.csv_cell), which
    import takes off again.
    """
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown export format {fmt!r}")
    require(desk.reader, Use.EXPORT)  # before a byte is written
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    count = 0
    for row in _exported_rows(desk, fmt, statuses, batch_size):
        record = _export_record(row)
        if writer is not None:
            writer.writerow([_csv_value(record[c]) for c in COLUMNS])
        else:
            out.write(json_controls_escaped(json.dumps(record, ensure_ascii=False)) + "\n")
        count += 1
    return count


def export_xlsx(desk: Desk, path: Path, statuses: Sequence[Status] = (), *,
                batch_size: int = EXPORT_BATCH) -> int:
    """The export as an Excel workbook at ``path``: the same columns, numbers as numbers, times
    as local times of the desk, dates as dates; streamed, so memory stays flat. Written beside
    ``path`` and put in its place once complete: an export that fails (more cases than a sheet
    holds, a full disk, a kill) leaves no half-written workbook."""
    require(desk.reader, Use.EXPORT)  # before the file is made
    tz = ZoneInfo(desk.settings.timezone)
    partial = path.with_name(f".{path.name}.partial")
    book = Book(partial)
    try:
        sheet = book.sheet("cases", list(COLUMNS))
        for row in _exported_rows(desk, "xlsx", statuses, batch_size):
            if sheet.rows + 1 >= MAX_ROWS:
                raise WorkbookProblem("too_many_rows", limit=f"{MAX_ROWS - 1:,}")
            record = _export_record(row)
            sheet.append([_xlsx_value(name, record[name], row, tz) for name in COLUMNS], money=_XLSX_MONEY)
        book.close()
        partial.replace(path)
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()
        partial.unlink(missing_ok=True)
        raise
    return sheet.rows


_XLSX_MONEY = frozenset({COLUMNS.index("amount")})


def _xlsx_value(name: str, value: Any, row: Any, tz: ZoneInfo) -> Value:
    if name == "registered_at":
        registered: datetime = row.registered_at
        return (registered if registered.tzinfo else registered.replace(tzinfo=UTC)).astimezone(tz)
    if name == "purchase_date":
        bought: date | None = row.purchase_date
        return bought
    if name == "amount":
        return None if value is None else Decimal(value)
    same: Value = value  # text, a number (satisfaction), a boolean (urgent) or None
    return same


def _exported_rows(desk: Desk, fmt: str, statuses: Sequence[Status], batch_size: int) -> Iterator[Any]:
    """Every case the reader may see (only ``statuses`` if given) in id order, read
    ``batch_size`` at a time after the last id read. AccessDenied, before anything is read, for
    a role that may not export."""
    require(desk.reader, Use.EXPORT)
    record_read(desk, Use.EXPORT, {"format": fmt, "statuses": [str(s) for s in statuses],
                                   "departments": sorted(desk.scope.departments or ["*"])})
    last_id = 0
    with desk.uow(write=False) as uow:
        while True:
            rows = store.export_batch(uow.session, last_id, statuses, batch_size, desk.scope)
            yield from rows
            if len(rows) < batch_size:
                return
            last_id = rows[-1].id


def _export_record(row: Any) -> dict[str, Any]:
    registered = row.registered_at
    if registered.tzinfo is None:  # stored as UTC; some drivers hand it back naive
        registered = registered.replace(tzinfo=UTC)
    amount = money(row.amount_cents)
    return {
        "number": row.number,
        "status": row.status,
        "registered_at": registered.isoformat(),
        "channel": row.channel,
        "kind": row.kind,
        "customer_name": row.customer_name,
        "phone": row.phone,
        "email": row.email,
        "customer_class": row.customer_class,
        "product": row.product,
        "order_no": row.order_no,
        "batch": row.batch,
        "purchase_date": row.purchase_date.isoformat() if row.purchase_date else None,
        "category": row.category,
        "severity": SEVERITY_BY_LEVEL[row.severity].value,
        "urgent": bool(row.urgent),
        "description": row.description,
        "customer_request": row.customer_request,
        "caller_mood": row.caller_mood,
        "department": row.department_code,
        "validity": row.validity,
        "validity_reason": row.validity_reason,
        "remedy": row.remedy,
        "amount": None if amount is None else f"{amount:.2f}",
        "satisfaction": row.satisfaction,
        "closure": row.closure,
    }


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value) if isinstance(value, str) else value


# -- import ------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    # (file line, 1-based; a CSV header is line 1) and why the row was skipped
    bad: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    draft: CaseDraft
    source_key: str | None
    registered_at: datetime | None = None


def import_cases(
    desk: Desk,
    path: Path,
    actor: str,
    *,
    region: str | None = None,
    lang: str = FALLBACK,
    batch_size: int = IMPORT_BATCH,
) -> ImportReport:
    """Register the cases of a CSV or JSON Lines file as ``actor``; bad rows are reported, not fatal.

    Idempotent: a row whose case number, or (without a number) whose content, is already in the
    database counts as a duplicate. ``region`` is how phone numbers without a country code are
    read when the row has no region column. Raises OSError if the file cannot be opened,
    AccessDenied for a reader whose role may not import, and DeskError if ``actor`` is unknown.
    """
    require(desk.reader, Use.IMPORT)
    path = Path(path)
    whoami(desk, actor)
    report = ImportReport()
    fmt = _format_of(path)
    batch: list[_Row] = []
    with contextlib.ExitStack() as open_files:
        if fmt == "xlsx":
            records = _xlsx_records(path, lang, ZoneInfo(desk.settings.timezone))
        else:
            handle = open_files.enter_context(path.open(encoding="utf-8-sig", errors="surrogateescape", newline=""))
            records = _csv_records(handle, lang) if fmt == "csv" else _jsonl_records(handle, lang)
        for line, data in records:
            if isinstance(data, str):
                report.bad.append((line, data))
                continue
            row = _validate(line, data, region, lang)
            if isinstance(row, str):
                report.bad.append((line, row))
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                _store(desk, actor, batch, report, lang)
                batch = []
    if batch:
        _store(desk, actor, batch, report, lang)
    report.bad.sort(key=lambda bad: bad[0])
    return report


def _format_of(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        while chunk := handle.read(4096):
            stripped = chunk.lstrip()
            if stripped:
                return "jsonl" if stripped.startswith("{") else "csv"
    return "csv"


def _xlsx_records(path: Path, lang: str, tz: ZoneInfo) -> Iterator[Record]:
    """The rows of the workbook's first sheet as records (line = the sheet's row number; the
    first row names the columns, as an export writes them). Read row by row (openpyxl's read-only
    mode), so a large workbook costs little memory. A cell is taken as the text it shows: a
    phone number Excel stored as a number is its digits, a date is its ISO date, a time is a
    local time of the desk (``tz``, as export writes it); a formula is never run (its text is
    taken as text)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # not a workbook, or a damaged one: one line, nothing imported
        yield 1, _reason("not_a_workbook", lang)
        return
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        names = [str(h).strip() if h is not None else "" for h in header]
        for line, values in enumerate(rows, start=2):
            if all(v is None or v == "" for v in values):
                continue
            yield line, {name: _xlsx_text(name, v, tz) for name, v in zip(names, values, strict=False) if name}
    finally:
        book.close()


def _xlsx_text(name: str, value: Any, tz: ZoneInfo) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, datetime):
        if name != "registered_at":  # a date (Excel has dates as times at midnight)
            return value.date().isoformat()
        return (value if value.tzinfo else value.replace(tzinfo=tz)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _reason(code: str, lang: str, **params: Any) -> str:
    return describe(DeskError(code, **params), lang)


# A record is (first file line, column → value) or (line, why it cannot be read).
Record = tuple[int, dict[str, Any] | str]


class _TooLong(Exception):
    """The record being read is longer than any case can be."""


class _Lines:
    """The lines of a file, each read with a size cap (``limit``): a line longer
    than that, or a record whose lines together are (a CSV quote never closed), raises
    _TooLong once, its rest skipped unread to the end of its line, and reading goes on from the
    next line. ``line`` counts the file lines consumed, as csv and a text file count them."""

    def __init__(self, handle: TextIO, limit: int) -> None:
        self.handle = handle
        self.limit = limit
        self.line = 0
        self.record = 0  # characters of the record being read so far

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        piece = self.handle.readline(self.limit + 2)  # room for the line's \r\n
        if not piece:
            raise StopIteration
        self.line += 1
        self.record += len(piece.rstrip("\r\n"))
        if self.record > self.limit:
            while piece and not piece.endswith(("\n", "\r")):
                piece = self.handle.readline(self.limit + 2)
            self.record = 0
            raise _TooLong
        return piece

    def next_record(self) -> None:
        self.record = 0


def _too_long(fmt: Format, first: int, last: int, lang: str) -> str:
    chars = f"{MAX_RECORD_CHARS[fmt]:,}".replace(",", " ")
    if first == last:
        return _reason("record_too_long", lang, max=chars)
    return _reason("record_too_long_lines", lang, max=chars, first=first, last=last)


def _csv_records(handle: TextIO, lang: str) -> Iterator[Record]:
    lines = _Lines(handle, MAX_RECORD_CHARS["csv"])
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    end = 0  # last file line consumed so far; the next record starts on the line after
    while True:
        start = end + 1
        lines.next_record()
        try:
            values = next(reader)
        except StopIteration:
            break
        except (csv.Error, _TooLong) as exc:
            end = lines.line
            too_long = isinstance(exc, _TooLong)
            yield start, (_too_long("csv", start, end, lang) if too_long
                          else _reason("unreadable_row", lang, reason=str(exc)))
            if header is None:
                return  # without a header no row can be read
            continue
        end = lines.line
        if not any(v.strip() for v in values):
            continue  # blank line
        if _undecodable(values):
            yield start, _reason("not_utf8", lang)
            if header is None:
                return
            continue
        if header is None:
            header = [v.strip().lower() for v in values]
            unknown = [h for h in header if h not in KNOWN_COLUMNS]
            if unknown:
                # Every row would carry the same unknown columns: say it once, import nothing.
                yield start, _reason("unknown_columns", lang, columns=", ".join(unknown))
                return
            continue
        if len(values) != len(header):
            yield start, _reason("wrong_value_count", lang, found=len(values), expected=len(header))
            continue
        yield start, dict(zip(header, map(from_csv_cell, values), strict=True))
    if header is None:
        yield 1, _reason("empty_file", lang)


def _jsonl_records(handle: TextIO, lang: str) -> Iterator[Record]:
    seen_content = False
    lines = _Lines(handle, MAX_RECORD_CHARS["jsonl"])
    # JSON text never holds a raw line break inside a value, so a file line is a record.
    while True:
        lines.next_record()
        try:
            raw = next(lines)
        except StopIteration:
            break
        except _TooLong:
            seen_content = True
            yield lines.line, _too_long("jsonl", lines.line, lines.line, lang)
            continue
        line = lines.line
        stripped = raw.strip()
        if not stripped:
            continue
        seen_content = True
        if _undecodable([stripped]):
            yield line, _reason("not_utf8", lang)
            continue
        try:
            data = json.loads(raw.rstrip())  # left as is: columns count from the line start
        except json.JSONDecodeError as exc:
            yield line, _reason("bad_json", lang, column=exc.colno, message=exc.msg)
            continue
        if not isinstance(data, dict):
            yield line, _reason("not_an_object", lang)
            continue
        unknown = [str(k) for k in data if str(k).strip().lower() not in KNOWN_COLUMNS]
        if unknown:
            yield line, _reason("unknown_columns", lang, columns=", ".join(unknown))
            continue
        yield line, {str(k).strip().lower(): v for k, v in data.items()}
    if not seen_content:
        yield 1, _reason("empty_file", lang)


def _undecodable(values: Sequence[str]) -> bool:
    # Bytes that are not UTF-8 come through as lone surrogates (errors="surrogateescape"), and
    # JSON may spell one out ("\\ud800"); neither can be stored.
    return any(any("\ud800" <= ch <= "\udfff" for ch in v) for v in values)


def _validate(line: int, data: dict[str, Any], region: str | None, lang: str) -> _Row | str:
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name in IGNORED_ON_IMPORT or value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue  # an empty cell means "not given": the draft's default applies
        elif name in _TEXT_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a JSON number where text belongs: a phone or order number
        fields[name] = value
    if _undecodable([v for v in fields.values() if isinstance(v, str)]):
        return _reason("not_utf8", lang)
    if region and "region" not in fields:
        fields["region"] = region
    try:
        registered_at = _registered_at(data.get("registered_at"))
        draft = CaseDraft.parse(fields)
    except DeskError as exc:
        return describe(exc, lang)
    return _Row(line, draft, None if draft.number else content_key(draft), registered_at)


def _registered_at(value: Any) -> datetime | None:
    """The original registration time of an exported case (ISO 8601; UTC when no offset)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput("invalid_input", errors={"registered_at": "datetime_parsing"}) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        plausible = plausible_registration(moment.astimezone(UTC), utcnow())
    except OverflowError:  # year 1 or 9999 moved across a time zone
        plausible = False
    if not plausible:
        raise InvalidInput("invalid_input", errors={"registered_at": "implausible_registration"})
    return moment


def content_key(draft: CaseDraft) -> str:
    """What recognises a row without a case number on a second import: a hash of its content."""
    content = json.dumps(
        draft.model_dump(mode="json", exclude={"number"}), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:64]


def _store(desk: Desk, actor: str, rows: list[_Row], report: ImportReport, lang: str) -> None:
    """One unit of work for a batch; each row in a savepoint so one refusal spares the others."""
    with desk.uow() as uow:
        session = uow.session
        numbers, keys = store.existing_keys(
            session,
            {r.draft.number for r in rows if r.draft.number},
            {r.source_key for r in rows if r.source_key},
        )
        imported: list[str] = []
        for row in rows:
            number, key = row.draft.number, row.source_key
            if (number and number in numbers) or (key and key in keys):
                report.duplicates += 1
                continue
            try:
                with store.row_savepoint(session):
                    case = register_in(
                        uow, desk, actor, row.draft, source_key=key, registered_at=row.registered_at
                    )
            except store.DuplicateRow:
                # Another import got there between our check and our insert.
                report.duplicates += 1
                continue
            except DeskError as exc:
                report.bad.append((row.line, describe(exc, lang)))
                continue
            except store.RowRefused as refused:
                report.bad.append((row.line, _reason("row_refused", lang, reason=refused.reason)))
                continue
            imported.append(case.number)
            if number:
                numbers.add(number)
            if key:
                keys.add(key)
        uow.commit()
    report.imported += len(imported)

