"""Task templates (issue 13): shipped and the desk's own, validated, scheduled on working days."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kesu_desk.domain.tasks import BadTaskTemplate
from kesu_desk.i18n import describe
from kesu_desk.services.tasks import load_template, missing_departments, plan, template_names
from kesu_desk.sla import Calendar

STEP = """
[[step]]
key = "{key}"
title = {{ zh = "甲", en = "A", es = "A" }}
department = "{department}"
due_days = {due}
"""


def test_the_shipped_templates_load_with_titles_in_three_languages(tmp_path: Path) -> None:
    assert {"returned_defectives", "es_investigation", "es_handover"} <= set(template_names(tmp_path))
    for name in template_names(tmp_path):
        template = load_template(name, tmp_path)
        assert all(step.title_in(lang) for step in template.steps for lang in ("zh", "en", "es"))
    returned = load_template("returned_defectives", tmp_path)
    assert [s.key for s in returned.steps][:3] == ["receipt", "qa_test", "rnd_opinion"]
    assert [s.key for s in returned.steps][-1] == "dispatch"


def test_a_desk_s_own_file_replaces_the_shipped_template_and_adds_new_ones(tmp_path: Path) -> None:
    (tmp_path / "es_handover.toml").write_text(STEP.format(key="only", department="CS", due=2), encoding="utf-8")
    (tmp_path / "recall.toml").write_text(STEP.format(key="notify", department="SALES", due=1), encoding="utf-8")
    assert [s.key for s in load_template("es_handover", tmp_path).steps] == ["only"]
    assert "recall" in template_names(tmp_path)
    assert load_template("recall", tmp_path).steps[0].department == "SALES"


@pytest.mark.parametrize(("text", "wrong"), [
    ("", "no steps"),
    (STEP.format(key="a", department="CS", due=1) * 2, "the step a twice"),
    (STEP.format(key="a", department="cs", due=1), "'department'"),
    (STEP.format(key="a", department="CS", due=-1), "'due_days'"),
    (STEP.format(key="a", department="CS", due=1).replace(', es = "A"', ''), "'title'"),
    ("[[step]\n", "not valid TOML"),
])
def test_a_bad_template_gets_one_line_naming_what_is_wrong(tmp_path: Path, text: str, wrong: str) -> None:
    (tmp_path / "broken.toml").write_text(text, encoding="utf-8")
    with pytest.raises(BadTaskTemplate) as raised:
        load_template("broken", tmp_path)
    message = describe(raised.value, "en")
    assert wrong in message and "broken" in message and "\n" not in message
    assert describe(raised.value, "zh") != message and describe(raised.value, "es") != message


def test_an_unknown_template_names_the_ones_there_are(tmp_path: Path) -> None:
    with pytest.raises(BadTaskTemplate) as raised:
        load_template("nope", tmp_path)
    assert "returned_defectives" in describe(raised.value, "es")


def test_departments_a_desk_lacks_are_named_before_anything_is_added(tmp_path: Path) -> None:
    template = load_template("returned_defectives", tmp_path)
    assert missing_departments(template, {"CS", "QA", "LOG"}) == ["PE", "PLAN", "PROD", "RND", "WH"]
    assert missing_departments(template, {"CS", "QA", "PE", "PLAN", "PROD", "RND", "WH"}) == []


def test_due_dates_count_working_days_from_the_previous_step(tmp_path: Path) -> None:
    template = load_template("returned_defectives", tmp_path)
    start = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    due = {step.key: when for step, when in plan(template, start, Calendar("CN"))}
    assert due["receipt"] == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday: the weekend skipped
    assert due["qa_test"] == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)  # two working days later
    # The planner's step is parallel: counted from the start, and it does not push the repair back.
    assert due["schedule"] == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert due["parts"] == datetime(2026, 12, 14, 2, 0, tzinfo=UTC)
    assert due["repair"] == datetime(2026, 12, 17, 2, 0, tzinfo=UTC)  # three working days after the parts


def test_a_step_waits_for_the_previous_one_unless_parallel(tmp_path: Path) -> None:
    template = load_template("returned_defectives", tmp_path)
    assert template.may_finish("receipt", set())
    assert not template.may_finish("qa_test", set())
    assert template.may_finish("qa_test", {"receipt"})
    assert template.may_finish("schedule", set())  # parallel
    with pytest.raises(BadTaskTemplate) as raised:
        template.may_finish("repaint", set())
    assert "receipt" in describe(raised.value, "en")
