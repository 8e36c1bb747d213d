"""``kesu-desk rules review`` laid out for people: the rules' suggestions against what the cases
became, and the keywords proposed, in the user's language (services/suggestion_review.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from kesu_desk.i18n import t
from kesu_desk.present.formats import department_label, name_of
from kesu_desk.services.suggestion_review import Override, SuggestionReview
from kesu_desk.text import visible_line


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.1f}%"


def _numbers(numbers: Sequence[str], total: int) -> str:
    shown = ", ".join(numbers)
    return shown + (" …" if total > len(numbers) else "")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns as wide as their widest cell in terminal cells; every column but the first is a
    number, right-aligned."""
    widths = [max(cell_len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0] + " " * (widths[0] - cell_len(row[0]))]
        cells += [" " * (w - cell_len(v)) + v for v, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def render_text(review: SuggestionReview, lang: str) -> str:
    """The review as lines of text, ending with a line break."""

    def department(code: str) -> str:
        return (department_label(code, review.department_names, lang) if code
                else t("rules.review.no_department", lang))

    lines = [
        t("rules.review.title", lang, start=review.start.isoformat(), end=review.end.isoformat()),
        t("rules.review.totals", lang, cases=review.with_suggestion, departments=review.with_department,
          taken=review.taken, share=_pct(review.share)),
    ]
    if review.by_department:
        lines.append("")
        lines += _table(
            [t("rules.review.col.suggested", lang), t("rules.review.col.cases", lang),
             t("rules.review.col.taken", lang), t("rules.review.col.share", lang)],
            [[department(d.department), f"{d.cases:,}", f"{d.taken:,}", _pct(d.share)] for d in review.by_department],
        )

    def cases(o: Override) -> str:
        return t("rules.review.cases", lang, count=o.cases, numbers=_numbers(o.numbers, o.cases))

    def group(o: Override, heading: str) -> None:
        lines.extend(["", heading])
        if not o.proposals:
            lines.append("  " + t("rules.review.no_words", lang, min_cases=review.min_cases))
        for p in o.proposals:
            rules = ", ".join(p.rules) if p.rules else t("rules.review.new_rule", lang)
            lines.append("  " + t("rules.review.proposal", lang, rules=rules,
                                  words=", ".join(visible_line(w) for w in p.words), count=p.cases,
                                  numbers=_numbers(p.numbers, p.cases)))

    for o in review.departments:
        group(o, t("rules.review.department_override", lang, suggested=department(o.suggested),
                   final=department(o.final), cases=cases(o)))
    for o in review.remedies:
        group(o, t("rules.review.remedy_override", lang, remedy=name_of("remedy", o.final, lang), cases=cases(o)))
    if not review.departments and not review.remedies:
        lines.extend(["", t("rules.review.none_overridden", lang)])
    lines.extend(["", t("rules.review.owner_decides", lang)])
    return "\n".join(lines) + "\n"
