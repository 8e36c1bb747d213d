"""Read rules files: the shipped defaults, a business's own file merged over them, and checks
that report every mistake of a file in one pass."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kesu_desk.domain.vocabulary import DEFAULT_DEPARTMENTS
from kesu_desk.rules.engine import RuleSet
from kesu_desk.rules.model import Rule, RuleProblem

DEFAULTS_NAME = "rules.toml"
_TOP_LEVEL_KEYS = {"rules"}


class RulesError(ValueError):
    """A rules file with mistakes; ``problems`` lists them all (the interface words them)."""

    def __init__(self, source: str, problems: Sequence[RuleProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s) in the rules file")


def default_rules_text() -> str:
    return (files("kesu_desk.assets") / DEFAULTS_NAME).read_text(encoding="utf-8")


def _problem(source: str, rule: str, field: str, code: str, message: str) -> RuleProblem:
    return RuleProblem(file=source, rule=rule, field=field, code=code, message=message)


def _field(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_problems(error: ValidationError, source: str, where: str) -> list[RuleProblem]:
    problems = []
    for item in error.errors():
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        field = _field(loc)
        kind = item["type"]
        given = item.get("input")
        if kind == "extra_forbidden":
            problems.append(_problem(source, where, field, "unknown_key", f"unknown key {field!r}"))
            continue
        if kind == "enum" and "remedies" in loc:
            code = "unknown_remedy"
        elif kind == "enum" and "escalations" in loc:
            code = "unknown_escalation"
        elif kind == "missing":
            code = "missing"
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            code = "bad_type"
        else:
            code = "bad_value"
        message = item["msg"] if kind == "missing" else f"{item['msg']} (got {given!r})"
        problems.append(_problem(source, where, field, code, message))
    return problems


def _semantic_problems(
    raw: dict[str, Any], source: str, where: str, departments: Collection[str]
) -> list[RuleProblem]:
    """Checks pydantic cannot make alone: department codes (the table can grow) and regexes."""
    problems = []
    then = raw.get("then")
    if isinstance(then, dict):
        department = then.get("department")
        if isinstance(department, str) and department not in departments:
            known = ", ".join(sorted(departments))
            problems.append(_problem(
                source, where, "then.department", "unknown_department",
                f"unknown department code {department!r} (known: {known})",
            ))
    when = raw.get("when")
    if isinstance(when, dict) and isinstance(when.get("regex"), list):
        for i, pattern in enumerate(when["regex"]):
            if not isinstance(pattern, str):
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                problems.append(_problem(
                    source, where, f"when.regex.{i}", "bad_regex",
                    f"bad regular expression {pattern!r}: {exc}",
                ))
    return problems


def parse_rules(
    text: str, source: str = "<rules>", departments: Collection[str] | None = None
) -> tuple[list[Rule], list[RuleProblem]]:
    """The valid rules of a file and every problem found in it."""
    known = set(departments) if departments is not None else set(DEFAULT_DEPARTMENTS)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [_problem(source, "", "", "toml_syntax", f"not valid TOML: {exc}")]
    problems: list[RuleProblem] = []
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            problems.append(_problem(source, "", key, "unknown_key", f"unknown key {key!r}"))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.append(_problem(
            source, "", "rules", "bad_type", "'rules' must be an array of tables ([[rules]])"
        ))
        return [], problems
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(raw_rules, start=1):
        where = f"#{index}"
        if not isinstance(raw, dict):
            problems.append(_problem(source, where, "", "bad_type", "a rule must be a table"))
            continue
        rule_id = raw.get("id")
        if isinstance(rule_id, str) and rule_id:
            where = rule_id
            if rule_id in seen:
                problems.append(_problem(
                    source, f"{rule_id} (#{index})", "id", "duplicate_id",
                    f"duplicate id {rule_id!r}, first used by rule {seen[rule_id]}",
                ))
            else:
                seen[rule_id] = f"#{index}"
        rule_problems = _semantic_problems(raw, source, where, known)
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as exc:
            rule_problems = _validation_problems(exc, source, where) + rule_problems
        else:
            if rule.when.is_empty():
                rule_problems.append(_problem(
                    source, where, "when", "no_conditions",
                    "the rule has no conditions and would fire on every complaint",
                ))
            if not rule_problems:
                rules.append(rule)
        problems.extend(rule_problems)
    return rules, problems


def check_rules(path: Path | str, departments: Collection[str] | None = None) -> list[RuleProblem]:
    """Every mistake in a rules file, with where it is and what is wrong; empty if it is fine."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [_problem(source, "", "", "unreadable", f"cannot read the file: {exc}")]
    return parse_rules(text, source, departments)[1]


def merge(base: Sequence[Rule], extra: Sequence[Rule]) -> list[Rule]:
    """``extra`` over ``base``: a rule with the same id replaces it in place, new ids go last."""
    merged = {rule.id: rule for rule in base}
    for rule in extra:
        merged[rule.id] = rule
    return list(merged.values())


def _defaults(departments: Collection[str] | None) -> list[Rule]:
    rules, problems = parse_rules(default_rules_text(), DEFAULTS_NAME, departments)
    if problems:  # the shipped file is tested; this only catches a broken installation
        raise RulesError(DEFAULTS_NAME, problems)
    return rules


def load_rules(path: Path | str | None = None, departments: Collection[str] | None = None) -> RuleSet:
    """The default rules, with the file at ``path`` merged over them; raises RulesError."""
    rules = _defaults(departments)
    if path is None:
        return RuleSet(rules)
    problems = check_rules(path, departments)
    if problems:
        raise RulesError(str(path), problems)
    text = Path(path).read_text(encoding="utf-8")
    return RuleSet(merge(rules, parse_rules(text, str(path), departments)[0]))


def load_rules_safely(
    path: Path | str | None = None, departments: Collection[str] | None = None
) -> tuple[RuleSet, list[RuleProblem]]:
    """Like load_rules, but a broken user file never stops the app: the defaults alone are used
    and the problems returned so the interface can say so."""
    try:
        return load_rules(path, departments), []
    except RulesError as exc:
        return RuleSet(_defaults(departments)), exc.problems
