"""Settings: defaults < TOML config file < KESU_DESK_* environment < command-line flags."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_data_path
from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "kesu-desk"
LANGUAGES = ("zh", "en", "es")


def config_path() -> Path:
    """Where the optional TOML config file lives (``KESU_DESK_CONFIG`` overrides)."""
    override = os.environ.get("KESU_DESK_CONFIG")
    if override:
        return Path(override)
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    return user_data_path(APP_NAME)


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'kesu-desk.db'}"


class Deadlines(BaseModel):
    """DOMAIN.md's deadlines; working days exclude weekends, holidays and closed days."""

    acknowledge_hours: int = 24
    answer_working_days: int = 5
    department_working_days: int = 3
    follow_up_working_days: int = 5
    critical_answer_working_days: int = 2
    critical_department_working_days: int = 1


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KESU_DESK_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    db: str = Field(default_factory=default_db_url, description="SQLAlchemy database URL")
    user: str | None = Field(default=None, description="who is working (login name if unset)")
    lang: str | None = Field(default=None, description="interface language: zh, en or es")
    timezone: str = "Asia/Shanghai"
    country: str = "CN"
    closed_days: list[date] = Field(default_factory=list)
    approval_threshold: Decimal = Decimal("1000")
    follow_up_attempts: int = 3
    # The effectiveness check of a corrective action falls due this many calendar days after its
    # owner records it done (services/corrective.py).
    corrective_check_days: int = Field(default=60, ge=1)
    rules: Path | None = None
    deadlines: Deadlines = Field(default_factory=Deadlines)
    keymap: dict[str, str] = Field(default_factory=dict)
    queue_filters: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_path()),
        )

    def language(self) -> str:
        """The interface language: flag/config/env first, then ``LANG``, then English."""
        for candidate in (self.lang, os.environ.get("LC_ALL"), os.environ.get("LANG")):
            if candidate:
                code = candidate.lower()[:2]
                if code in LANGUAGES:
                    return code
        return "en"

    def login(self) -> str:
        if self.user:
            return self.user
        import getpass

        return getpass.getuser()


def load_settings(**overrides: Any) -> Settings:
    """Build Settings; ``None`` overrides (flags not given) leave lower layers in charge."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)


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
