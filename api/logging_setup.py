"""Application logging: ids, route templates and numbers only — no personal fields."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


#: Loggers that would print personal data at INFO: SQLAlchemy logs SQL *with parameters*
#: (names, languages, locations) whenever its logger is enabled for INFO, `echo` or not.
NOISY_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm")


def silence_data_loggers() -> None:
    """Keep libraries that log row values at WARNING or above, whatever the root level."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: str = "INFO") -> None:
    """Send famplan's loggers to stderr at `level` (idempotent)."""
    silence_data_loggers()
    logger = logging.getLogger("famplan")
    logger.setLevel(level.upper())
    if not any(getattr(h, "_famplan", False) for h in logger.handlers):
        from api.auth import KeyRedactingFilter

        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(KeyRedactingFilter())  # no API key in a log line
        handler._famplan = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
