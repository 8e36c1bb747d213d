"""The period review for people: :func:`report_tables` lays a :class:`PeriodReport` out as titled
tables in the user's language, which :func:`render_markdown`, :func:`render_html` and
:func:`render_csv` write out (``kesu-desk report``) and the review screen shows as they are."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kesu_desk.i18n import money, t
from kesu_desk.present.formats import department_label, local_time, name_of
from kesu_desk.present.markup import html_page, html_table, html_text, md_text
from kesu_desk.services.corrective import CorrectiveView
from kesu_desk.services.report import DEADLINES, Count, DeadlineCount, PeriodReport
from kesu_desk.sla import as_utc
from kesu_desk.text import csv_cell, one_line
from kesu_desk.workbook import Book, Value

# -- the figures as tables, in the user's language ------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: str  # machine-readable: a code, an ISO date, a plain number ("" = none)
    text: str  # for people, in the report's language


@dataclass(frozen=True)
class Table:
    key: str  # the section's name in the CSV
    title: str
    columns: list[str]  # machine names (CSV header)
    headers: list[str]  # for people
    rows: list[list[Cell]]
    numeric: frozenset[int] = frozenset()  # columns to right-align


def department_name(report: PeriodReport, code: str, lang: str) -> str:
    return department_label(code, report.department_names, lang) if code else t("report.no_department", lang)


def _n(value: int) -> Cell:
    return Cell(str(value), f"{value:,}")


def _pct(value: float | None) -> Cell:
    return Cell("", "–") if value is None else Cell(f"{value:.1f}", f"{value:.1f}%")


def _decimal(value: Decimal | None) -> Cell:
    return Cell("", "–") if value is None else Cell(f"{value:.2f}", f"{value:,.2f}")


def _money(value: Decimal | None, lang: str, currency: str) -> Cell:
    """An amount; for people with the currency's sign when the review is shown with one."""
    return Cell("", "–") if value is None else Cell(f"{value:.2f}", money(f"{value:,.2f}", lang, currency))


def _code(table: str, code: str, lang: str) -> Cell:
    return Cell(code, name_of(table, code, lang))


def _text(value: str) -> Cell:
    return Cell(value, value)


def report_tables(report: PeriodReport, lang: str, currency: str = "") -> list[Table]:
    """The review as titled tables, in order; the CSV, Markdown and HTML all write these."""
    tz = ZoneInfo(report.timezone)

    def h(*keys: str) -> list[str]:
        return [t(f"report.col.{k}", lang) for k in keys]

    def table(key: str, columns: list[str], rows: list[list[Cell]], numeric: Iterable[int] = ()) -> Table:
        return Table(key, t(f"report.section.{key}", lang), columns, h(*columns), rows, frozenset(numeric))

    def counts(key: str, kind: str, items: list[Count], namer: Callable[[str], str]) -> Table:
        total = sum(c.n for c in items)
        rows = [[Cell(c.code, namer(c.code)), _n(c.n), _pct(100.0 * c.n / total if total else None)]
                for c in items]
        return table(key, [kind, "cases", "share"], rows, (1, 2))

    sat = report.satisfaction
    summary = [
        ("total", _n(report.total)),
        ("closed", _n(report.closed)),
        ("open", _n(report.open)),
        ("not_founded", _n(report.not_founded)),
        ("merged", _n(report.merged)),
        ("first_contact", _n(report.first_contact)),
        ("remedies_given", _n(report.remedies_given)),
        ("total_cost", _money(report.total_cost, lang, currency)),
        ("surveyed", _n(sat.surveyed)),
        ("satisfaction_average", _decimal(sat.average)),
        ("not_reached", _n(sat.not_reached)),
        ("batch_problems", _n(len(report.batch_problems))),
        ("corrective_actions", _n(len(report.corrective_actions))),
        ("typical", _n(len(report.typical))),
    ]
    tables = [
        table("summary", ["figure", "value"],
              [[Cell(k, t(f"report.figure.{k}", lang)), v] for k, v in summary], (1,)),
        counts("by_kind", "kind", report.by_kind, lambda c: name_of("kind", c, lang)),
        counts("by_category", "category", report.by_category, lambda c: name_of("category", c, lang)),
        counts("by_department", "department", report.by_department,
               lambda c: department_name(report, c, lang)),
        counts("by_channel", "channel", report.by_channel, lambda c: name_of("channel", c, lang)),
        counts("by_severity", "severity", report.by_severity, lambda c: name_of("severity", c, lang)),
    ]
    tables.append(table(
        "deadlines", ["department", "deadline", "kept", "missed", "pending", "kept_share"],
        [[Cell(d.department, department_name(report, d.department, lang)),
          _code("deadline", d.deadline, lang), _n(d.kept), _n(d.missed), _n(d.pending),
          _pct(d.kept_share)] for d in _with_totals(report.deadlines)],
        (2, 3, 4, 5),
    ))
    tables.append(table(
        "remedies", ["remedy", "cases", "cost"],
        [[_code("remedy", r.remedy, lang), _n(r.n), _money(r.cost, lang, currency)] for r in report.remedies]
        + [[Cell("*", t("report.all", lang)), _n(report.remedies_given), _money(report.total_cost, lang, currency)]],
        (1, 2),
    ))
    tables.append(table(
        "satisfaction", ["score", "cases", "share"],
        [[Cell(str(score), f"{score} {name_of('score', str(score), lang)}"), _n(n),
          _pct(100.0 * n / sat.surveyed if sat.surveyed else None)]
         for score, n in sorted(sat.distribution.items(), reverse=True)],
        (1, 2),
    ))
    for key, kind, causes in (("causes_by_factor", "fishbone", report.causes_by_factor),
                              ("causes_by_text", "cause", report.causes_by_text)):
        tables.append(table(
            key, [kind, "cases", "share", "cumulative"],
            [[Cell(c.cause, t("report.other", lang) if not c.cause
                   else c.cause if kind == "cause" else name_of(kind, c.cause, lang)),
              _n(c.n), _pct(c.share), _pct(c.cumulative)] for c in causes],
            (1, 2, 3),
        ))
    tables.append(table(
        "repeat_complainants", ["customer_id", "customer", "cases", "numbers"],
        [[_text(str(r.customer_id)), _text(r.name), _n(len(r.numbers)), _text(" ".join(r.numbers))]
         for r in report.repeat_complainants],
        (0, 2),
    ))
    tables.append(table(
        "batch_problems", ["product", "batch", "in_period", "total", "corrective"],
        [[_text(b.product), _text(b.batch), _n(b.in_period), _n(b.total),
          Cell(" ".join(str(a.id) for a in b.corrective),
               "; ".join(_corrective_line(a, lang) for a in b.corrective) or t("report.missing_corrective", lang))]
         for b in report.batch_problems],
        (2, 3),
    ))
    tables.append(table(
        "corrective_actions",
        ["id", "case", "product", "batch", "action", "owner", "due", "status", "rounds", "check_due",
         "effective"],
        [[_text(str(a.id)), _text(a.case_number), _text(a.product), _text(a.batch), _text(one_line(a.action)),
          _text(a.owner), Cell(a.due_date.isoformat(), a.due_date.isoformat()),
          _code("corrective_status", a.status.value, lang), _n(a.rounds),
          Cell(a.check_due.isoformat() if a.check_due else "", a.check_due.isoformat() if a.check_due else "–"),
          _yes_no(a.effective, lang)]
         for a in report.corrective_actions],
        (0, 8),
    ))
    tables.append(table(
        "typical", ["case", "registered", "category", "department", "severity", "status",
                    "satisfaction", "summary"],
        [[_text(c.number), Cell(as_utc(c.registered_at).isoformat(), local_time(c.registered_at, tz)),
          _code("category", c.category, lang), Cell(c.department, department_name(report, c.department, lang)),
          _code("severity", c.severity, lang), _code("status", c.status, lang),
          Cell("" if c.satisfaction is None else str(c.satisfaction),
               "–" if c.satisfaction is None else str(c.satisfaction)),
          _text(c.summary)]
         for c in report.typical],
        (6,),
    ))
    # Issue 13, accountability: internal, like the whole review (the customer's letter has none).
    tables.append(table(
        "accountability", ["person", "cases", "penalties", "pay_shares"],
        [[_text(a.person), _n(a.cases), _money(a.penalties, lang, currency),
          Cell(" ".join(f"{s:g}" for s in a.shares), ", ".join(f"{s:g}%" for s in a.shares) or "–")]
         for a in report.accountability],
        (1, 2),
    ))
    tables.append(table("delays", ["person", "cases"], [[_text(d.code), _n(d.n)] for d in report.delays], (1,)))
    return tables


def _with_totals(rows: list[DeadlineCount]) -> list[DeadlineCount]:
    """The departments' lines, then one line per deadline for all departments together ("*")."""
    totals = [
        DeadlineCount("*", name, sum(r.kept for r in rows if r.deadline == name),
                      sum(r.missed for r in rows if r.deadline == name),
                      sum(r.pending for r in rows if r.deadline == name))
        for name in DEADLINES if any(r.deadline == name for r in rows)
    ]
    return [*rows, *totals]


def _yes_no(value: bool | None, lang: str) -> Cell:
    if value is None:
        return Cell("", "–")
    return Cell("yes" if value else "no", t("report.yes" if value else "report.no", lang))


def _corrective_line(a: CorrectiveView, lang: str) -> str:
    return t("report.corrective_line", lang, id=a.id, status=name_of("corrective_status", a.status.value, lang),
             owner=a.owner, due=a.due_date.isoformat())


# -- renderers ------------------------------------------------------------------------------------


def render_markdown(report: PeriodReport, lang: str) -> str:
    out = [f"# {md_text(title(report, lang))}", "", md_text(subtitle(report, lang)), ""]
    for tbl in report_tables(report, lang):
        out += [f"## {md_text(tbl.title)}", ""]
        if not tbl.rows:
            out += [md_text(t("report.empty", lang)), ""]
            continue
        out.append("| " + " | ".join(md_text(x) for x in tbl.headers) + " |")
        out.append("|" + "|".join("---:" if i in tbl.numeric else "---" for i in range(len(tbl.headers))) + "|")
        for row in tbl.rows:
            out.append("| " + " | ".join(md_text(c.text) for c in row) + " |")
        out.append("")
    return "\n".join(out)


def render_html(report: PeriodReport, lang: str) -> str:
    heading = title(report, lang)
    body = [f"<h1>{html_text(heading)}</h1>",
            f'<p class="muted">{html_text(subtitle(report, lang))}</p>']
    for tbl in report_tables(report, lang):
        body.append(f'<section id="{html.escape(tbl.key)}">')
        body.append(f"<h2>{html_text(tbl.title)}</h2>")
        if tbl.rows:
            body.append(html_table(tbl.headers, ([c.text for c in row] for row in tbl.rows), tbl.numeric))
        else:
            body.append(f'<p class="muted">{html_text(t("report.empty", lang))}</p>')
        body.append("</section>")
    return html_page(heading, lang, body)


# The CSV layout is described to users in `kesu-desk report --help` (cli.REPORT_CSV_HELP).


def render_csv(report: PeriodReport, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, tbl in enumerate(report_tables(report, lang)):
        if i:
            out.write("\n")
        writer.writerow(["section", *tbl.columns])
        for row in tbl.rows:
            writer.writerow([tbl.key, *(csv_cell(c.value) for c in row)])
    return out.getvalue()


def title(report: PeriodReport, lang: str) -> str:
    return t("report.title", lang, start=report.start.isoformat(), end=report.end.isoformat())


def subtitle(report: PeriodReport, lang: str) -> str:
    return t("report.subtitle", lang, start=report.start.isoformat(), end=report.end.isoformat(),
             tz=report.timezone, now=local_time(report.generated_at, ZoneInfo(report.timezone)))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _xlsx_value(cell: Cell, numeric: bool, tz: ZoneInfo) -> Value:
    """What a workbook cell holds for ``cell``: a number in a numeric column, a date or a local
    time where the machine value is one, else the text for people."""
    value = cell.value
    if numeric and _NUMBER.fullmatch(value):
        return Decimal(value)
    if _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    if _ISO_TIME.fullmatch(value):
        return datetime.fromisoformat(value).astimezone(tz)
    return "" if cell.text == "–" else cell.text


def write_xlsx(report: PeriodReport, lang: str, path: Path) -> None:
    """The review as an Excel workbook: one sheet per table, named by its title, the header row
    frozen; numbers as numbers, dates as dates (local times of the desk's time zone)."""
    tz = ZoneInfo(report.timezone)
    book = Book(path, title=title(report, lang))
    try:
        for tbl in report_tables(report, lang):
            sheet = book.sheet(tbl.title, tbl.headers)
            money = frozenset(i for i in tbl.numeric if any("." in row[i].value for row in tbl.rows))
            for row in tbl.rows:
                sheet.append([_xlsx_value(c, i in tbl.numeric, tz) for i, c in enumerate(row)], money=money)
    finally:
        book.close()


RENDERERS: dict[str, Callable[[PeriodReport, str], str]] = {
    "md": render_markdown,
    "html": render_html,
    "csv": render_csv,
}
