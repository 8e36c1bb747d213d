"""The intake form keeps the catalogue product picked (issue 13) while its name is in the field,
in the draft on disk too."""

from __future__ import annotations

from kesu_desk.services.intake_form import IntakeForm


def _form() -> IntakeForm:
    form = IntakeForm("CN")
    for field, value in (("phone", "13900139000"), ("description", "leaks"), ("product", "RO-400 purifier")):
        form.change(field, value)
    form.pick("RO-400", "RO-400 purifier")
    return form


def test_the_picked_code_is_registered_until_the_text_changes() -> None:
    form = _form()
    draft, _ = form.parse()
    assert draft is not None and draft.product_code == "RO-400"
    form.change("product", "RO-400 purifier, the old one")
    draft, _ = form.parse()
    assert draft is not None and draft.product_code is None


def test_a_restored_draft_keeps_the_product_picked() -> None:
    restored = IntakeForm.restored(_form().document(), "CN")
    draft, _ = restored.parse()
    assert draft is not None and draft.product_code == "RO-400"
