"""`famplan` CLI. Each module below adds its commands to the shared Typer `app`."""

from api.cli import (  # noqa: F401  (imported for their command registrations)
    data_commands,
    match_commands,
    report_commands,
    roster_commands,
    server_commands,
    sweep_commands,
    user_commands,
)
from api.cli.app import app

__all__ = ["app"]
