"""Application logging: ids, route templates and numbers only — no personal fields."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """Send famplan's loggers to stderr at `level` (idempotent)."""
    logger = logging.getLogger("famplan")
    logger.setLevel(level.upper())
    if not any(getattr(h, "_famplan", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._famplan = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
