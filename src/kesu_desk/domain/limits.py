"""What the desk takes at every door (the intake form, the case dialogs, import, the command
line, the services): the longest text of each field, and the purchase-date rule.

Lengths are in characters, as Python's ``len`` counts them (a Chinese character is one). Every
text a user or an import can fill is listed here; README.md ("Limits") lists them too. Why
these values:

* Contact and product fields are as long as their database columns (VARCHAR, which PostgreSQL
  enforces): 254 is the longest e-mail address SMTP carries (RFC 5321), 32 more than any phone
  number in any form, the others what a name, a product or an order number needs.
* Free text comes in three sizes, large enough for the text's purpose and small enough that
  a case stays cheap wherever it goes: a full case exported as CSV imports again (each value
  far below the csv module's default field limit of 131,072 characters), a JSONL record is
  read in bounded memory (transfer.py), and PostgreSQL's search index (a tsvector) of a case
  never meets its limits. That index holds the customer's name, what happened, what they ask
  for and the product: at most 128 + 15,000 + 1,000 + 128 = 16,256 words, so every word keeps
  its own position (tsvector positions stop at 16,383, and a phrase — two Chinese characters
  side by side — beyond that would no longer be found), and at most 4 bytes of UTF-8 a
  character plus 8 bytes a word, about 200 kB, far below a tsvector's 1 MB. PostgreSQL still
  keeps only the first 256 positions of one word: in a long Chinese text a character that
  occurs more often than that is found, but a phrase starting with it past its 256th
  occurrence is not (SQLite's index has no such limit).
"""

from __future__ import annotations

from datetime import date

from kesu_desk.domain.errors import InvalidInput

# A one-line field (the 5W2H answers, what the customer asks for, accountability): a few
# sentences, more than one line of the form shows.
LINE = 1_000
# A comment, a reason, a proposal's details, what was implemented, a corrective action: a few
# paragraphs.
TEXT = 4_000
# What happened, a note, what was said on a call: room for a pasted e-mail or chat, and within
# the search index's positions (above).
STORY = 15_000

TEXT_LIMITS: dict[str, int] = {
    # the caller and the product (CaseDraft), as long as their columns
    "phone": 32,
    "email": 254,
    "customer_name": 128,
    "product": 128,
    "order_no": 64,
    "batch": 64,
    "category": 32,
    "region": 2,  # ISO 3166 country code: how a phone number without +code is read
    "number": 32,  # a case number kept by an import (KS-YYYYMMDD-NNNN)
    # what they say (CaseDraft)
    "description": STORY,
    "customer_request": LINE,
    # the case's work (services/cases.py)
    "reason": TEXT,
    "comment": TEXT,
    "what": LINE,
    "why": LINE,
    "when": LINE,
    "where": LINE,
    "who": LINE,
    "how": LINE,
    "how_much": LINE,
    "details": TEXT,
    "implementation": TEXT,
    "accountability": LINE,
    "preventive_action": LINE,
    # issue 13, accountability: the person responsible, who delayed the handling and why
    "responsible": 128,
    "delayed_by": 128,
    "delay_reason": 500,
    "task_note": 500,  # issue 13: what the step's owner says when it is done
    "text": STORY,
    "summary": STORY,
    # corrective actions (services/corrective.py)
    "corrective_text": TEXT,
    "corrective_note": TEXT,
}

TOO_LONG = "string_too_long"


def limit_text(field: str) -> str:
    """The limit of ``field`` as the messages show it: thousands grouped by spaces (20 000)."""
    return f"{TEXT_LIMITS[field]:,}".replace(",", " ") if field in TEXT_LIMITS else ""


def check_lengths(**texts: str | None) -> None:
    """InvalidInput naming every text longer than its field's limit (``field`` → code)."""
    errors = {field: TOO_LONG for field, value in texts.items()
              if value is not None and len(value) > TEXT_LIMITS[field]}
    if errors:
        raise InvalidInput("invalid_input", errors=errors)


def purchase_date_problem(day: date | None, today: date | None = None) -> str | None:
    """The error code of a purchase date no complaint can have — one after ``today`` (the
    local date by default) —, else None."""
    if day is not None and day > (today or date.today()):
        return "date_in_future"
    return None
