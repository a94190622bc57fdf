"""`famplan roster` (plan a døgnindsats) and `famplan repair` (after an absence).

Both go through the API's roster services (`api.services.roster_problem`, `rosters`,
`roster_publishing`, `roster_repair`): the same pool, the same stored rows, the same
publish/repair rules as `POST /v1/rosters`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from api.cli.app import app, reproducible_option
from api.cli.report_commands import parse_date

console = Console()


def _refs(session: Session, ids: set[int]) -> dict[str, str]:
    from data.models import Consultant

    return {
        str(c.id): c.employee_ref
        for c in session.exec(select(Consultant))
        if c.id is not None and c.id in ids
    }


def roster_json(
    roster_id: int, problem: Any, result: Any, refs: dict[str, str], violations: list[Any]
) -> dict[str, Any]:
    """Ids, staff numbers, shifts and KPIs; no family data."""
    kpis = result.kpis
    per_employee = (
        {}
        if kpis is None
        else {
            refs.get(e, e): {
                "shifts": k.shifts,
                "hours": round(k.minutes / 60, 1),
                "contract_hours": round(k.contract_minutes / 60, 1),
                "nights": k.nights,
                "weekend_days": k.weekend_days,
                "blocks": k.blocks,
            }
            for e, k in kpis.per_employee.items()
        }
    )
    return {
        "roster_id": roster_id,
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(result.seconds, 3),
        "team": sorted(refs.get(e, e) for team in result.teams.values() for e in team),
        "team_size": None if kpis is None else kpis.total_team_size,
        "handovers_per_day": None
        if kpis is None
        else {case: round(v, 3) for case, v in kpis.handovers_per_day.items()},
        "per_consultant": per_employee,
        "shifts": [
            {
                "date": problem.date(a.day).isoformat(),
                "shift": a.shift,
                "consultant": refs.get(a.employee, a.employee),
            }
            for a in result.roster
        ],
        "uncovered": [
            {"date": problem.date(u.day).isoformat(), "shift": u.shift, "reason": u.reason}
            for u in result.uncovered
        ],
        "violations": [str(v) for v in violations],
    }


def print_roster(
    roster_id: int, problem: Any, result: Any, refs: dict[str, str], violations: list[Any]
) -> None:
    kpis = result.kpis
    team = kpis.total_team_size if kpis else 0
    console.print(
        f"[bold]roster {roster_id}[/bold]: {result.status}, objective "
        f"{result.objective}, bound {result.bound}, {result.seconds:.1f} s, "
        f"{team} consultants in the home"
    )
    codes = [s.id for s in problem.shift_types]
    grid = Table(title="Roster (staff numbers per shift)")
    grid.add_column("date")
    for code in codes:
        grid.add_column(code)
    on: dict[tuple[int, str], list[str]] = defaultdict(list)
    for a in result.roster:
        on[(a.day, a.shift)].append(refs.get(a.employee, a.employee))
    for day in range(problem.days):
        date = problem.date(day)
        mark = " *" if day in problem.holidays else ""
        grid.add_row(
            f"{date:%a %d %b}{mark}",
            *[", ".join(on.get((day, code), [])) or "[red]—[/red]" for code in codes],
        )
    console.print(grid)
    if kpis is not None:
        people = Table(title="Per consultant")
        for column in (
            "consultant",
            "shifts",
            "hours",
            "contract h",
            "nights",
            "weekend days",
            "blocks",
        ):
            people.add_column(column, justify="left" if column == "consultant" else "right")
        for employee, k in sorted(kpis.per_employee.items()):
            people.add_row(
                refs.get(employee, employee),
                str(k.shifts),
                f"{k.minutes / 60:.0f}",
                f"{k.contract_minutes / 60:.0f}",
                str(k.nights),
                str(k.weekend_days),
                str(k.blocks),
            )
        console.print(people)
        handovers = ", ".join(f"{v:.2f}" for v in kpis.handovers_per_day.values())
        console.print(f"handovers per day: {handovers}")
    for shift in result.uncovered[:10]:
        console.print(
            f"[red]uncovered[/red] {problem.date(shift.day)} {shift.shift}: {shift.reason}"
        )
    if len(result.uncovered) > 10:
        console.print(f"… and {len(result.uncovered) - 10} more uncovered shifts")
    for violation in violations:
        console.print(f"[red]validator:[/red] {violation}")


@app.command("roster")
def roster_command(
    case_ref: str = typer.Argument(..., help="Reference of the døgnindsats case."),
    start: str = typer.Option(..., "--start", help="First day, YYYY-MM-DD."),
    days: int = typer.Option(28, "--days", min=1, max=84, help="Horizon in days."),
    template_name: str = typer.Option("3x8", "--template", help="3x8, 2x12 or sleep-in."),
    per_shift: int = typer.Option(1, "--per-shift", min=1, max=2, help="Consultants/shift."),
    time_limit: float = typer.Option(20.0, "--time-limit", min=0.1, help="Solver seconds."),
    seed: int = typer.Option(0, "--seed"),
    reproducible: bool = reproducible_option("roster"),
    publish: bool = typer.Option(False, "--publish", help="Publish it (if the validator agrees)."),
    whole_pool: bool = typer.Option(
        False,
        "--whole-pool",
        help="Plan from every consultant of the offices serving the region, not the team "
        "the match proposes.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Plan a legal 24/7 roster for a døgnindsats with as few faces as possible, from the
    team its match proposes on the first day (`famplan match`, the API's
    `team.roster_request`); it is stored as a draft (or published) like the API's
    rosters."""
    from zoneinfo import ZoneInfo

    from api.cli.match_commands import case_id_for
    from api.config import get_api_settings
    from api.services.errors import DomainError
    from api.services.matching import SnapshotCache, proposed_team
    from api.services.roster_params import case_roster_params, offices_serving
    from api.services.roster_problem import build_problem
    from api.services.roster_publishing import publish_roster
    from api.services.rosters import store_result
    from data.db import get_engine
    from data.ops_models import Roster
    from roster.parameters import SearchParameters
    from roster.solve import solve
    from roster.templates import template
    from roster.validate import validate

    first_day = parse_date(start, "--start")
    assert first_day is not None
    try:
        template(template_name)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--template") from None
    with Session(get_engine()) as session:
        case_id = case_id_for(session, case_ref)
        work_per_second = get_api_settings().roster_work_per_second
        pool_offices: list[int] | None = None
        members: list[int] = []
        try:
            if not whole_pool:
                # the team the match proposes, as the API's match hands it to planning
                team = proposed_team(
                    session, SnapshotCache(), case_id, first_day, (template_name, per_shift)
                )
                if not team.members:
                    console.print(
                        f"[red]{case_ref}: nobody qualifies for its team on {first_day} "
                        f"({'; '.join(team.why)}); --whole-pool plans from every office "
                        "serving the region[/red]"
                    )
                    raise typer.Exit(code=1)
                if not team.feasible and not as_json:
                    console.print(
                        f"[yellow]{len(team.members)} of {team.team_size} people qualify for "
                        f"the team; planning with them[/yellow]"
                    )
                pool_offices = team.roster_request.office_ids
                members = team.roster_request.consultant_ids
            # the same parameters as POST /v1/rosters; repairs of this roster follow them
            params = case_roster_params(
                session,
                case_id,
                first_day,
                days,
                template_name,
                per_shift,
                time_limit,
                seed,
                reproducible=reproducible,
                work_per_second=work_per_second,
                office_ids=pool_offices,
                consultant_ids=members,
            )
        except DomainError as error:
            console.print(f"[red]{case_ref}: {error.detail}[/red]")
            raise typer.Exit(code=2) from None
        row = Roster(
            case_ids=[case_id],
            office_ids=offices_serving(session, case_id) if pool_offices is None else pool_offices,
            horizon_start=dt.datetime.combine(
                first_day, dt.time(0), tzinfo=ZoneInfo("Europe/Copenhagen")
            ),
            days=days,
            template=template_name,
            params=params,
        )
        session.add(row)
        session.flush()
        problem = build_problem(session, params, {row.id or 0})
        if not problem.employees:
            console.print("[red]no consultant of the serving offices takes døgnindsats[/red]")
            raise typer.Exit(code=1)
        search = SearchParameters(
            num_workers=2,
            deterministic=reproducible,
            work_per_second=work_per_second,
        )
        if as_json:
            result = solve(problem, time_limit=time_limit, seed=seed, parameters=search)
        else:
            with console.status(
                f"rostering {days} days from a pool of "
                f"{len(problem.employees)} (≈ {time_limit:g} s) …"
            ):
                result = solve(problem, time_limit=time_limit, seed=seed, parameters=search)
        store_result(session, row, problem, result)
        session.commit()
        violations = validate(problem, result.roster) if result.found else []
        if publish and result.found and not violations:
            publish_roster(session, row, None)
        refs = _refs(session, {int(a.employee) for a in result.roster})
        roster_id, status = row.id or 0, str(row.status.value)
    if as_json:
        payload = roster_json(roster_id, problem, result, refs, violations)
        typer.echo(json.dumps(payload | {"roster_status": status}, ensure_ascii=False, indent=2))
    else:
        print_roster(roster_id, problem, result, refs, violations)
        console.print(f"saved as {status} roster [bold]{roster_id}[/bold]")


def consultant_id_for(session: Session, value: str) -> int:
    """A consultant by staff number, or by id."""
    from data.models import Consultant

    found = session.exec(select(Consultant).where(Consultant.employee_ref == value)).first()
    if found is None and value.isdigit():
        found = session.get(Consultant, int(value))
    if found is None or found.id is None:
        console.print(f"[red]consultant {value!r}: no such staff number or id[/red]")
        raise typer.Exit(code=2)
    return found.id


@app.command("repair")
def repair_command(
    roster_id: int = typer.Argument(..., help="The published roster to repair."),
    absent: str = typer.Option(..., "--absent", help="Staff number (or id) of who is away."),
    date_from: str = typer.Option(..., "--from", help="First absent day, YYYY-MM-DD."),
    date_to: str = typer.Option(..., "--to", help="Last absent day, YYYY-MM-DD."),
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="Solver seconds."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Today (shifts before it are kept as worked); default: the planning date.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Re-plan after an absence, changing as few shifts as possible; saves a new draft."""
    from api.jobs.context import JobContext, JobFailed
    from api.jobs.params import RepairParams, read_params
    from api.jobs.worker import new_worker_id, run_here
    from api.schemas.rosters import SickRepair
    from api.services.errors import DomainError
    from api.services.planning_date import planning_date
    from api.services.roster_repair import repair_job_result, run_repair_job, submit_repair
    from data.db import get_engine
    from data.ops_models import JobStatus, Roster
    from roster.repair import RepairResult
    from roster.validate import validate

    first, last = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    today = parse_date(as_of, "--as-of")
    assert first is not None and last is not None
    if last < first:
        raise typer.BadParameter("ends before --from", param_hint="--to")
    engine = get_engine()
    worker_id = f"cli-{new_worker_id()}"
    outcomes: list[RepairResult] = []

    def run(context: JobContext) -> dict[str, Any]:
        # the worker's repair runner, keeping the solver's outcome for the printout
        params = read_params(RepairParams, context.params)
        with Session(engine) as job_session:
            try:
                child, outcome = run_repair_job(
                    job_session, context.job_id, params, context.report, context.should_stop
                )
            except DomainError as error:
                raise JobFailed(error.detail) from None
            outcomes.append(outcome)
            return repair_job_result(child, outcome, params)

    with Session(engine) as session:
        consultant_id = consultant_id_for(session, absent)
        roster = session.get(Roster, roster_id)
        if roster is None:
            console.print(f"[red]roster {roster_id}: not found[/red]")
            raise typer.Exit(code=2)
        change = SickRepair(kind="sick", consultant_id=consultant_id, start=first, end=last)
        try:
            # the same repair job as POST /v1/rosters/{id}/repair, run here and now
            child = submit_repair(
                session,
                roster,
                change,
                None,
                today or planning_date(session),
                time_limit,
                claimed_by=worker_id,
            )
        except DomainError as problem:
            console.print(f"[red]{problem.detail}[/red]")
            raise typer.Exit(code=2) from None
        assert child.job_id is not None
        job = run_here(engine, child.job_id, run, worker_id)
        if job.status is not JobStatus.SUCCEEDED or not outcomes:
            console.print(f"[red]repair job {job.id} {job.status.value}: {job.error}[/red]")
            raise typer.Exit(code=1)
        outcome = outcomes[0]
        session.refresh(child)
        violations = validate(outcome.problem, outcome.result.roster)
        ids = {int(e) for d in outcome.diff for e in (*d.removed, *d.added)}
        ids |= {int(a.employee) for a in outcome.result.roster}
        refs = _refs(session, ids)
        new_id = child.id or 0
    diff: list[dict[str, Any]] = [
        {
            "date": outcome.problem.date(d.day).isoformat(),
            "shift": d.shift,
            "removed": [refs.get(e, e) for e in d.removed],
            "added": [refs.get(e, e) for e in d.added],
        }
        for d in outcome.diff
    ]
    if as_json:
        payload = roster_json(new_id, outcome.problem, outcome.result, refs, violations)
        payload |= {
            "parent_id": roster_id,
            "changed_assignments": outcome.changed_assignments,
            "diff": diff,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"Changes against roster {roster_id} ({outcome.changed_assignments} assignments)"
    )
    for column in ("date", "shift", "out", "in"):
        table.add_column(column)
    for entry in diff:
        table.add_row(
            entry["date"],
            entry["shift"],
            ", ".join(entry["removed"]) or "—",
            ", ".join(entry["added"]) or "[red]nobody[/red]",
        )
    console.print(table)
    console.print(
        f"{outcome.result.status}, {outcome.result.seconds:.1f} s; saved as draft "
        f"roster [bold]{new_id}[/bold] (parent {roster_id}); publishing it "
        f"(POST /v1/rosters/{new_id}/publish) supersedes roster {roster_id}"
    )
    for violation in violations:
        console.print(f"[red]validator:[/red] {violation}")
