"""Configuration from the environment (prefix ``FAMPLAN_``) or a ``.env`` file."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAMPLAN_", env_file=".env", extra="ignore")

    #: SQLAlchemy URL. ``DATABASE_URL`` (no prefix) is honoured as well, as most
    #: platforms set it; the embedded default is a SQLite file in the working directory.
    database_url: str = Field(
        default="sqlite:///famplan.db",
        validation_alias=AliasChoices("FAMPLAN_DATABASE_URL", "DATABASE_URL"),
    )
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    log_level: str = "INFO"
    demo_seed: int = 42
    report_dir: Path = Path("reports")
    #: The planning date ("as of", ``FAMPLAN_AS_OF=2024-01-08``) of every route, command,
    #: figure and report that is not given one. Unset, it is the date the book of business
    #: records (the demo book records its own day), else today in Danish time; see
    #: `api.services.planning_date`.
    as_of: dt.date | None = None
    #: A TOML file of follow-up cadences and course aims in the shape of the shipped
    #: ``data/reference/follow_up_cadences.toml`` (unset: that file).
    follow_up_cadences: Path | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
