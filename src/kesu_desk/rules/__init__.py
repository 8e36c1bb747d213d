"""The rules service: loads rule files and suggests department, category, remedies and severity,
with the reasons for each suggestion."""

from __future__ import annotations

from kesu_desk.rules.engine import RuleSet, suggest
from kesu_desk.rules.fold import fold
from kesu_desk.rules.loader import (
    RulesError,
    check_rules,
    default_rules_text,
    load_rules,
    load_rules_safely,
    merge,
    parse_rules,
)
from kesu_desk.rules.model import (
    Actions,
    CompensationMultiple,
    CompensationRange,
    Conditions,
    Escalation,
    Reason,
    Rule,
    RuleProblem,
    RuleText,
    SimilarCase,
    SuggestedDeadlines,
    Suggestion,
    in_language,
)

__all__ = [
    "Actions",
    "CompensationMultiple",
    "CompensationRange",
    "Conditions",
    "Escalation",
    "Reason",
    "Rule",
    "RuleProblem",
    "RuleSet",
    "RuleText",
    "RulesError",
    "SimilarCase",
    "SuggestedDeadlines",
    "Suggestion",
    "check_rules",
    "default_rules_text",
    "fold",
    "in_language",
    "load_rules",
    "load_rules_safely",
    "merge",
    "parse_rules",
    "suggest",
]
