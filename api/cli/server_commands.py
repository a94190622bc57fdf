"""`famplan serve`, `famplan keys …` and `famplan retention`."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.cli.app import app

console = Console()
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default: settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: settings).")] = None,
    worker: Annotated[bool, typer.Option(help="Run the job worker in this process.")] = True,
) -> None:
    """Start the API; prints the docs URL and an admin key valid for this session.

    The key is revoked when the server stops (Ctrl-C or SIGTERM). It carries a short
    expiry (`session_key_ttl_seconds`), renewed while the server runs, so a key left
    behind by a killed server stops working by itself soon after.
    """
    import signal

    import uvicorn

    from api.config import get_api_settings
    from api.logging_setup import configure_logging
    from api.main import create_app, make_api_engine

    settings = get_api_settings().model_copy(update={"run_worker": worker})
    host = host or settings.api_host
    port = port or settings.api_port
    configure_logging(settings.log_level)
    engine = make_api_engine(settings)
    # Uvicorn stops gracefully on SIGTERM and then raises the signal again; with the
    # default handler that kills the process before the `finally` below revokes the key.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    session_key = SessionKey(engine, settings.session_key_ttl_seconds)
    web_login: tuple[str, str] | None = None
    try:
        key = session_key.create()
        console.print(f"famplan API on [bold]http://{host}:{port}[/bold]")
        console.print(f"interactive docs: [bold]http://{host}:{port}/docs[/bold]")
        # soft_wrap: a key broken over two lines could not be copied
        console.print(
            f"admin key for this session (revoked on exit): [bold]{key}[/bold]", soft_wrap=True
        )
        console.print("  click 'Authorize' in the docs and paste it as APIKeyHeader or HTTPBearer")
        del key  # printed once; only its hash is kept
        web_login = _session_web_admin(engine)
        console.print(f"web pages: [bold]http://{host}:{port}/login[/bold]")
        console.print(
            f"  admin log-in for this session (disabled on exit): [bold]{web_login[0]}[/bold]"
            f" / [bold]{web_login[1]}[/bold]",
            soft_wrap=True,
        )
        console.print(
            "  people log in as themselves: famplan users create --email E --name N --role R"
        )
        # Uvicorn's access log prints query strings (which may carry filters such as a
        # language): famplan's own request log replaces it.
        uvicorn.run(
            create_app(settings, engine),
            host=host,
            port=port,
            access_log=False,
            log_level=settings.log_level.lower(),
        )
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM: finish revoking
        session_key.revoke()
        if web_login is not None:
            from api.services.users import disable_user

            with Session(engine) as session:
                disable_user(session, web_login[0])


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)  # a normal stop: `finally` blocks run


class SessionKey:
    """The admin key of one `famplan serve` session: created with an expiry `ttl_seconds`
    ahead, renewed every fifth of it by a daemon thread, revoked at the end."""

    def __init__(self, engine: Engine, ttl_seconds: float) -> None:
        self.engine = engine
        self.ttl_seconds = ttl_seconds
        self.key_id: int | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _expiry(self) -> dt.datetime:
        from data.ops_models import utcnow

        return utcnow() + dt.timedelta(seconds=self.ttl_seconds)

    def create(self) -> str:
        from api.auth import create_key
        from data.ops_models import Role

        with Session(self.engine) as session:
            row, key = create_key(
                session, Role.ADMIN, label="famplan serve session", expires_at=self._expiry()
            )
            session.commit()
            self.key_id = row.id
        self._renewer = threading.Thread(
            target=self._renew_until_stopped, name="famplan-session-key", daemon=True
        )
        self._renewer.start()
        return key

    def _renew_until_stopped(self) -> None:
        from api.auth import renew_key

        log = logging.getLogger("famplan.api")
        while not self._stop.wait(self.ttl_seconds / 5):
            assert self.key_id is not None
            try:
                with Session(self.engine) as session:
                    renewed = renew_key(session, self.key_id, self._expiry())
                    session.commit()
            except Exception as error:  # the database may be back at the next renewal
                log.warning("session key %s not renewed: %s", self.key_id, type(error).__name__)
                continue
            if not renewed:  # revoked meanwhile (`famplan keys revoke`): leave it so
                return

    def revoke(self) -> None:
        from api.auth import revoke_key

        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        if self.key_id is not None:
            with Session(self.engine) as session:
                revoke_key(session, self.key_id)
                session.commit()


def _session_web_admin(engine: Engine) -> tuple[str, str]:
    """A web admin for this `serve` session, as its API key: (e-mail, password)."""
    import secrets

    from api.services.users import create_user
    from data.ops_models import Role

    email = f"admin-{secrets.token_hex(4)}@famplan.local"
    password = secrets.token_urlsafe(12)
    with Session(engine) as session:
        create_user(
            session, email=email, name="Admin (session)", role=Role.ADMIN, password=password
        )
    return email, password


@app.command()
def worker() -> None:
    """Run the job worker alone (start the API with `serve --no-worker` to split them)."""
    import signal
    import threading

    from api.config import get_api_settings
    from api.jobs.worker import Worker
    from api.logging_setup import configure_logging
    from data.db import make_engine

    settings = get_api_settings()
    configure_logging(settings.log_level)
    job_worker = Worker(make_engine(settings.database_url), settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    job_worker.start()
    console.print(f"job worker {job_worker.worker_id} running; Ctrl-C stops it")
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        job_worker.stop()


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="reception, team_leader or admin.")],
    office: Annotated[
        list[int] | None, typer.Option(help="Office id a team leader plans for (repeatable).")
    ] = None,
    label: Annotated[str, typer.Option(help="What the key is for (no personal names).")] = "",
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    from api.auth import create_key
    from data.db import get_engine
    from data.models import Office
    from data.ops_models import Role

    try:
        parsed_role = Role(role)
    except ValueError:
        raise typer.BadParameter(f"unknown role {role!r}", param_hint="--role") from None
    offices = sorted(set(office or []))
    if parsed_role is Role.TEAM_LEADER and not offices:
        raise typer.BadParameter(
            "a team leader key needs at least one --office", param_hint="--office"
        )
    if parsed_role is not Role.TEAM_LEADER and offices:
        raise typer.BadParameter(
            "only team leader keys are scoped to offices", param_hint="--office"
        )
    with Session(get_engine()) as session:
        known = set(session.exec(select(Office.id).where(col(Office.id).in_(offices))).all())
        missing = [o for o in offices if o not in known]
        if missing:
            raise typer.BadParameter(f"unknown office id(s) {missing}", param_hint="--office")
        row, key = create_key(session, parsed_role, offices, label)
        session.commit()
        console.print(
            f"key id {row.id} ({parsed_role.value}); store it now, it is not shown again:"
        )
        typer.echo(key)


@keys_app.command("list")
def keys_list() -> None:
    """List keys (prefix, role, offices, state) — never the secrets."""
    from data.db import get_engine
    from data.ops_models import ApiKey

    table = Table("id", "prefix", "role", "offices", "label", "created", "revoked")
    with Session(get_engine()) as session:
        for row in session.exec(select(ApiKey).order_by(col(ApiKey.id))).all():
            table.add_row(
                str(row.id),
                row.prefix,
                row.role,
                ",".join(map(str, row.office_ids)),
                row.label,
                f"{row.created_at:%Y-%m-%d %H:%M}",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (see `keys list`).")],
) -> None:
    """Revoke a key; requests with it are refused from now on."""
    from api.auth import revoke_key
    from data.db import get_engine

    with Session(get_engine()) as session:
        row = revoke_key(session, key_id)
        if row is None:
            raise typer.BadParameter(f"no key with id {key_id}", param_hint="KEY_ID")
        session.commit()
    console.print(f"key {key_id} revoked")


@app.command()
def retention(
    older_than: Annotated[
        int, typer.Option("--older-than", min=0, help="Anonymise cases ended more than DAYS ago.")
    ],
) -> None:
    """Anonymise ended cases: keep statistics, drop location detail and preferences."""
    from api.services.retention import anonymise_ended_cases
    from data.db import get_engine

    with Session(get_engine()) as session:
        report = anonymise_ended_cases(session, older_than)
        session.commit()
    console.print(
        f"anonymised {len(report.anonymised_case_ids)} case(s) that ended before {report.cutoff}"
    )
