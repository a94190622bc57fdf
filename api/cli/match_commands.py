"""`famplan match` (reception) and `famplan optimize` (the batch re-optimisation).

Both run the application services the API runs (`api.services.matching`,
`api.services.optimization`) and only translate: a result into a table or JSON, a
domain error into its message and a non-zero exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

import typer
from rich.console import Console, RenderableType
from rich.table import Table
from sqlmodel import Session, select

from api.cli.app import app, reproducible_option
from api.cli.report_commands import parse_date
from api.schemas.matching import CandidateOut, MatchResult
from api.services.errors import DomainError, Invalid, NotFound
from api.services.optimization import BatchPlan, BatchRun, PlannedMove
from data.models import AssignmentRole

console = Console()

#: Exit codes of a refused command: the input names nothing (or breaks a rule) → 2,
#: the current state refuses it (a conflict, a stale plan) → 1.
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 1


def fail(error: DomainError) -> NoReturn:
    """Print a domain error's reason and leave with its exit code."""
    console.print(f"[red]{error.detail}[/red]")
    code = EXIT_BAD_INPUT if isinstance(error, (NotFound, Invalid)) else EXIT_REFUSED
    raise typer.Exit(code=code)


def case_id_for(session: Session, reference: str) -> int:
    from data.models import Case

    case = session.exec(select(Case).where(Case.reference == reference)).first()
    if case is None or case.id is None:
        console.print(f"[red]case {reference!r}: no such case reference[/red]")
        raise typer.Exit(code=2)
    return case.id


def _planning_date(session: Session, as_of: str | None) -> dt.date:
    from api.services.planning_date import planning_date

    return parse_date(as_of, "--as-of") or planning_date(session)


# ------------------------------------------------------------------ match


def _candidate_table(title: str, candidates: list[CandidateOut]) -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("#", "consultant", "score", "travel", "free h", "why"):
        table.add_column(
            column, justify="right" if column in ("#", "score", "travel", "free h") else "left"
        )
    for number, c in enumerate(candidates, start=1):
        table.add_row(
            str(number),
            c.consultant_ref or str(c.consultant_id),
            f"{c.score:.1f}",
            f"{c.travel_minutes:.0f} min",
            f"{c.free_hours:.0f}",
            "\n".join(c.reasons),
        )
    return table


def print_ranking(reference: str, result: MatchResult) -> None:
    team = result.team
    title = "Team" if team is not None else "Candidates"
    console.print(_candidate_table(f"{title} for case {reference}", result.candidates))
    if team is not None:
        state = "[green]full[/green]" if team.feasible else f"[red]{team.missing} short[/red]"
        console.print(
            f"[bold]Team of {team.team_size}, {team.share_hours:g} h each: {state}[/bold]"
        )
        for line in team.why:
            console.print(f"  • {line}")
        request = team.roster_request
        console.print(
            f"Plan it: famplan roster {reference} --start {request.start_date.isoformat()} "
            f"--template {request.template} --per-shift {request.consultants_per_shift} "
            f"(or POST /v1/rosters with the match's roster_request)"
        )
    if result.support_candidates:
        console.print(_candidate_table("Support / contact person", result.support_candidates))
    if result.pairs:
        pairs = Table(title="Best pairs (two different consultants)")
        for column in ("primary", "support", "score"):
            pairs.add_column(column)
        for pair in result.pairs:
            pairs.add_row(
                pair.primary.consultant_ref, pair.support.consultant_ref, f"{pair.score:.1f}"
            )
        console.print(pairs)
    for excluded in result.exclusions:
        if excluded.summary:
            console.print(f"[bold]Not candidates ({excluded.role.value}):[/bold]")
            for line in excluded.summary:
                console.print(f"  • {line}")
    if result.reshuffle is not None:
        console.print("[bold yellow]Nobody is free — smallest reshuffle:[/bold yellow]")
        for line in result.reshuffle.explanation:
            console.print(f"  → {line}")
    elif not result.feasible:
        console.print("[red]No candidate and no reshuffle found.[/red]")


@app.command("match")
def match(
    case_ref: str = typer.Argument(..., help="The case reference."),
    top: int = typer.Option(5, "--top", min=1, max=50, help="How many candidates."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    as_of: str | None = typer.Option(None, "--as-of", help="Planning date, YYYY-MM-DD."),
) -> None:
    """Ranked candidates for one case, with reasons; a reshuffle if nobody fits (the
    answer of `POST /v1/cases/{id}/match`)."""
    from api.services.matching import MatchQuery, SnapshotCache, find_candidates
    from data.db import get_engine

    with Session(get_engine()) as session:
        case_id = case_id_for(session, case_ref)
        query = MatchQuery(as_of=_planning_date(session, as_of), top=top)
        try:
            result = find_candidates(session, SnapshotCache(cache_rankings=False), case_id, query)
        except DomainError as error:
            fail(error)
    if as_json:
        payload = {"case": case_ref, **result.model_dump(mode="json")}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print_ranking(case_ref, result)


# ------------------------------------------------------------------ optimize


@dataclass
class Progress:
    """What the live display shows; updated from the solver thread."""

    time_limit: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    incumbent: float | None = None
    bound: float | None = None
    solutions: int = 0
    done: bool = False

    @property
    def gap(self) -> float | None:
        if self.incumbent is None or self.bound is None:
            return None
        return abs(self.bound - self.incumbent) / max(1.0, abs(self.incumbent))

    def on_solution(self, objective: float, bound: float) -> None:
        self.incumbent, self.bound = objective, bound
        self.solutions += 1


def _progress_panel(progress: Progress) -> RenderableType:
    from rich.spinner import Spinner

    elapsed = time.perf_counter() - progress.started
    gap = progress.gap
    incumbent = "—" if progress.incumbent is None else f"{progress.incumbent:,.1f}"
    bound = "—" if progress.bound is None else f"{progress.bound:,.1f}"
    return Spinner(
        "dots",
        text=(
            f"optimising … {elapsed:5.1f} s of about {progress.time_limit:g} s   "
            f"incumbent {incumbent}   bound {bound}   "
            f"gap {'—' if gap is None else f'{gap:.2%}'}   solutions {progress.solutions}"
        ),
    )


def run_with_progress(
    solve: Callable[[Callable[[float, float], None]], BatchRun], time_limit: float, quiet: bool
) -> BatchRun:
    """Run `solve(on_solution)` in a thread while a live line shows its progress."""
    from rich.live import Live

    progress = Progress(time_limit=time_limit)
    runs: list[BatchRun] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            runs.append(solve(progress.on_solution))
        except BaseException as error:  # re-raised in the main thread
            errors.append(error)
        finally:
            progress.done = True

    thread = threading.Thread(target=work, name="famplan-optimize", daemon=True)
    thread.start()
    if quiet:
        thread.join()
    else:
        with Live(
            _progress_panel(progress),
            console=console,
            refresh_per_second=8,
            transient=True,
        ) as live:
            while thread.is_alive():
                thread.join(0.125)
                live.update(_progress_panel(progress))
    if errors:
        raise errors[0]
    return runs[0]


def today_kpis(run: BatchRun) -> list[tuple[str, list[float]]]:
    """The headline KPIs of today's plan next to the optimised one."""
    from matcher.plans import current_seats, kpi_rows, view_from_batch, view_from_plan

    problem = run.problem
    seats = current_seats(problem)
    # consultant seats with nobody on them today (open requests, missing support persons)
    empty = sum(1 for case in problem.cases for role in case.roles if (case.id, role) not in seats)
    today = view_from_plan(problem, seats, "today", empty)
    return kpi_rows([today, view_from_batch(problem, run.result, "optimised")])


@dataclass(frozen=True)
class Refs:
    """Staff numbers and case references by id, to show a plan to people."""

    cases: dict[int, str]
    consultants: dict[int, str]
    coordinators: dict[int, str]

    @classmethod
    def load(cls, session: Session) -> Refs:
        from data.models import Case, Consultant, Coordinator

        return cls(
            cases={c.id: c.reference for c in session.exec(select(Case)) if c.id is not None},
            consultants={
                c.id: c.employee_ref for c in session.exec(select(Consultant)) if c.id is not None
            },
            coordinators={
                c.id: c.employee_ref for c in session.exec(select(Coordinator)) if c.id is not None
            },
        )

    def case(self, case_id: int) -> str:
        return self.cases.get(case_id, str(case_id))

    def who(self, move: PlannedMove, agent_id: int | None) -> str:
        if agent_id is None:
            return "—"
        is_coordinator = move.role is AssignmentRole.COORDINATOR
        refs = self.coordinators if is_coordinator else self.consultants
        return refs.get(agent_id, str(agent_id))


def batch_json(
    plan: BatchPlan, kpis: list[tuple[str, list[float]]], refs: Refs
) -> dict[str, object]:
    return {
        "status": plan.status.value,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "runtime": plan.runtime_seconds,
        "kpis": {name: {"today": round(v[0], 3), "optimized": round(v[1], 3)} for name, v in kpis},
        "changes": [
            {
                "case": refs.case(move.case_id),
                "role": move.role.value,
                "kind": move.kind,
                "from": refs.who(move, move.from_id),
                "to": refs.who(move, move.to_id),
            }
            for move in plan.moves
        ],
        "unplaced": [
            {"case": refs.case(u.case_id), "role": u.role.value, "reason": u.reason}
            for u in plan.unplaced
        ],
    }


def print_batch(
    plan: BatchPlan, kpis: list[tuple[str, list[float]]], refs: Refs, show: int
) -> None:
    gap = "—" if plan.gap is None else f"{plan.gap:.3%}"
    objective = "—" if plan.objective is None else f"{plan.objective:,.1f}"
    bound = "—" if plan.bound is None else f"{plan.bound:,.1f}"
    console.print(
        f"[bold]{plan.status.value}[/bold] objective {objective}, bound {bound}, "
        f"gap {gap}, {plan.runtime_seconds:.1f} s"
    )
    table = Table(title="KPIs: today vs optimised")
    for column in ("KPI", "today", "optimised"):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    for name, (today, optimised) in kpis:
        table.add_row(name, f"{today:,.1f}", f"{optimised:,.1f}")
    console.print(table)
    moves = Table(title=f"Proposed changes ({len(plan.moves)})")
    for column in ("case", "role", "change", "from", "to"):
        moves.add_column(column)
    order = {"move": 0, "new": 1, "unassigned": 2}
    for move in sorted(plan.moves, key=lambda m: (order[m.kind], m.case_id))[:show]:
        moves.add_row(
            refs.case(move.case_id),
            move.role.value,
            move.kind,
            refs.who(move, move.from_id),
            refs.who(move, move.to_id),
        )
    console.print(moves)
    if len(plan.moves) > show:
        console.print(f"… and {len(plan.moves) - show} more (--show N, or --json)")
    if plan.unplaced:
        reasons = Counter(u.reason for u in plan.unplaced)
        console.print(f"[bold]{len(plan.unplaced)} seats stay unplaced:[/bold]")
        for reason, count in reasons.most_common():
            console.print(f"  • {count} × {reason}")


@app.command("optimize")
def optimize_command(
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="Solver seconds."),
    seed: int = typer.Option(0, "--seed", help="Solver seed."),
    reproducible: bool = reproducible_option("plan"),
    apply: bool = typer.Option(False, "--apply", help="Write the proposed changes."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking."),
    show: int = typer.Option(25, "--show", min=0, help="How many changes to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    as_of: str | None = typer.Option(None, "--as-of", help="Planning date, YYYY-MM-DD."),
) -> None:
    """Re-optimise every open request and unlocked running assignment (CP-SAT).

    The plan is made and applied as `POST /v1/optimizations` and its apply do it: a plan
    made stale by another write meanwhile (a confirmation, a lock, a contract cut) is
    refused with the reason and nothing is written.
    """
    from api.services.optimization import BatchRequest, apply_plan, load_batch, solve_batch
    from data.db import get_engine

    with Session(get_engine()) as session:
        request = BatchRequest(
            as_of=_planning_date(session, as_of),
            time_limit_seconds=time_limit,
            seed=seed,
            reproducible=reproducible,
        )
        batch = load_batch(session, request)
        refs = Refs.load(session)
    run = run_with_progress(
        lambda on_solution: solve_batch(batch, on_solution), time_limit, as_json
    )
    plan = run.plan
    kpis = today_kpis(run)
    if as_json:
        typer.echo(json.dumps(batch_json(plan, kpis, refs), ensure_ascii=False, indent=2))
    else:
        print_batch(plan, kpis, refs, show)
    if not apply:
        return
    if plan.found and not plan.moves:
        console.print("nothing to apply: the plan equals today's")
        return
    if plan.found and not yes and not typer.confirm(f"Apply {len(plan.moves)} changes?"):
        console.print("not applied")
        raise typer.Exit(code=EXIT_REFUSED)
    # A session of its own: the apply re-reads everything the plan touches.
    with Session(get_engine()) as session:
        try:
            report = apply_plan(session, plan, None, actor_key_id=None)
        except DomainError as error:
            fail(error)
    console.print(
        f"applied: {len(report.ended_assignment_ids)} assignments ended, "
        f"{len(report.created_assignment_ids)} created"
    )
