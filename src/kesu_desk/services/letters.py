"""The customer's written answer: which language it is written in, and its issuing, recorded on
the case's timeline (who issued it, when, in which language) as something the customer gets."""

from __future__ import annotations

from kesu_desk.domain.access import Use, require
from kesu_desk.domain.vocabulary import Visibility
from kesu_desk.i18n import t
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import phonenumbers
from kesu_desk.services.record_form import load_record
from kesu_desk.services.views import CaseView, CustomerView

__all__ = ["LETTER_LANGUAGES", "customer_language", "issue_letter"]

LETTER_LANGUAGES = ("zh", "en", "es")
_ZH_REGIONS = frozenset({"CN", "TW", "HK", "MO", "SG"})
_ES_REGIONS = frozenset({"ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO",
                         "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "GQ"})


def customer_language(customer: CustomerView) -> str:
    """The language of a letter to ``customer``: of the country of their phone number (else of
    the region they were registered from) — Chinese for China, Taiwan, Hong Kong, Macao and
    Singapore, Spanish for Spain and Spanish-speaking America, English elsewhere."""
    region = customer.region
    if customer.phone:
        try:
            region = phonenumbers().region_code_for_number(phonenumbers().parse(customer.phone)) or region
        except phonenumbers().NumberParseException:
            pass
    code = (region or "").upper()
    return "zh" if code in _ZH_REGIONS else "es" if code in _ES_REGIONS else "en"


def issue_letter(desk: Desk, number: str, lang: str | None = None) -> tuple[CaseView, str]:
    """The case as the letter tells it and the letter's language (``lang``, else the customer's).
    Reading it is logged like any print; issuing it goes on the timeline as customer-visible."""
    require(desk.reader, Use.PRINT)
    assert desk.identity is not None
    view = load_record(desk, number).view
    chosen = lang if lang in LETTER_LANGUAGES else customer_language(view.customer)
    view = cases.add_note(desk, desk.identity.user.name, view.number,
                          text=t("letter.issued", chosen, language=chosen), visibility=Visibility.CUSTOMER)
    return view, chosen
