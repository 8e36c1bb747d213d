"""Read rules files: the shipped defaults, a business's own file merged over them, and checks
that report every mistake of a file in one pass. A hostile file is a problem like any other: too
large, nested too deeply or with too many patterns, it is refused, never a crash or a stall."""

from __future__ import annotations

import reprlib
import stat
import tomllib
from collections.abc import Collection, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import re2
from pydantic import ValidationError

from kesu_desk.domain.vocabulary import DEFAULT_DEPARTMENTS
from kesu_desk.rules.engine import RuleSet, compile_pattern
from kesu_desk.rules.model import Rule, RuleProblem

DEFAULTS_NAME = "rules.toml"
_TOP_LEVEL_KEYS = {"rules"}
# The shipped rules are 19 kB; a business's own file is of that order. Anything much larger is a
# mistake (or an attack) and would cost seconds to parse and compile at every start.
MAX_FILE_BYTES = 1 << 20
# Each pattern is searched over the whole text at every suggestion and may take RE2's memory
# budget (8 MB) and some milliseconds on a long text: linear, but not free.
MAX_PATTERNS = 100
# A rules file nests four levels at most (rules = [{ when = { keyword_groups = [["…"]] } }]);
# tomllib recurses once per level and raises RecursionError some hundreds of levels down.
SCHEMA_DEPTH = 4
_SHOWN = reprlib.Repr()  # a wrong value is quoted in a problem, shortened
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlevel = 3


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
        message = item["msg"] if kind == "missing" else f"{item['msg']} (got {_SHOWN.repr(given)})"
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
                compile_pattern(pattern)
            except re2.error as exc:
                reason = b"".join(a for a in exc.args if isinstance(a, bytes)).decode("utf-8", "replace")
                problems.append(_problem(
                    source, where, f"when.regex.{i}", "bad_regex",
                    f"bad regular expression {_SHOWN.repr(pattern)}: {reason or exc} "
                    "(patterns are RE2 syntax: no look-around, no back-references)",
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
    except RecursionError:
        return [], [_problem(
            source, "", "", "too_deep",
            f"arrays or tables nested far too deeply (a rules file needs {SCHEMA_DEPTH} levels at most)",
        )]
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
    patterns = sum(len(rule.when.regex) for rule in rules)
    if patterns > MAX_PATTERNS:
        problems.append(_problem(
            source, "", "", "too_many_patterns",
            f"{patterns} regular expressions, more than the {MAX_PATTERNS} allowed; each is searched "
            "over the whole text of every suggestion (keywords are found in one pass)",
        ))
    return rules, problems


def _read(path: Path | str) -> str | RuleProblem:
    """The text of a rules file, or why it cannot be used; never reads more than the limit."""
    source = str(path)
    try:
        path = Path(path)
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, a device (/dev/zero), a pipe
            return _problem(source, "", "", "unreadable", "cannot read the file: not a regular file")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return _problem(source, "", "", "too_large",
                            f"the file is larger than {MAX_FILE_BYTES >> 20} MB; a rules file is a few kB")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _problem(source, "", "", "unreadable", f"cannot read the file: {exc}")


def check_rules(path: Path | str, departments: Collection[str] | None = None) -> list[RuleProblem]:
    """Every mistake in a rules file, with where it is and what is wrong; empty if it is fine."""
    text = _read(path)
    if isinstance(text, RuleProblem):
        return [text]
    return parse_rules(text, str(path), departments)[1]


def merge(base: Sequence[Rule], extra: Sequence[Rule]) -> list[Rule]:
    """``extra`` over ``base``: a rule with the same id replaces it in place, new ids go last."""
    merged = {rule.id: rule for rule in base}
    for rule in extra:
        merged[rule.id] = rule
    return list(merged.values())


def _defaults(departments: Collection[str] | None) -> list[Rule]:
    rules, problems = parse_rules(default_rules_text(), DEFAULTS_NAME)
    if problems:  # the shipped file is tested; this only catches a broken installation
        raise RulesError(DEFAULTS_NAME, problems)
    if departments is None:
        return rules
    # A default department the business retired: its rules still give category, remedies and
    # severity, and leave the department to the agent (triage) instead of proposing a retired one.
    known = set(departments)
    return [r if r.then.department is None or r.then.department in known
            else r.model_copy(update={"then": r.then.model_copy(update={"department": None})})
            for r in rules]


def load_rules(path: Path | str | None = None, departments: Collection[str] | None = None) -> RuleSet:
    """The default rules, with the file at ``path`` merged over them; raises RulesError."""
    rules = _defaults(departments)
    if path is None:
        return RuleSet(rules)
    text = _read(path)
    if isinstance(text, RuleProblem):
        raise RulesError(str(path), [text])
    own, problems = parse_rules(text, str(path), departments)
    if problems:
        raise RulesError(str(path), problems)
    return RuleSet(merge(rules, own))


def load_rules_safely(
    path: Path | str | None = None, departments: Collection[str] | None = None
) -> tuple[RuleSet, list[RuleProblem]]:
    """Like load_rules, but a broken user file never stops the app: the defaults alone are used
    and the problems returned so the interface can say so."""
    try:
        return load_rules(path, departments), []
    except RulesError as exc:
        return RuleSet(_defaults(departments)), exc.problems
