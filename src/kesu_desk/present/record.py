"""The printable complaint record form (客诉处理记录表) of one case, and the 8D report of a quality
case, for people: a :class:`CaseRecord` (services/record_form.py) laid out as sections in the
user's language, written out as Markdown or HTML (``kesu-desk print``).

The form follows DOMAIN.md's steps (register, validity, department, cause, proposal and
approvals, customer answer, implementation, accountability, preventive action, follow-up survey,
review) and ends with the case's timeline. The 8D report fills its eight disciplines from the case:

====  ======================================  =================================================
D1    team                                    the people in the case's timeline, with their role
D2    problem                                 what happened, about what, when, how severe
D3    containment                             the remedy given to the customer
D4    root cause                              the cause: 5W2H and the fishbone factor
D5    corrective action chosen                the corrective actions opened on the case
D6    corrective action implemented           the implementation, accountability, and the
                                              corrective actions' progress
D7    prevent recurrence                      the preventive action and the effectiveness checks
D8    closure                                 how the case closed, satisfaction, its dates
====  ======================================  =================================================
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kesu_desk.domain.vocabulary import Action
from kesu_desk.i18n import catalogue, t
from kesu_desk.present.formats import department_label, local_time, name_of, who
from kesu_desk.present.markup import html_page, html_table, html_text, md_text
from kesu_desk.services.record_form import CaseRecord
from kesu_desk.services.views import CaseView, money
from kesu_desk.text import one_line

# -- the form as data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    label: str
    value: str  # "" = nothing recorded
    long: bool = False  # free text, shown as a paragraph of its own


@dataclass(frozen=True)
class FormTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FormSection:
    key: str
    title: str
    fields: list[FormField] = field(default_factory=list)
    tables: list[FormTable] = field(default_factory=list)


@dataclass(frozen=True)
class RecordForm:
    kind: str  # "record" or "8d"
    number: str
    title: str
    subtitle: str
    lang: str
    sections: list[FormSection]


class _Words:
    """How the form says things in one language and timezone."""

    def __init__(self, lang: str, tz: Any, record: CaseRecord) -> None:
        self.lang, self.tz, self.record = lang, tz, record

    def __call__(self, key: str, **params: Any) -> str:
        return t(f"form.{key}", self.lang, **params)

    def name(self, table: str, code: str | None) -> str:
        return name_of(table, code, self.lang) if code else ""

    def when(self, moment: datetime | None) -> str:
        return local_time(moment, self.tz)

    def day(self, value: date | None) -> str:
        return value.isoformat() if value else ""

    def money(self, amount: Decimal | None) -> str:
        return "" if amount is None else f"{amount:,.2f}"

    def yes_no(self, value: bool | None) -> str:
        return "" if value is None else t("report.yes" if value else "report.no", self.lang)

    def department(self, code: str | None) -> str:
        return department_label(code, self.record.details.department_names, self.lang) if code else ""

    def action(self, action: str) -> str:
        names = catalogue(self.lang)
        return names.get(f"timeline.event.{action}") or names.get(f"action.{action}") or action

    def person(self, name: str) -> str:
        role = self.record.roles.get(name)
        if role is None:
            return name
        words = t(f"role.{role[0]}", self.lang)
        dept = f" {self.department(role[1])}" if role[1] else ""
        shown = f"{role[2]} ({name})" if role[2] and role[2] != name else name
        return f"{shown} — {words}{dept}"

    def f(self, key: str, value: str | None, *, long: bool = False) -> FormField:
        return FormField(self(f"field.{key}"), value or "", long)

    def heads(self, *keys: str) -> list[str]:
        return [self(f"col.{k}") for k in keys]


def _cause_fields(w: _Words, v: CaseView) -> list[FormField]:
    return [
        *(w.f(f"cause_{k}", v.cause.get(k, ""), long=True) for k in
          ("what", "why", "when", "where", "who", "how", "how_much")),
        w.f("fishbone", w.name("fishbone", v.fishbone_factor)),
    ]


def _proposal_tables(w: _Words, r: CaseRecord) -> list[FormTable]:
    return [
        FormTable(w("caption.proposals"),
                  w.heads("number", "proposed_at", "proposed_by", "remedy", "amount", "status",
                          "approvals_needed", "details"),
                  [[str(i), w.when(p.proposed_at), p.proposed_by,
                    _remedies(w, [(r, money(c)) for r, c in p.remedies] or [(p.remedy, None)]),
                    w.money(money(p.amount_cents)), w.name("proposal_status", p.status), str(p.approvals_needed),
                    one_line(p.details)]
                   for i, p in enumerate(r.details.proposals, start=1)]),
        FormTable(w("caption.approvals"),
                  w.heads("proposal", "at", "approver", "decision", "comment"),
                  [[str(_index(r, a.proposal_id)), w.when(a.at), a.approver,
                    w.name("decision", a.decision), one_line(a.comment)]
                   for a in r.details.approvals]),
    ]


def _remedies(w: _Words, lines: Sequence[tuple[str, Decimal | None]]) -> str:
    """A proposal's remedies in one cell (issue 13): each named, with its amount when there are
    several ("exchange + compensation 600.00"); one remedy is its name (the amount has a column)."""
    if len(lines) < 2:
        return w.name("remedy", lines[0][0]) if lines else ""
    return " + ".join(" ".join(filter(None, (w.name("remedy", r), w.money(a)))) for r, a in lines)


def _index(r: CaseRecord, proposal_id: int) -> int:
    return next((i for i, p in enumerate(r.details.proposals, start=1) if p.id == proposal_id), 0)


def _answers(w: _Words, r: CaseRecord) -> FormTable:
    rows = [
        [w.when(e.at), who(e, w.lang), w.yes_no(e.details.get("agrees")), one_line(e.comment)]
        for e in r.view.timeline if e.action == Action.CUSTOMER_ANSWER.value
    ]
    return FormTable(w("caption.answers"), w.heads("at", "by", "agrees", "comment"), rows)


def _surveys(w: _Words, r: CaseRecord) -> FormTable:
    return FormTable(
        w("caption.surveys"), w.heads("at", "by", "score", "solved", "answered", "comment"),
        [[w.when(v.at), v.recorded_by,
          "" if v.score is None else f"{v.score} {w.name('score', str(v.score))}",
          w.yes_no(v.solved), w.yes_no(v.answered), one_line(v.comments)]
         for v in r.details.surveys],
    )


def _corrective_table(w: _Words, r: CaseRecord) -> FormTable:
    return FormTable(
        w("caption.corrective"),
        w.heads("id", "action", "owner", "due", "status", "rounds", "progress", "check_due",
                "effective", "check_comment"),
        [[str(a.id), one_line(a.action), a.owner, a.due_date.isoformat(),
          w.name("corrective_status", a.status.value), str(a.rounds), one_line(a.progress),
          w.day(a.check_due), w.yes_no(a.effective), one_line(a.check_comment)]
         for a in r.corrective],
    )


def _timeline(w: _Words, r: CaseRecord) -> FormTable:
    def change(before: str | None, after: str | None) -> str:
        if before and after and before != after:
            return f"{w.name('status', before)} → {w.name('status', after)}"
        return ""

    return FormTable(
        w("caption.timeline"), w.heads("at", "by", "action", "status", "visibility", "comment"),
        [[w.when(e.at), who(e, w.lang), w.action(e.action), change(e.from_status, e.to_status),
          w.name("visibility", e.visibility), one_line(e.comment)]
         for e in r.view.timeline],
    )


def _header(w: _Words, r: CaseRecord, kind: str) -> tuple[str, str]:
    v = r.view
    title = w(f"title.{kind}", number=v.number)
    subtitle = w("subtitle", status=w.name("status", v.status.value),
                 severity=w.name("severity", v.severity.value), registered=w.when(v.registered_at))
    return title, subtitle


def record_form(record: CaseRecord, lang: str, tz: Any) -> RecordForm:
    """The complaint record form: every field of every step, then the timeline."""
    w = _Words(lang, tz, record)
    v, r = record.view, record
    c = v.customer
    deadlines = v.deadlines
    sections = [
        FormSection("register", w("section.register"), [
            w.f("number", v.number),
            w.f("status", w.name("status", v.status.value)),
            w.f("severity", w.name("severity", v.severity.value)),
            w.f("urgent", w.yes_no(v.urgent)),
            w.f("channel", w.name("channel", v.channel)),
            w.f("kind", w.name("kind", v.kind)),
            w.f("registered_at", w.when(v.registered_at)),
            w.f("registered_by", r.details.registered_by),
            w.f("customer", c.name),
            w.f("phone", c.phone),
            w.f("email", c.email),
            w.f("customer_class", w.name("class", c.customer_class)),
            w.f("product", v.product),
            w.f("order_no", v.order_no),
            w.f("batch", v.batch),
            w.f("purchase_date", w.day(v.purchase_date)),
            w.f("category", w.name("category", v.category)),
            w.f("caller_mood", w.name("mood", v.caller_mood)),
            w.f("acknowledge_due", w.when(deadlines.get("acknowledge"))),
            w.f("answer_due", w.when(deadlines.get("answer"))),
            w.f("description", v.description, long=True),
            w.f("customer_request", v.customer_request, long=True),
        ]),
        FormSection("validity", w("section.validity"), [
            w.f("validity", w.name("validity", v.validity)),
            w.f("validity_reason", v.validity_reason, long=True),
        ]),
        FormSection("department", w("section.department"), [
            w.f("department", w.department(v.department)),
            w.f("handler", v.handler),
            w.f("assigned_at", w.when(r.details.assigned_at)),
            w.f("department_due", w.when(deadlines.get("department"))),
        ]),
        FormSection("cause", w("section.cause"), _cause_fields(w, v)),
        FormSection("proposal", w("section.proposal"), [
            w.f("remedy", _remedies(w, v.remedies) if v.remedies else w.name("remedy", v.remedy)),
            w.f("amount", w.money(v.amount)),
            w.f("price", w.money(v.price)),
        ], _proposal_tables(w, r)),
        FormSection("answer", w("section.answer"), [], [_answers(w, r)]),
        FormSection("implementation", w("section.implementation"), [
            w.f("implemented_at", w.when(r.details.implemented_at)),
            w.f("implementation", v.implementation, long=True),
        ]),
        FormSection("accountability", w("section.accountability"), [
            w.f("accountability", v.accountability, long=True),
        ]),
        FormSection("preventive", w("section.preventive"), [
            w.f("preventive_action", v.preventive_action, long=True),
        ]),
        FormSection("follow_up", w("section.follow_up"), [
            w.f("follow_up_due", w.when(deadlines.get("follow_up"))),
        ], [_surveys(w, r)]),
        FormSection("review", w("section.review"), [
            w.f("satisfaction", "" if v.satisfaction is None
                else f"{v.satisfaction} {w.name('score', str(v.satisfaction))}"),
            w.f("closure", w.name("closure", v.closure)),
            w.f("closed_at", w.when(r.details.closed_at)),
            w.f("typical", w.yes_no(r.details.typical)),
        ], [_corrective_table(w, r)]),
        FormSection("timeline", w("section.timeline"), [], [_timeline(w, r)]),
    ]
    title, subtitle = _header(w, r, "record")
    return RecordForm("record", v.number, title, subtitle, lang, sections)


def eight_d(record: CaseRecord, lang: str, tz: Any) -> RecordForm:
    """The 8D report of a quality case (see the module's table for where each D comes from);
    ``record`` is one ``load_record(…, eight_disciplines=True)`` read, a quality case."""
    v, r = record.view, record
    w = _Words(lang, tz, record)
    team = sorted(r.roles)
    checks = [a for a in r.corrective if a.effective is not None]
    sections = [
        FormSection("d1", w("d.d1"), [
            FormField(w("field.team"), "\n".join(w.person(name) for name in team), long=True),
            w.f("handler", v.handler),
            w.f("department", w.department(v.department)),
        ]),
        FormSection("d2", w("d.d2"), [
            w.f("description", v.description, long=True),
            w.f("customer_request", v.customer_request, long=True),
            w.f("product", v.product),
            w.f("batch", v.batch),
            w.f("order_no", v.order_no),
            w.f("purchase_date", w.day(v.purchase_date)),
            w.f("category", w.name("category", v.category)),
            w.f("severity", w.name("severity", v.severity.value)),
            w.f("registered_at", w.when(v.registered_at)),
            w.f("customer", v.customer.name),
        ]),
        FormSection("d3", w("d.d3"), [
            w.f("remedy", _remedies(w, v.remedies) if v.remedies else w.name("remedy", v.remedy)),
            w.f("amount", w.money(v.amount)),
        ], [_proposal_tables(w, r)[0]]),
        FormSection("d4", w("d.d4"), _cause_fields(w, v)),
        FormSection("d5", w("d.d5"), [], [_corrective_table(w, r)]),
        FormSection("d6", w("d.d6"), [
            w.f("implemented_at", w.when(r.details.implemented_at)),
            w.f("implementation", v.implementation, long=True),
            w.f("accountability", v.accountability, long=True),
            *(FormField(w("field.corrective_progress", id=a.id), a.progress, long=True)
              for a in r.corrective if a.progress),
        ]),
        FormSection("d7", w("d.d7"), [
            w.f("preventive_action", v.preventive_action, long=True),
            *(FormField(w("field.effectiveness", id=a.id),
                        " — ".join(x for x in (w.yes_no(a.effective), w.when(a.checked_at),
                                               one_line(a.check_comment)) if x))
              for a in checks),
        ]),
        FormSection("d8", w("d.d8"), [
            w.f("closure", w.name("closure", v.closure)),
            w.f("closed_at", w.when(r.details.closed_at)),
            w.f("satisfaction", "" if v.satisfaction is None
                else f"{v.satisfaction} {w.name('score', str(v.satisfaction))}"),
            w.f("registered_at", w.when(v.registered_at)),
            w.f("implemented_at", w.when(r.details.implemented_at)),
            w.f("status", w.name("status", v.status.value)),
        ], [_surveys(w, r)]),
    ]
    title, subtitle = _header(w, r, "8d")
    return RecordForm("8d", v.number, title, subtitle, lang, sections)


# -- renderers ------------------------------------------------------------------------------------


def render_form_markdown(form: RecordForm) -> str:
    empty = t("form.empty", form.lang)
    out = [f"# {md_text(form.title)}", "", md_text(form.subtitle), ""]
    for section in form.sections:
        out += [f"## {md_text(section.title)}", ""]
        short = [f for f in section.fields if not f.long]
        if short:
            out += [f"- **{md_text(f.label)}:** {md_text(f.value) if f.value else empty}" for f in short]
            out.append("")
        for f in section.fields:
            if f.long:
                out.append(f"**{md_text(f.label)}:**")
                out.append("")
                lines = [md_text(line, line_start=True) for line in f.value.splitlines()
                         if line.strip()] or [empty]
                out += [f"> {line}  " for line in lines]
                out.append("")
        for table in section.tables:
            out += [f"*{md_text(table.caption)}*", ""]
            if not table.rows:
                out += [empty, ""]
                continue
            out.append("| " + " | ".join(md_text(h) for h in table.headers) + " |")
            out.append("|" + "|".join("---" for _ in table.headers) + "|")
            out += ["| " + " | ".join(md_text(x) or " " for x in row) + " |" for row in table.rows]
            out.append("")
    return "\n".join(out)


def render_form_html(form: RecordForm) -> str:
    empty = html_text(t("form.empty", form.lang))
    body = [f"<h1>{html_text(form.title)}</h1>", f'<p class="muted">{html_text(form.subtitle)}</p>']
    for section in form.sections:
        body.append(f'<section id="{html.escape(section.key)}">')
        body.append(f"<h2>{html_text(section.title)}</h2>")
        if section.fields:
            body.append('<table class="form">')
            for f in section.fields:
                if f.value:
                    value = "<br>".join(html_text(line) for line in f.value.splitlines())
                else:
                    value = f'<span class="muted">{empty}</span>'
                body.append(f"<tr><th>{html_text(f.label)}</th><td>{value}</td></tr>")
            body.append("</table>")
        for table in section.tables:
            body.append(f"<h3>{html_text(table.caption)}</h3>")
            body.append(html_table(table.headers, table.rows) if table.rows
                        else f'<p class="muted">{empty}</p>')
        body.append("</section>")
    return html_page(form.title, form.lang, body)


FORM_RENDERERS = {"md": render_form_markdown, "html": render_form_html}
