"""The intake form's state and its rules, without the widgets: what the agent typed, what the
customer lookup filled in, what the suggestion proposed and what the agent chose, whether the
form can be registered, and the draft kept on disk. The intake screen shows it and feeds it the
keys typed; tests drive it without a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.vocabulary import Channel, CustomerClass, Kind, Severity
from kesu_desk.i18n import catalogue
from kesu_desk.rules import Suggestion
from kesu_desk.services.drafts import CaseDraft, units_of
from kesu_desk.services.intake import CustomerHistory

TEXT_FIELDS = ("phone", "email", "customer_name", "store", "product", "order_no", "batch", "units",
               "purchase_date", "price", "customer_request", "category")
SELECT_DEFAULTS: dict[str, str | None] = {
    "channel": Channel.PHONE.value,
    "customer_class": CustomerClass.END_USER.value,
    "caller_mood": None,
    "severity": Severity.NORMAL.value,
    "kind": Kind.COMPLAINT.value,
}
# Every field of the form, in the order of a call (and of Tab). The kind of contact comes last:
# most calls are complaints, the default.
FIELDS = ("phone", "email", "customer_name", "channel", "store", "customer_class", "product", "order_no",
          "batch", "units", "purchase_date", "price", "description", "customer_request", "caller_mood", "category",
          "severity", "urgent", "kind")
# What the customer lookup reads, what it fills in, and what the suggestion reads.
CONTACT_FIELDS = frozenset({"phone", "email"})
LOOKUP_FIELDS = frozenset({"customer_name", "customer_class"})
SUGGEST_FIELDS = frozenset({"description", "product", "batch", "category", "channel",
                            "customer_class", "purchase_date", "kind", "units"})
# Errors worth showing as soon as the agent leaves the field; "missing" ones wait for Ctrl+S.
CHECKED_ON_LEAVING = frozenset({*TEXT_FIELDS, "description"})
FORMAT_ERRORS = frozenset({"bad_phone", "bad_email", "date_in_future", "date_parsing",
                           "date_from_datetime_parsing", "string_too_long",
                           # issue 13: the price, read as every amount is (domain/amounts.py)
                           "amount_format", "amount_ambiguous", "amount_decimals", "amount_negative",
                           "amount_too_large", "bad_units"})

Fields = dict[str, Any]


def empty_form() -> Fields:
    return {**dict.fromkeys(TEXT_FIELDS, ""), "description": "", **SELECT_DEFAULTS, "urgent": False}


def is_empty(fields: Fields) -> bool:
    """Nothing the agent entered: no draft worth keeping (the F6 text counts too)."""
    blank = empty_form()
    resolution = fields.get("resolution")
    return (all(fields.get(name) == blank[name] for name in blank)
            and not (isinstance(resolution, str) and resolution.strip()))


def restored_form(saved: dict[str, Any]) -> Fields:
    """The form from a saved draft; a value of the wrong kind (a hand-edited file) is left out."""
    form = empty_form()
    for name, blank in form.items():
        value = saved.get(name)
        if isinstance(blank, bool):
            if isinstance(value, bool):
                form[name] = value
        elif isinstance(value, str) or (value is None and blank is None):
            form[name] = value
    return form


CATEGORY_LANGUAGES = ("zh", "en", "es")


def category_code(text: str) -> str:
    """The category the agent means: the field shows categories by name in their language
    ("质量缺陷", "quality defect"); a name of any language gives its code, other text is kept
    as typed (a category of the business's own rules, or a code)."""
    return _category_codes().get(text.strip().casefold(), text.strip())


@lru_cache(maxsize=1)
def _category_codes() -> dict[str, str]:
    """Every category name of the desk's languages (casefolded) → its code; read once, as the
    field is read at every typing pause."""
    prefix = "report.category."
    codes: dict[str, str] = {}
    for lang in CATEGORY_LANGUAGES:
        for key, name in catalogue(lang).items():
            if key.startswith(prefix):
                codes.setdefault(name.casefold(), key.removeprefix(prefix))
    return codes


def draft_input(fields: Fields, region: str) -> dict[str, Any]:
    """What CaseDraft.parse reads, from the form's values."""
    data = {name: fields.get(name) for name in FIELDS}
    data["category"] = category_code(str(fields.get("category") or ""))
    data["purchase_date"] = fields.get("purchase_date") or None
    data["region"] = region
    return data


def suggested_values(s: Suggestion) -> dict[str, Any]:
    """What the timeline keeps of a suggestion: the four values the agent chooses, then the rest
    of the rules' advice (issue 14) where the rules gave it — nothing they advised is lost."""
    return {"department": s.department, "category": s.category, "severity": s.severity.value,
            "remedies": [r.value for r in s.remedies], **advice_values(s)}


def advice_values(s: Suggestion) -> dict[str, Any]:
    """The rules' advice beyond department, category, severity and remedies, as JSON values;
    what they did not advise (no escalation, not urgent, …) is left out."""
    advice: dict[str, Any] = {
        "escalations": [e.value for e in s.escalations],
        "urgent": s.urgent,
        "corrective_action": s.corrective_action,
        "compensation": s.compensation.model_dump(mode="json", exclude_none=True) if s.compensation else None,
        "spare_parts": s.spare_parts,
        "route_to_dealer": s.route_to_dealer,
        "notes": list(s.notes),
        "rules": [r.rule_id for r in s.reasons],
    }
    return {name: value for name, value in advice.items() if value}


class SuggestKey(NamedTuple):
    """What the suggestion is asked about: a suggestion for other values is out of date."""

    text: str
    product: str
    batch: str
    category: str
    channel: str | None
    customer_class: str | None
    purchase_date: date | None
    urgent: bool
    kind: str | None = None  # an inquiry about prices goes to sales (issue 13)
    units: int = 1  # issue 13: the batch threshold counts this call's units too


@dataclass(frozen=True)
class Registration:
    """What Ctrl+S sends: the checked draft and what goes on the timeline about the suggestion."""

    draft: CaseDraft
    key: SuggestKey
    known: Suggestion | None  # the suggestion shown for exactly this text, if one was
    accepted: dict[str, Any] | None  # what the agent accepted of a suggestion (F3)
    generation: int  # the draft on disk this registration replaces

    @property
    def described(self) -> bool:
        """Whether there is a text the rules can read (else no suggestion is recorded)."""
        return bool(self.key.text)

    def suggestion_record(self, suggestion: Suggestion | None) -> tuple[dict[str, Any] | None,
                                                                          dict[str, Any] | None]:
        """What the rules suggested and what the agent chose, as the timeline keeps them; both
        None without a suggestion."""
        if suggestion is None:
            return None, None
        chosen = {
            "department": self.accepted.get("department") if self.accepted else None,
            "category": self.draft.category,
            "severity": self.draft.severity.value,
        }
        return suggested_values(suggestion), chosen


class IntakeForm:
    """One call's form. ``fields`` holds every field's value as the agent sees it (text, the
    chosen value of a list or None, the urgent tick); ``generation`` counts the changes, so a
    draft written for an older one is never written over a newer."""

    def __init__(self, region: str, fields: Fields | None = None, *,
                 accepted: dict[str, Any] | None = None, looked_up: Fields | None = None) -> None:
        self.region = region
        self.fields: Fields = dict(fields) if fields is not None else empty_form()
        self.accepted = accepted
        # What the lookup put in the fields: while a field still shows it, it follows the
        # lookup (a corrected phone number brings the right name); once changed, it is the agent's.
        self.looked_up_values: Fields = dict(looked_up or {})
        self.generation = 0
        self.history: CustomerHistory | None = None  # what the last lookup found
        self.suggestion: Suggestion | None = None
        self.suggestion_key: SuggestKey | None = None
        self.errors: dict[str, str] = {}  # the errors shown by the fields, by field
        # Issue 13, products: the catalogue product picked (code, name) while the field shows its name.
        self.picked: tuple[str, str] | None = None
        # Issue 13: what the agent wrote in the F6 dialog ("resolved now"), kept with the draft
        # until the case is registered, so a dialog closed or a desk killed loses none of it.
        self.resolution = ""
        self._lookups = 0  # numbers the lookups and suggestions asked for: a late answer
        self._suggestions = 0  # to an older question is dropped

    @classmethod
    def restored(cls, document: dict[str, Any], region: str) -> IntakeForm:
        """The form as a saved draft (``document``) left it; a hand-edited value of the wrong
        kind is left out."""
        accepted = document.get("accepted")
        looked_up = document.get("looked_up")
        filled = {name: value for name, value in looked_up.items()
                  if name in LOOKUP_FIELDS and isinstance(value, str)} if isinstance(looked_up, dict) else {}
        form = cls(region, restored_form(document), accepted=accepted if isinstance(accepted, dict) else None,
                   looked_up=filled)
        picked = document.get("picked")  # issue 13, products: the product picked, (code, name)
        if isinstance(picked, list) and len(picked) == 2 and all(isinstance(v, str) for v in picked):
            form.picked = (picked[0], picked[1])
        resolution = document.get("resolution")
        if isinstance(resolution, str):
            form.resolution = resolution
        return form

    # -- what the agent types ----------------------------------------------------------------------

    def change(self, field: str, value: Any) -> None:
        """The agent changed ``field`` (this runs on every key typed: it does nothing more)."""
        self.fields[field] = value
        self.generation += 1

    def is_empty(self) -> bool:
        return is_empty({**self.fields, "resolution": self.resolution})

    def resolve_text(self, text: str) -> None:
        """The agent typed ``text`` in the F6 dialog (what was done on the spot)."""
        self.resolution = text
        self.generation += 1

    def document(self, fields: Fields | None = None) -> Fields:
        """The draft to keep on disk: the fields (``fields`` if given: as the widgets show them
        this instant), what was accepted of the suggestion and what the lookup filled in."""
        return {**(self.fields if fields is None else fields), "accepted": self.accepted,
                "looked_up": dict(self.looked_up_values), "picked": list(self.picked) if self.picked else None,
                "resolution": self.resolution}

    def clear(self) -> None:
        """The next call: an empty form; answers still on their way are for the previous one."""
        self.fields = empty_form()
        self.errors = {}
        self.accepted = None
        self.looked_up_values = {}
        self.suggestion = None
        self.suggestion_key = None
        self.history = None
        self.picked = None
        self.resolution = ""
        self._suggestions += 1
        self._lookups += 1
        self.generation += 1

    def pick(self, code: str, name: str) -> None:
        """The agent picked catalogue product ``code``; the product field shows ``name``."""
        self.picked = (code, name)
        self.generation += 1

    def product_code(self) -> str | None:
        """The picked product's code while the product field still shows its name (a changed
        text is the customer's own words, about no catalogue product)."""
        if self.picked is not None and self.fields["product"].strip() == self.picked[1]:
            return self.picked[0]
        return None

    # -- checking ---------------------------------------------------------------------------------

    def parse(self) -> tuple[CaseDraft | None, dict[str, str]]:
        """The draft if the form can be registered, else the error code of each wrong field."""
        data = draft_input(self.fields, self.region)
        data["product_code"] = self.product_code()
        try:
            return CaseDraft.parse(data), {}
        except InvalidInput as exc:
            return None, dict(exc.params.get("errors", {}))

    def check(self, fields: set[str], *, format_only: bool) -> dict[str, str | None]:
        """The error to show by each of ``fields`` now (None: none). With ``format_only`` (the
        agent is leaving the field) only a wrong format or length: what is missing waits for
        Ctrl+S."""
        _, errors = self.parse()
        shown: dict[str, str | None] = {}
        for name in fields:
            code = errors.get(name)
            if code is not None and format_only and code not in FORMAT_ERRORS:
                code = None
            shown[name] = code
        return shown

    def registration(self) -> tuple[Registration | None, dict[str, str]]:
        """What Ctrl+S registers, or the error code of each wrong field."""
        draft, errors = self.parse()
        if draft is None:
            return None, errors
        key = self.suggest_key()
        known = self.suggestion if key == self.suggestion_key else None
        return Registration(draft, key, known, self.accepted, self.generation), {}

    # -- the customer -------------------------------------------------------------------------------

    def lookup(self) -> tuple[int, str, str]:
        """A new lookup of the caller: its number, and the phone and e-mail to look for."""
        self._lookups += 1
        return self._lookups, self.fields["phone"], self.fields["email"]

    def contact_complete(self, phone: str, email: str) -> bool:
        """Whether what was typed is a whole phone number or e-mail (so "new customer" is true)."""
        data = draft_input({**empty_form(), "phone": phone, "email": email, "description": "x"}, self.region)
        try:
            CaseDraft.parse(data)
        except InvalidInput:
            return False
        return bool(phone.strip() or email.strip())

    def looked_up(self, number: int, history: CustomerHistory | None) -> Fields | None:
        """The answer to lookup ``number``: None if the agent has typed since (a newer lookup is
        on its way), else the fields to change — the customer's name and class where the form
        shows none typed or chosen, or what an earlier lookup filled in; that goes back to blank
        when nobody is found (it was another caller's)."""
        if number != self._lookups:
            return None
        self.history = history
        customer = history.customer if history else None
        found: Fields = {"customer_name": "", "customer_class": SELECT_DEFAULTS["customer_class"]}
        if customer is not None:
            if customer.name:
                found["customer_name"] = customer.name
            if customer.customer_class in set(CustomerClass):
                found["customer_class"] = customer.customer_class
        fill: Fields = {}
        for name, value in found.items():
            shown = self.fields[name]
            blank = not str(shown or "").strip() or shown == SELECT_DEFAULTS.get(name)
            if not blank and shown != self.looked_up_values.get(name):
                continue  # typed or chosen by the agent: theirs
            if value != shown:
                fill[name] = value
            if value != empty_form()[name]:
                self.looked_up_values[name] = value
            else:
                self.looked_up_values.pop(name, None)
        return fill

    # -- the suggestion -----------------------------------------------------------------------------

    def suggest_key(self) -> SuggestKey:
        f = self.fields
        return SuggestKey(f["description"].strip(), f["product"].strip(), f["batch"].strip(),
                          category_code(f["category"]),
                          f["channel"], f["customer_class"], self._purchase_date(), f["urgent"],
                          f.get("kind"), units_of(f.get("units", "")) or 1)

    def _purchase_date(self) -> date | None:
        try:
            return date.fromisoformat(self.fields["purchase_date"])
        except (TypeError, ValueError):
            return None

    def suggest(self) -> tuple[int, SuggestKey] | None:
        """A new question to the rules, numbered, or None: nothing described yet, or the
        suggestion shown is for exactly these values."""
        key = self.suggest_key()
        if not key.text or key == self.suggestion_key:
            return None
        self._suggestions += 1
        return self._suggestions, key

    def suggested(self, number: int, key: SuggestKey, suggestion: Suggestion) -> bool:
        """The rules' answer to question ``number``; False (and dropped) if a newer one was asked."""
        if number != self._suggestions:
            return False
        self.suggestion, self.suggestion_key = suggestion, key
        return True

    def accept(self) -> Fields | None:
        """The agent takes the suggestion (F3): the fields it sets, or None without one. Accepting
        never lowers urgency the agent set: a safety risk they heard stays urgent."""
        s = self.suggestion
        if s is None:
            return None
        fill: Fields = {"category": s.category} if s.category else {}
        fill["severity"] = s.severity.value
        fill["urgent"] = bool(self.fields["urgent"]) or s.urgent
        if s.kind is not None:  # the text reads as an inquiry or a suggestion (issue 14)
            fill["kind"] = s.kind.value
        self.accepted = suggested_values(s)
        self.generation += 1  # what was accepted is kept in the draft with the fields
        return fill

    @property
    def accepted_shown(self) -> bool:
        """Whether the suggestion shown is the one the agent accepted."""
        return self.accepted is not None and self.suggestion is not None and (
            self.accepted.get("department") == self.suggestion.department)
