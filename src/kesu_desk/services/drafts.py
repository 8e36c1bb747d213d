"""Validated input of the use cases (pydantic): what an agent typed, checked field by field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from kesu_desk.domain import numbering
from kesu_desk.domain.amounts import amount_cents, parse_amount
from kesu_desk.domain.errors import InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS, purchase_date_problem
from kesu_desk.domain.vocabulary import (
    WALK_IN_CHANNELS,
    Channel,
    CustomerClass,
    Kind,
    Mood,
    Severity,
)
from kesu_desk.store.models import Case, column_length

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def _limit(field: str) -> Any:
    """The longest text of ``field`` (domain/limits.py, never more than its column holds), so a
    too-long value is a field error like any other, not a failed transaction."""
    return Field(default="", max_length=TEXT_LIMITS[field])


def phonenumbers() -> Any:
    """The phonenumbers package, loaded on first use: its metadata is large and the queue
    screen starts without it."""
    import phonenumbers as module

    return module


def normalise_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number as typed in ``region``; ValueError if it is not a number."""
    try:
        number = phonenumbers().parse(raw, region)
    except phonenumbers().NumberParseException as exc:
        raise ValueError("bad_phone") from exc
    if not phonenumbers().is_valid_number(number):
        raise ValueError("bad_phone")
    return str(phonenumbers().format_number(number, phonenumbers().PhoneNumberFormat.E164))


def phone_prefixes(query: str, region: str) -> list[str]:
    """Stored (E.164) prefixes a partly typed phone number may stand for."""
    digits = "".join(ch for ch in query if ch.isdigit())
    if not digits:
        return []
    if query.strip().startswith("+"):
        return ["+" + digits]
    code = phonenumbers().country_code_for_region(region)
    national = digits.lstrip("0") or digits
    return sorted({f"+{code}{national}", "+" + digits})


# The most units one complaint may be about (a dealer's returned lot); more is a typing slip.
MAX_UNITS = 10_000


def units_of(value: Any) -> int | None:
    """How many units ``value`` says (empty: 1), or None when it is no whole number from 1 to
    MAX_UNITS."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    try:
        units = int(str(value).strip()) if not isinstance(value, float) else int(value)
    except ValueError:
        return None
    return units if 1 <= units <= MAX_UNITS else None


def parse_units(value: Any) -> int:
    """The units of ``value``; InvalidInput (field ``units``) when it is not 1 to MAX_UNITS."""
    units = units_of(value)
    if units is None:
        raise InvalidInput("invalid_input", errors={"units": "bad_units"})
    return units


class CaseDraft(BaseModel):
    """A new complaint as the agent records it (step 1 of DOMAIN.md)."""

    model_config = ConfigDict(extra="forbid")

    phone: Text = _limit("phone")
    email: Text = _limit("email")
    customer_name: Text = _limit("customer_name")
    customer_class: CustomerClass = CustomerClass.END_USER
    channel: Channel = Channel.PHONE
    kind: Kind = Kind.COMPLAINT
    product: Text = _limit("product")
    # Issue 13, products: the catalogue code of the product picked in the intake, if one was.
    product_code: str | None = Field(default=None, max_length=32)
    order_no: Text = _limit("order_no")
    batch: Text = _limit("batch")
    purchase_date: date | None = None
    category: Text = _limit("category")
    severity: Severity = Severity.NORMAL
    urgent: bool = False
    description: Text = _limit("description")
    customer_request: Text = _limit("customer_request")
    caller_mood: Mood | None = None
    units: int = 1  # Issue 13, batch part: units affected, 1 to MAX_UNITS
    # Issue 13, remedies: the price of what the complaint is about (a compensation's measure);
    # None: the picked product's retail price, if any.
    price: Decimal | None = None
    region: str = Field(default="CN", max_length=TEXT_LIMITS["region"])
    # Issue 13: the store at whose counter it was made, and the customer's language (zh/en/es).
    store: str | None = Field(default=None, max_length=column_length(Case, "store_code"))
    customer_lang: Literal["zh", "en", "es"] | None = None
    number: str | None = Field(default=None, max_length=column_length(Case, "number"))
    """Given only by imports that keep an existing case number."""

    @field_validator("units", mode="before")
    @classmethod
    def _units(cls, value: Any) -> int:
        units = units_of(value)
        if units is None:
            raise ValueError({"units": "bad_units"})
        return units

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Decimal | None:
        try:
            price = value if value is None or isinstance(value, Decimal) else parse_amount(str(value))
            amount_cents(price)  # whole cents in range, as a proposal's amount
            return price
        except InvalidInput as refused:
            raise ValueError({"price": refused.params["errors"]["amount"]}) from None

    @field_validator("number")
    @classmethod
    def _case_number(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        if numbering.parse_number(value.strip()) is None:
            raise ValueError({"number": "bad_case_number"})
        return value.strip()

    @model_validator(mode="after")
    def _contact_and_description(self) -> CaseDraft:
        errors, phone = _check_contact(self.phone, self.email, self.description, self.region,
                                       self.channel)
        if problem := purchase_date_problem(self.purchase_date):
            errors["purchase_date"] = problem
        if errors:
            raise ValueError(errors)
        self.phone = phone
        self.email = normalise_email(self.email)
        return self

    @classmethod
    def parse(cls, data: dict[str, Any]) -> CaseDraft:
        """Validate ``data``; every problem is reported at once as InvalidInput(field → code)."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            errors = _field_errors(exc)
        # A type error elsewhere stops the model check: report the contact checks too.
        phone, email, description = (str(data.get(k) or "").strip() for k in ("phone", "email", "description"))
        contact_errors, _ = _check_contact(phone, email, description, str(data.get("region") or "CN"),
                                           data.get("channel") or Channel.PHONE)
        raise InvalidInput("invalid_input", errors=contact_errors | errors)


def _check_contact(
    phone: str, email: str, description: str, region: str, channel: object = Channel.PHONE
) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    # A walk-in (at the counter, at the table, or met some other way) may leave no contact.
    if not phone and not email and channel not in WALK_IN_CHANNELS:
        errors["phone"] = "contact_missing"
    if phone:
        try:
            phone = normalise_phone(phone, region)
        except ValueError:
            errors["phone"] = "bad_phone"
    if email and not _looks_like_email(email):
        errors["email"] = "bad_email"
    if not description:
        errors["description"] = "description_missing"
    return errors, phone


def normalise_email(value: str) -> str:
    """How an e-mail address is stored and looked up: one customer whatever letter case it
    was typed in."""
    return value.strip().lower()


def _looks_like_email(value: str) -> bool:
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and " " not in value and not domain.startswith(".")


def _field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        ctx_error = err.get("ctx", {}).get("error")
        if isinstance(ctx_error, ValueError) and isinstance(ctx_error.args[0], dict):
            errors.update(ctx_error.args[0])
            continue
        field = ".".join(str(p) for p in err["loc"]) or "input"
        errors[field] = err["type"]
    return errors
