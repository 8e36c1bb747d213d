"""The rules service's suggestion beside (or below) the intake form, with its reasons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kesu_desk.i18n import t
from kesu_desk.present.formats import (
    category_name,
    department_label,
    local_time_with_weekday,
    second_opinion_text,
)
from kesu_desk.rules import Suggestion, in_language
from kesu_desk.services.suggestions import second_opinion
from kesu_desk.text import visible
from kesu_desk.widgets.text import one_line


class SuggestionPanel(VerticalScroll, can_focus=False):
    """Never takes the focus: the agent keeps typing while it changes. Its first line sums the
    suggestion up, so a narrow screen can show that line alone."""

    def compose(self) -> ComposeResult:
        yield Static(id="suggestion-summary")
        yield Static(id="suggestion-body")

    def show(
        self,
        suggestion: Suggestion | None,
        *,
        lang: str,
        tz: tzinfo | None = None,
        departments: Mapping[str, Mapping[str, str]] | None = None,
        accept_key: str = "",
        accepted: bool = False,
    ) -> None:
        summary = self.query_one("#suggestion-summary", Static)
        body = self.query_one("#suggestion-body", Static)
        self.set_class(accepted, "-accepted")
        title = Text(t("intake.suggestion_title", lang) + " ", style="bold")
        if suggestion is None:
            summary.update(title + Text(t("intake.suggestion_empty", lang), style="dim"))
            body.update("")
            return
        summary.update(summary_text(suggestion, lang, departments or {}, accept_key, accepted, title))
        body.update(body_text(suggestion, lang, tz, departments or {}))


def summary_text(
    s: Suggestion, lang: str, departments: Mapping[str, Mapping[str, str]], accept_key: str,
    accepted: bool, title: Text,
) -> Text:
    out = title.copy()
    if s.urgent:
        out.append("⚠ ", style="bold")
    out.append(t("intake.suggestion_summary", lang, department=department_label(s.department, departments, lang),
                 category=category_name(s.category, lang), severity=t(f"severity.{s.severity.value}", lang)))
    other = second_opinion(s)
    if other is not None:  # said on the first line, which a narrow screen shows alone
        out.append("  " + t("intake.second_opinion_short", lang, department=other.department), style="bold")
    hint = t("intake.accepted", lang) if accepted else t("intake.accept_hint", lang, shortcut=accept_key)
    out.append("  " + hint, style="bold" if accepted else "reverse")
    return out


def body_text(
    s: Suggestion, lang: str, tz: tzinfo | None, departments: Mapping[str, Mapping[str, str]]
) -> Text:
    """Every part of the suggestion, one line each; the rules file's words shown as written."""
    lines: list[tuple[str, str]] = [
        (t("suggest.department", lang, department=department_label(s.department, departments, lang)), "bold"),
        (t("suggest.category", lang, category=category_name(s.category, lang)), ""),
        (t("suggest.severity", lang, severity=t(f"severity.{s.severity.value}", lang)), ""),
    ]
    other = second_opinion(s)
    if other is not None:
        lines.append((second_opinion_text(s, other, lang, departments), "bold"))
    if s.kind is not None:
        lines.append((t("suggest.kind", lang, kind=t(f"intake.kind.{s.kind.value}", lang),
                        told=t("intake.kind.complaint", lang)), "bold"))
    if s.urgent:
        lines.append((t("intake.urgent_flag", lang), "bold"))
    remedies = ", ".join(t(f"remedy.{r.value}", lang) for r in s.remedies)
    lines.append((t("suggest.remedies", lang, remedies=remedies or "-"), ""))
    if s.escalations:
        names = ", ".join(t(f"escalation.{e.value}", lang) for e in s.escalations)
        lines.append((t("suggest.escalations", lang, escalations=names), ""))
    if s.compensation is not None:
        lines.append((t("intake.compensation", lang, low=s.compensation.min_multiple,
                        high=s.compensation.max_multiple), ""))
    if s.corrective_action:
        lines.append((t("intake.corrective", lang), ""))
    if s.spare_parts:
        lines.append((t(f"intake.spare_{s.spare_parts}", lang), ""))
    if s.route_to_dealer:
        lines.append((t("intake.route_to_dealer", lang), ""))
    if s.deadlines is not None and tz is not None:
        lines.append((t("intake.answer_by", lang, date=local_time_with_weekday(s.deadlines.answer, tz, lang)), "bold"))
    for reason in s.reasons:
        words = ", ".join(visible(w) for w in [*reason.words, *reason.fields])
        lines.append((t("suggest.reason", lang, rule=visible(reason.rule_id),
                        description=one_line(in_language(reason.description, lang)), words=words), "dim"))
    lines.extend((t("suggest.note", lang, note=one_line(in_language(note, lang))), "") for note in s.notes)
    lines.append((t("suggest.similar", lang) if s.similar else t("suggest.no_similar", lang), "bold"))
    for case in s.similar:
        outcome = (t(f"remedy.{case.remedy.value}", lang) if case.remedy
                   else t("suggest.not_founded", lang) if case.validity == "not_founded" else "-")
        lines.append((t("suggest.similar_case", lang, number=case.number, department=case.department or "-",
                        outcome=outcome,
                        satisfaction=case.satisfaction if case.satisfaction is not None else "-",
                        summary=one_line(case.summary)), ""))
    out = Text()
    for i, (line, style) in enumerate(lines):
        out.append(("\n" if i else "") + line, style=style)
    return out

