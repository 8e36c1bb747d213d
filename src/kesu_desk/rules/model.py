"""The shapes of a rules file (conditions and actions) and of what the rules service answers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from kesu_desk.domain.vocabulary import Channel, CustomerClass, Kind, Remedy, Severity
from kesu_desk.rules.fold import fold

# A keyword is a word or a short phrase. The keyword matcher is a trie with one level per
# character, so the length also bounds how deep its pattern nests (a 5,000-character keyword
# would exceed Python's recursion limit when the pattern is built and compiled).
MAX_KEYWORD_CHARS = 100


def _short(word: str) -> str:
    # Folding can lengthen a word (NFKD: "ﷺ" becomes 18 characters), and the folded form is matched.
    if len(fold(word)) > MAX_KEYWORD_CHARS:
        raise ValueError(f"a keyword is a word or phrase of at most {MAX_KEYWORD_CHARS} characters")
    return word


Keyword = Annotated[str, AfterValidator(_short)]

# The languages of the interface (assets/i18n): a rule's description and note may be given in each.
RULE_LANGUAGES = ("zh", "en", "es")
# A rule's words for people: one text for every language, or a table with one per language
# (``note.zh = "…"``, ``note.en = "…"``, ``note.es = "…"``).
RuleText = str | dict[Literal["zh", "en", "es"], str]


def in_language(text: RuleText | None, lang: str) -> str:
    """A rule's text in ``lang``: a plain text reads the same in every language; a table falls back
    to English, then to the first language it gives."""
    if not text:
        return ""
    if isinstance(text, str):
        return text
    texts: dict[str, str] = {str(key): value for key, value in text.items()}
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class Escalation(StrEnum):
    """Who is informed beyond the responsible department."""

    SUPERVISOR = "supervisor"
    STORE_MANAGER = "store_manager"
    QUALITY = "quality"
    RND = "rnd"
    PRODUCTION = "production"
    GENERAL_MANAGER = "general_manager"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conditions(_Strict):
    """When a rule fires. With ``match = "all"`` every condition given must hold; with "any", one.

    Keyword conditions: ``keywords`` needs one of its words; ``keyword_groups`` needs one word of
    each group; ``regex`` needs one pattern to match; ``not_keywords`` vetoes the rule whatever
    ``match`` says. A keyword ending in ``*`` matches as a prefix (``deliver*``).
    """

    match: Literal["all", "any"] = "all"
    keywords: list[Keyword] = Field(default_factory=list)
    keyword_groups: list[list[Keyword]] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)  # RE2 syntax (rules.engine.compile_pattern)
    not_keywords: list[Keyword] = Field(default_factory=list)
    category: list[str] = Field(default_factory=list)
    channel: list[Channel] = Field(default_factory=list)
    kind: list[Kind] = Field(default_factory=list)  # complaint, inquiry, suggestion (issue 13)
    product: list[str] = Field(default_factory=list)
    customer_class: list[CustomerClass] = Field(default_factory=list)
    severity: list[Severity] = Field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    warranty_months: int | None = Field(default=None, ge=0)
    in_warranty: bool | None = None
    batch_count_min: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _warranty_needs_months(self) -> Conditions:
        if self.in_warranty is not None and self.warranty_months is None:
            raise ValueError("in_warranty needs warranty_months")
        return self

    def is_empty(self) -> bool:
        return not (
            self.keywords
            or self.keyword_groups
            or self.regex
            or self.category
            or self.channel
            or self.kind
            or self.product
            or self.customer_class
            or self.severity
            or self.amount_min is not None
            or self.amount_max is not None
            or self.in_warranty is not None
            or self.batch_count_min is not None
        )


class CompensationMultiple(_Strict):
    """Compensation as multiples of the product's price (DOMAIN.md: 2 to 5 times)."""

    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> CompensationMultiple:
        if self.min > self.max:
            raise ValueError("min is larger than max")
        return self


class Actions(_Strict):
    """What a rule proposes. ``mode = "set"`` imposes the department; "score" adds ``weight``
    for each distinct word matched, and the department with the highest total wins."""

    category: str | None = None
    department: str | None = None
    mode: Literal["score", "set"] = "score"
    weight: float = Field(default=1.0, gt=0)
    remedies: list[Remedy] = Field(default_factory=list)
    severity: Severity | None = None
    escalations: list[Escalation] = Field(default_factory=list)
    urgent: bool = False
    corrective_action: bool = False
    compensation: CompensationMultiple | None = None
    spare_parts: Literal["free", "retail"] | None = None
    route_to_dealer: bool = False
    # What the text reads as when the agent has not said (an inquiry, a suggestion/opinion):
    # advice only, the agent takes it with the rest of the suggestion.
    kind: Kind | None = None
    note: RuleText | None = None


class Rule(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", min_length=1)
    description: RuleText = ""
    enabled: bool = True
    when: Conditions = Field(default_factory=Conditions)
    then: Actions = Field(default_factory=Actions)


class RuleProblem(_Strict):
    """One mistake in a rules file: where (rule and field) and what is wrong."""

    file: str
    rule: str  # the rule's id when it has one, else "#<index>" (1-based); "" for the file itself
    field: str
    code: str  # toml_syntax, too_large, too_deep, too_many_patterns, unknown_key, bad_value, unknown_department, bad_regex, …
    message: str

    def __str__(self) -> str:
        where = ":".join(part for part in (self.file, self.rule, self.field) if part)
        return f"{where}: {self.message}"


# --- what suggest() answers -----------------------------------------------------------------


class Reason(_Strict):
    rule_id: str
    description: RuleText
    words: list[str] = Field(default_factory=list)
    fields: list[str] = Field(default_factory=list)
    department: str | None = None  # the department the rule names, if any


class CompensationRange(_Strict):
    min_multiple: Decimal
    max_multiple: Decimal
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


class SuggestedDeadlines(_Strict):
    """When the case would be due if registered now with the suggested severity."""

    acknowledge: datetime
    answer: datetime  # the date promised to the customer
    department_working_days: int  # the department's answer, counted from its assignment


class SimilarCase(_Strict):
    """A closed case much like this one: a second opinion on where it goes and what helped."""

    number: str
    summary: str
    department: str | None
    remedy: Remedy | None
    satisfaction: int | None  # 1 very dissatisfied … 5 very satisfied
    validity: str
    likeness: float  # 0…1, the share of this text's words and character pairs it shares


class Suggestion(_Strict):
    department: str
    category: str | None = None
    remedies: list[Remedy] = Field(default_factory=list)
    severity: Severity = Severity.NORMAL
    escalations: list[Escalation] = Field(default_factory=list)
    urgent: bool = False
    corrective_action: bool = False
    compensation: CompensationRange | None = None
    spare_parts: Literal["free", "retail"] | None = None
    route_to_dealer: bool = False
    kind: Kind | None = None  # what the text reads as (an inquiry, a suggestion), when a rule says
    notes: list[RuleText] = Field(default_factory=list)
    matched: bool = True
    reasons: list[Reason] = Field(default_factory=list)
    # Filled by the desk (kesu_desk.services.suggestions), which knows the calendar and the store.
    deadlines: SuggestedDeadlines | None = None
    similar: list[SimilarCase] = Field(default_factory=list)
