"""Which executor runs many solves (`solving.executor`), from the environment.

``FAMPLAN_EXECUTOR`` = ``local`` (default: a process pool on this machine), ``ray`` or
``inline``; ``FAMPLAN_RAY_ADDRESS`` = ``auto`` (the cluster this machine belongs to),
``ray://host:10001`` (the Ray client) or unset (a local Ray instance);
``FAMPLAN_EXECUTOR_CPUS`` caps the CPUs of the local pool.
"""

from __future__ import annotations

import importlib.util

from pydantic_settings import BaseSettings, SettingsConfigDict

from api.services.errors import Invalid
from solving.executor import (
    EXECUTOR_NAMES,
    Executor,
    ExecutorName,
    ExecutorUnavailable,
    InlineExecutor,
    LocalExecutor,
    RayExecutor,
    available_cpus,
)


class ExecutorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAMPLAN_", env_file=".env", extra="ignore")

    executor: ExecutorName = "local"
    ray_address: str | None = None
    executor_cpus: int | None = None


def make_executor(name: str | None = None, settings: ExecutorSettings | None = None) -> Executor:
    """The executor called `name` (default: ``FAMPLAN_EXECUTOR``)."""
    settings = settings or ExecutorSettings()
    chosen = name or settings.executor
    if chosen == "inline":
        return InlineExecutor()
    if chosen == "local":
        return LocalExecutor(cpus=settings.executor_cpus or available_cpus())
    if chosen == "ray":
        if importlib.util.find_spec("ray") is None:
            raise ExecutorUnavailable(
                "the Ray executor needs Ray: pip install 'famplan[ray]' (or choose local)"
            )
        return RayExecutor(address=settings.ray_address or None)
    raise Invalid.field(
        "executor", f"unknown executor {chosen!r}; one of {', '.join(EXECUTOR_NAMES)}"
    )
