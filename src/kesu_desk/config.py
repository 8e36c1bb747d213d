"""Settings: defaults < TOML config file < KESU_DESK_* environment < command-line flags."""

from __future__ import annotations

import os
import re
import reprlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from platformdirs import user_config_path, user_data_path, user_log_path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from kesu_desk.domain.amounts import MAX_AMOUNT
from kesu_desk.domain.vocabulary import Kind, Severity, Status

APP_NAME = "kesu-desk"
ENV_PREFIX = "KESU_DESK_"
LANGUAGES = ("zh", "en", "es")
# The queue's sort orders: store.queries.Sort, which the config (a lower layer) does not import
# (tests/unit/test_config.py keeps the two equal).
QueueSort = Literal["newest", "oldest", "due", "severity"]


def config_path() -> Path:
    """Where the optional TOML config file lives (``KESU_DESK_CONFIG`` overrides)."""
    override = os.environ.get("KESU_DESK_CONFIG")
    if override:
        return Path(override)
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    return user_data_path(APP_NAME)


def log_dir() -> Path:
    """Where the desk's log file goes: platformdirs' user log folder (XDG_STATE_HOME on Linux)."""
    return user_log_path(APP_NAME)


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'kesu-desk.db'}"


def language_of(*candidates: str | None) -> str | None:
    """The interface language a setting or locale names ("zh", "zh_CN.UTF-8", "ES"), if any."""
    for candidate in candidates:
        if candidate:
            code = re.split(r"[-_.@]", candidate.strip().lower(), maxsplit=1)[0]
            if code in LANGUAGES:
                return code
    return None


def interface_language(named: str | None) -> str:
    """The language the settings name, else the locale's (LC_ALL, LANG), else English."""
    return language_of(named, os.environ.get("LC_ALL"), os.environ.get("LANG")) or "en"


# A deadline lies ahead of its start: one working day at least, a quarter (about 60 working days)
# at most; a case is acknowledged within the hour at the soonest, within the week at the latest.
# Beyond these a deadline promises nothing, and working days are counted one by one over the
# calendar: 100,000,000 of them ran for hours, -3 gave deadlines in the past.
MAX_WORKING_DAYS = 60


class KindDeadlines(BaseModel):
    """What differs for one kind of contact (an inquiry answered sooner, a suggestion later):
    unset, the general deadline holds."""

    model_config = ConfigDict(extra="forbid")

    answer_working_days: int | None = Field(default=None, ge=1, le=MAX_WORKING_DAYS)
    department_working_days: int | None = Field(default=None, ge=1, le=MAX_WORKING_DAYS)


class Mail(BaseModel):
    """Issue 17: e-mail to customers through an SMTP server ([mail]); without ``smtp_host`` the
    desk sends (and queues) nothing."""

    model_config = ConfigDict(extra="forbid")

    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    sender: str = "kesu-desk@localhost"  # the From address
    max_attempts: int = Field(default=8, ge=1, le=50)  # then the message is failed
    timeout_seconds: int = Field(default=30, ge=1, le=300)

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)


class Deadlines(BaseModel):
    """DOMAIN.md's deadlines; working days exclude weekends, holidays and closed days."""

    model_config = ConfigDict(extra="forbid")

    acknowledge_hours: int = Field(default=24, ge=1, le=7 * 24)
    answer_working_days: int = Field(default=5, ge=1, le=MAX_WORKING_DAYS)
    department_working_days: int = Field(default=3, ge=1, le=MAX_WORKING_DAYS)
    follow_up_working_days: int = Field(default=5, ge=1, le=MAX_WORKING_DAYS)
    critical_answer_working_days: int = Field(default=2, ge=1, le=MAX_WORKING_DAYS)
    critical_department_working_days: int = Field(default=1, ge=1, le=MAX_WORKING_DAYS)
    # Per kind of contact ([deadlines.kinds.inquiry] …); a critical case keeps the shorter one.
    kinds: dict[Kind, KindDeadlines] = Field(default_factory=dict)


class QueueFilters(BaseModel):
    """The queue's filters and sort as the queue saves them (screens/queue.QueueView)."""

    model_config = ConfigDict(extra="forbid")

    mine: bool = False
    my_department: bool = False
    overdue: bool = False
    at_risk: bool = False
    statuses: list[Status] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)
    sort: QueueSort = "newest"


def _binding_id(value: str) -> str:
    from kesu_desk.i18n import catalogue  # the ids are named under [keys] in the catalogues

    if f"keys.{value}" not in catalogue("en"):
        raise ValueError("unknown binding id")
    return value


_KEY = re.compile(r"((ctrl|shift|alt|meta|super|hyper)\+)*([a-z0-9_]+|[A-Z])")


def _keys(value: str) -> str:
    # Textual splits a keymap's value on commas and takes each part as it is: "f5, ctrl+r" would
    # bind " ctrl+r", which no key press matches. Key names are lower case ("f5", "question_mark"),
    # or one upper-case letter.
    keys = [key.strip() for key in value.split(",")]
    if not all(_KEY.fullmatch(key) for key in keys):
        raise ValueError("not a list of keys")
    return ",".join(keys)


BindingId = Annotated[str, AfterValidator(_binding_id)]
Keys = Annotated[str, AfterValidator(_keys)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",  # a misspelt setting is an error, not silently a default
    )

    db: str = Field(default_factory=default_db_url, description="SQLAlchemy database URL")
    # Act as this desk user: honoured for a desk admin only (services/identity.py).
    user: str | None = Field(default=None, description="act as this desk user (admins only)")
    # Who is acting: the login name of the process, or the PostgreSQL role the connection signed
    # in with ("database": for a site that gives each person a database role of their own).
    identity: Literal["login", "database"] = "login"
    lang: str | None = Field(default=None, description="interface language: zh, en or es")
    timezone: str = "Asia/Shanghai"
    country: str = "CN"
    closed_days: list[date] = Field(default_factory=list)
    # Above it a proposal needs a second approval, by a manager; 0 means every amount does.
    approval_threshold: Decimal = Field(
        default=Decimal("1000"), ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False
    )
    # Issue 13, remedies: the compensation the business expects, in times the price (the
    # restaurant's 2–5×); one outside it needs the proposer's reason and a manager's approval.
    compensation_min_times: int = Field(default=2, ge=1, le=100)
    compensation_max_times: int = Field(default=5, ge=1, le=100)
    # The sign of the money amounts are in (issue 15 item 10): shown with every amount on the
    # screens, in letters and in what agents read out ("¥300.00", "300,00 €"). One currency per desk.
    currency: str = Field(default="¥", min_length=1, max_length=8)
    # No-answer follow-up calls before the case closes as "no answer".
    follow_up_attempts: int = Field(default=3, ge=1, le=10)
    # The effectiveness check of a corrective action falls due this many calendar days after its
    # owner records it done (services/corrective.py): a seasonal problem shows again within a
    # year; two years is the longest wait that is still a check.
    corrective_check_days: int = Field(default=60, ge=1, le=730)
    # A case resolved at the first contact is closed at once; true: it waits for the follow-up
    # call (survey) like any other.
    first_contact_follow_up: bool = False
    # Issue 13: the largest photo, receipt or invoice a case takes, in megabytes.
    evidence_max_mb: int = Field(default=20, ge=1, le=200)
    # Issue 13, batch part: the departments told of a batch problem, and the general manager
    # (a user name; unset: every active user with role manager).
    batch_inform: list[str] = Field(default_factory=lambda: ["QA", "RND", "PROD"])
    general_manager: str | None = None
    rules: Path | None = None  # a missing or broken file: the default rules, and a message
    deadlines: Deadlines = Field(default_factory=Deadlines)
    mail: Mail = Field(default_factory=Mail)
    keymap: dict[BindingId, Keys] = Field(default_factory=dict)
    queue_filters: QueueFilters = Field(default_factory=QueueFilters)

    @field_validator("db")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            url = make_url(value)
            url.get_dialect()  # an unknown driver ("postgresql+nope://") fails here, not later
        except (ArgumentError, NoSuchModuleError, ValueError):
            raise ValueError("not a database URL") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("neither SQLite nor PostgreSQL")
        return value

    @field_validator("lang")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = language_of(value)
        if code is None:
            raise ValueError("not a language of the desk")
        return code

    @field_validator("timezone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (KeyError, ValueError, OSError):  # not found; not a key ("../x"); a folder ("Asia")
            raise ValueError("unknown time zone") from None
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in country_codes():
            raise ValueError("unknown country")
        return code

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _Environment(settings_cls), _ConfigFile(settings_cls, toml_file=config_path()))

    def language(self) -> str:
        """The interface language: flag/config/env first, then the locale, then English."""
        return interface_language(self.lang)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The countries the holidays package has calendars for (ISO 3166 codes and their aliases),
    as its ``EntityLoader.get_country_codes()`` gives them.

    Read from the source of its registry rather than imported: importing any module of the
    package runs its ``__init__``, which builds every calendar (lunisolar, Islamic…: about
    40 ms before the first screen); the desk needs them only when it first counts a working
    day. An install whose registry reads otherwise (no source, another layout) asks the package."""
    try:
        return _registry_country_codes()
    except Exception:
        from holidays.registry import EntityLoader

        return frozenset(EntityLoader.get_country_codes())


def _registry_country_codes() -> frozenset[str]:
    import ast
    from importlib.util import find_spec

    spec = find_spec("holidays")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise LookupError("no holidays package")
    source = (Path(spec.origin).parent / "registry.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:  # COUNTRIES: RegistryDict = {"china": ("China", "CN", "CHN"), …}
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.target.id == "COUNTRIES" and node.value is not None):
            countries: dict[str, tuple[str, ...]] = ast.literal_eval(node.value)
            # As EntityLoader._get_entity_codes: after the class name, the codes of 2 or 3 letters.
            codes = frozenset(code for names in countries.values() for code in names[1:] if 2 <= len(code) <= 3)
            if codes:
                return codes
    raise LookupError("holidays.registry.COUNTRIES")


def load_settings(**overrides: Any) -> Settings:
    """Build Settings; ``None`` overrides (flags not given) leave lower layers in charge.
    Raises InvalidSettings with every wrong setting."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except InvalidSettings as exc:  # the config file itself cannot be read
        problems = exc.problems
    except ValidationError as exc:
        problems = [_problem(error, given) for error in exc.errors()]
    raise InvalidSettings(problems, _language_named(given, problems)) from None


def _language_named(given: dict[str, Any], problems: list[SettingProblem]) -> str | None:
    """The language the settings name (flag, environment, file), unless that setting is wrong."""
    if any(p.name == "lang" for p in problems):
        return None
    in_file = _file_value(("lang",))
    return language_of(given.get("lang"), _environment(("lang",))[1],
                       in_file if isinstance(in_file, str) else None)


# --- what is wrong with the settings, for the interface to word (cli.main) ----------------------


@dataclass(frozen=True)
class SettingProblem:
    """One wrong setting: its name as the user writes it (``deadlines.answer_working_days``,
    ``keymap."queue.nwe"``, ``closed_days[0]``), the message (a key of [settings] in the
    catalogues) with its parameters, what is allowed instead (a key of [settings.allowed] with
    its parameters) and where the value came from (the config file, a variable, a flag)."""

    name: str
    code: str  # invalid, unknown, toml_syntax, too_deep, unreadable
    source: str = ""
    value: str = ""  # the wrong value, shortened; empty when it is not shown (a database URL)
    allowed: str = ""  # timezone, whole_number, …
    params: dict[str, Any] = field(default_factory=dict)  # of the message and of what is allowed


class InvalidSettings(ValueError):
    """The settings cannot be used; ``problems`` lists every wrong one. ``lang`` is the interface
    language they name, when that one setting is right."""

    def __init__(self, problems: list[SettingProblem], lang: str | None = None) -> None:
        self.problems = problems
        self.lang = lang
        super().__init__("; ".join(f"{p.name or p.source}: {p.code}" for p in problems))


class _Environment(EnvSettingsSource):
    """The KESU_DESK_* variables. One that should hold JSON (a list, a table) and does not is
    handed on as it is, so validation names it with every other wrong setting; pydantic-settings
    would stop at it with an error naming neither the variable nor what is allowed."""

    def prepare_field_value(self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool) -> Any:
        try:
            return super().prepare_field_value(field_name, field, value, value_is_complex)
        except ValueError:
            return value


class _ConfigFile(TomlConfigSettingsSource):
    """The TOML config file; one that cannot be read is one problem naming it and the line."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        try:
            return super()._read_file(file_path)
        except tomllib.TOMLDecodeError as exc:
            reason = str(exc)
            found = re.search(r"\s*\(at line (\d+), column \d+\)$", reason)
            line = found.group(1) if found else str(len(Path(file_path).read_bytes().splitlines()))
            reason = reason[: found.start()] if found else re.sub(r"\s*\(at end of document\)$", "", reason)
            problem = SettingProblem("", "toml_syntax", str(file_path),
                                     params={"line": line, "reason": reason})
        except RecursionError:
            problem = SettingProblem("", "too_deep", str(file_path))
        except (OSError, UnicodeDecodeError) as exc:
            problem = SettingProblem("", "unreadable", str(file_path), params={"reason": str(exc)})
        raise InvalidSettings([problem])


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 40
_SHOWN.maxlevel = 2


def _problem(error: Any, given: dict[str, Any]) -> SettingProblem:
    loc = tuple(part for part in error["loc"] if part != "[key]")
    binding_id = error["loc"][-1] == "[key]"  # a keymap's key, not its value, is wrong
    code = "unknown" if error["type"] == "extra_forbidden" else "invalid"
    # A database URL may hold a password; a wrong keymap id is the name itself.
    shown = "" if loc[:1] == ("db",) or binding_id else _SHOWN.repr(error.get("input"))
    if code == "unknown":
        kind, params = "", {"known": ", ".join(_model_at(loc[:-1]).model_fields)}
    else:
        kind, params = _allowed(loc, binding_id=binding_id, value=error.get("input"))
    return SettingProblem(_name(loc), code, _source(loc, given), shown, kind, params)


def _name(loc: tuple[str | int, ...]) -> str:
    """A setting's name as a TOML file writes it: ``keymap."queue.new"``, ``closed_days[0]``."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else '"' + part.replace('"', '\\"') + '"'
            name += f".{key}" if name else key
    return name


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel]:
    tables: dict[tuple[str | int, ...], type[BaseModel]] = {
        ("deadlines",): Deadlines, ("queue_filters",): QueueFilters,
    }
    return tables.get(loc, Settings)


def _bounds(model: type[BaseModel], name: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for constraint in model.model_fields[name].metadata:
        if hasattr(constraint, "ge"):
            found["min"] = f"{constraint.ge:,}"
        if hasattr(constraint, "le"):
            found["max"] = f"{constraint.le:,}"
    return found


def _allowed(loc: tuple[str | int, ...], *, binding_id: bool = False,
             value: Any = None) -> tuple[str, dict[str, Any]]:
    """What a setting allows: a message of [settings.allowed] in the catalogues, and its
    parameters (ranges read from the fields' own constraints)."""
    head = str(loc[0]) if loc else ""
    rest = [part for part in loc[1:] if isinstance(part, str)]
    if head in ("deadlines", "queue_filters", "keymap", "mail") and not loc[1:]:
        return "table", {"name": head}
    if head == "deadlines" and rest[0] == "kinds":
        if len(rest) >= 3 and rest[2] in KindDeadlines.model_fields:
            return "whole_number", _bounds(KindDeadlines, rest[2])
        if len(rest) == 2:
            return "choice", {"choices": ", ".join(Kind)}
        return "table", {"name": "deadlines.kinds"}
    if head == "deadlines":
        return "whole_number", _bounds(Deadlines, rest[0])
    if head == "mail":
        if not rest:
            return "table", {"name": "mail"}
        if rest[0] in ("smtp_port", "max_attempts", "timeout_seconds"):
            return "whole_number", _bounds(Mail, rest[0])
        return ("bool", {}) if rest[0] == "starttls" else ("text", {})
    if head == "keymap":
        if not binding_id:
            return "keys", {}
        import difflib

        from kesu_desk.i18n import catalogue

        ids = [key.removeprefix("keys.") for key in catalogue("en") if key.startswith("keys.")]
        close = difflib.get_close_matches(str(value), ids, n=1) or ["queue.new"]
        return "binding", {"example": close[0]}
    if head == "queue_filters":
        if rest[0] == "sort":
            return "choice", {"choices": ", ".join(get_args(QueueSort))}
        if rest[0] in ("statuses", "severities"):
            kind = Status if rest[0] == "statuses" else Severity
            return "choices", {"choices": ", ".join(kind)}
        return "bool", {}
    if head in ("follow_up_attempts", "corrective_check_days", "evidence_max_mb", "compensation_min_times",
                "compensation_max_times"):
        return "whole_number", _bounds(Settings, head)
    if head == "approval_threshold":
        return "amount", _bounds(Settings, head)
    if head == "first_contact_follow_up":
        return "bool", {}
    if head == "lang":
        return "choice", {"choices": ", ".join(LANGUAGES)}
    if head == "identity":
        return "choice", {"choices": "login, database"}
    return {"db": "db", "user": "text", "timezone": "timezone", "country": "country",
            "closed_days": "dates", "rules": "path", "general_manager": "text", "currency": "text",
            "batch_inform": "codes"}.get(head, "readme"), {}


def _environment(loc: tuple[str | int, ...]) -> tuple[str, str | None]:
    """The environment variable that set this setting (or the table holding it), and its value."""
    names = {name.upper(): name for name in os.environ}
    parts = [str(part).upper() for part in loc if isinstance(part, str)]
    for end in range(len(parts), 0, -1):
        wanted = ENV_PREFIX + "__".join(parts[:end])
        if wanted in names:
            return wanted, os.environ[names[wanted]]
    return "", None


def _file_value(loc: tuple[str | int, ...]) -> Any:
    """The value the config file gives this setting, or None (read again: this is the error path,
    and the file parsed the first time)."""
    try:
        node: Any = tomllib.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _source(loc: tuple[str | int, ...], given: dict[str, Any]) -> str:
    """Where the setting came from: a flag, an environment variable or the config file."""
    if loc and loc[0] in given:
        return f"--{loc[0]}"
    variable = _environment(loc)[0]
    if variable:
        return variable
    if loc and _file_value(loc[:1]) is not None:
        return str(config_path())
    return ""


def save_config_value(key: str, value: Any) -> Path:
    """Set one top-level value in the config file, keeping the rest of it (comments included);
    the file is replaced atomically so a crash never leaves half a config."""
    import tempfile

    import tomlkit

    path = config_path()
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    document[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=".config-", suffix=".toml") as tmp:
        tmp.write(tomlkit.dumps(document))
    os.replace(tmp.name, path)
    return path
