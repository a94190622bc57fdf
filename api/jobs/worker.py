"""Placeholder; the worker lands with the job routes."""

from __future__ import annotations

from typing import Any


class Worker:
    def __init__(self, engine: Any, settings: Any) -> None:
        self.engine = engine
        self.settings = settings

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
