"""`famplan users …`: the people who log in to the web pages."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from sqlmodel import Session

from api.cli.app import app
from api.cli.match_commands import fail
from api.services.errors import DomainError

console = Console(stderr=True)
users_app = typer.Typer(help="Create and disable web users.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _read_password() -> str:
    """The password from standard input: typed twice at a terminal, else its first line
    (so `echo … | famplan users create …` and scripts work)."""
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Log-in e-mail address (unique).")],
    name: Annotated[str, typer.Option(help="The person's name, shown on the pages.")],
    role: Annotated[str, typer.Option(help="reception, team_leader or admin.")],
    office: Annotated[
        list[int] | None, typer.Option(help="Office id a team leader plans for (repeatable).")
    ] = None,
) -> None:
    """Create a web user; the password is read from standard input."""
    from api.services.users import create_user
    from data.db import get_engine
    from data.ops_models import Role

    try:
        parsed_role = Role(role)
    except ValueError:
        raise typer.BadParameter(f"unknown role {role!r}", param_hint="--role") from None
    password = _read_password()
    with Session(get_engine()) as session:
        try:
            user = create_user(
                session,
                email=email,
                name=name,
                role=parsed_role,
                password=password,
                office_ids=office or [],
            )
        except DomainError as error:
            fail(error)
        console.print(f"user id {user.id} ({parsed_role.value}) created")


@users_app.command("disable")
def users_disable(
    email: Annotated[str, typer.Option(help="The user's e-mail address.")],
) -> None:
    """Disable a web user: no more log-ins, every open session ends."""
    from api.services.users import disable_user
    from data.db import get_engine

    with Session(get_engine()) as session:
        try:
            user = disable_user(session, email)
        except DomainError as error:
            fail(error)
        console.print(f"user id {user.id} disabled")
