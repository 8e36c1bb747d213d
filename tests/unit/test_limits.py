"""The limits of domain/limits.py: one per field, never more than the database holds, each
named in the user's language (issue 11.10)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col

from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS, check_lengths
from kesu_desk.i18n import catalogue, describe
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.store.models import Case, CorrectiveAction, Customer

# The columns each limited field is stored in.
COLUMNS: dict[str, list[Any]] = {
    "phone": [Customer.phone], "email": [Customer.email], "customer_name": [Customer.name],
    "product": [Case.product, CorrectiveAction.product], "order_no": [Case.order_no],
    "batch": [Case.batch, CorrectiveAction.batch], "category": [Case.category],
    "number": [Case.number], "region": [Customer.region],
    "description": [Case.description], "customer_request": [Case.customer_request],
    "reason": [Case.validity_reason], "implementation": [Case.implementation],
    "accountability": [Case.accountability], "preventive_action": [Case.preventive_action],
    **{name: [getattr(Case, f"cause_{name}")]
       for name in ("what", "why", "when", "where", "who", "how", "how_much")},
    "corrective_text": [CorrectiveAction.action], "corrective_note": [CorrectiveAction.progress],
}


@pytest.mark.parametrize("field", sorted(COLUMNS))
def test_no_limit_is_wider_than_its_column(field: str) -> None:
    for column in COLUMNS[field]:
        length = getattr(col(column).type, "length", None)
        assert length is None or TEXT_LIMITS[field] <= length, (field, column)


def test_the_draft_takes_the_limits_of_the_table() -> None:
    for name, info in CaseDraft.model_fields.items():
        if name in TEXT_LIMITS and name != "number":
            lengths = [m.max_length for m in info.metadata if getattr(m, "max_length", None)]
            assert lengths == [TEXT_LIMITS[name]], name


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
def test_every_limited_field_has_a_name_and_its_refusal_names_the_limit(lang: str) -> None:
    for field, limit in TEXT_LIMITS.items():
        assert f"field.{field}" in catalogue(lang), field
        message = describe(InvalidInput("invalid_input", errors={field: "string_too_long"}), lang)
        assert f"{limit:,}".replace(",", " ") in message, message


def test_every_text_too_long_is_named_at_once() -> None:
    check_lengths(comment="x" * TEXT_LIMITS["comment"], text=None)
    with pytest.raises(InvalidInput) as refused:
        check_lengths(what="x" * 1001, why="ok", how="y" * 1001)
    assert refused.value.params["errors"] == {"what": "string_too_long", "how": "string_too_long"}
