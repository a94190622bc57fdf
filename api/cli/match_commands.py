"""`famplan match` (reception) and `famplan optimize` (the batch re-optimisation)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from api.cli.app import app, reproducible_option
from api.cli.report_commands import parse_date

console = Console()


def case_id_for(session: Session, reference: str) -> int:
    from data.models import Case

    case = session.exec(select(Case).where(Case.reference == reference)).first()
    if case is None or case.id is None:
        console.print(f"[red]case {reference!r}: no such case reference[/red]")
        raise typer.Exit(code=2)
    return case.id


def _snapshot(session: Session, as_of: dt.date | None) -> Any:
    from api.report_builder import default_as_of
    from api.services.snapshot import load_match_problem

    return load_match_problem(session, as_of or default_as_of(session))


def _candidate_json(problem: Any, candidate: Any) -> dict[str, Any]:
    consultant = problem.consultant_by_id[candidate.consultant_id]
    return {
        "consultant_id": candidate.consultant_id,
        "consultant_ref": consultant.ref,
        "role": str(candidate.role),
        "score": round(candidate.score, 3),
        "travel_minutes": round(candidate.travel_minutes, 1),
        "free_hours": round(candidate.free_hours, 1),
        "reasons": list(candidate.reasons),
        "breakdown": {k: round(v, 3) for k, v in candidate.breakdown.items()},
    }


def ranking_json(problem: Any, reference: str, ranking: Any) -> dict[str, Any]:
    """The ranking as plain JSON: ids, refs, scores and reasons (no family data)."""
    reshuffle = ranking.reshuffle
    return {
        "case": reference,
        "case_id": ranking.case_id,
        "feasible": ranking.feasible,
        "candidates": [_candidate_json(problem, c) for c in ranking.candidates],
        "support_candidates": [_candidate_json(problem, c) for c in ranking.support_candidates],
        "pairs": [
            {
                "primary": p.primary.consultant_id,
                "support": p.support.consultant_id,
                "score": round(p.score, 3),
            }
            for p in ranking.pairs
        ],
        "excluded": {
            str(role): {
                "considered": ex.considered,
                "counts": ex.counts,
                "summary": list(ex.summary),
            }
            for role, ex in ranking.excluded.items()
        },
        "reshuffle": None
        if reshuffle is None
        else {
            "freed_consultant_id": reshuffle.freed_consultant_id,
            "status": reshuffle.status,
            "score_gain": round(reshuffle.score_gain, 3),
            "moves": [
                {
                    "assignment_id": m.assignment_id,
                    "case_id": m.case_id,
                    "role": str(m.role),
                    "from": m.from_consultant_id,
                    "to": m.to_consultant_id,
                    "hours": m.hours,
                }
                for m in reshuffle.moves
            ],
            "explanation": list(reshuffle.explanation),
        },
    }


def _candidate_table(title: str, problem: Any, candidates: Any) -> Table:
    table = Table(title=title, show_lines=True)
    for column in ("#", "consultant", "score", "travel", "free h", "why"):
        table.add_column(
            column, justify="right" if column in ("#", "score", "travel", "free h") else "left"
        )
    for number, c in enumerate(candidates, start=1):
        ref = problem.consultant_by_id[c.consultant_id].ref or str(c.consultant_id)
        table.add_row(
            str(number),
            ref,
            f"{c.score:.1f}",
            f"{c.travel_minutes:.0f} min",
            f"{c.free_hours:.0f}",
            "\n".join(c.reasons),
        )
    return table


def print_ranking(problem: Any, reference: str, ranking: Any) -> None:
    console.print(_candidate_table(f"Candidates for case {reference}", problem, ranking.candidates))
    if ranking.support_candidates:
        console.print(
            _candidate_table("Support / contact person", problem, ranking.support_candidates)
        )
    if ranking.pairs:
        pairs = Table(title="Best pairs (two different consultants)")
        for column in ("primary", "support", "score"):
            pairs.add_column(column)
        for pair in ranking.pairs:
            pairs.add_row(
                problem.consultant_by_id[pair.primary.consultant_id].ref,
                problem.consultant_by_id[pair.support.consultant_id].ref,
                f"{pair.score:.1f}",
            )
        console.print(pairs)
    for role, excluded in ranking.excluded.items():
        if excluded.summary:
            console.print(f"[bold]Not candidates ({role}):[/bold]")
            for line in excluded.summary:
                console.print(f"  • {line}")
    if ranking.reshuffle is not None:
        console.print("[bold yellow]Nobody is free — smallest reshuffle:[/bold yellow]")
        for line in ranking.reshuffle.explanation:
            console.print(f"  → {line}")
    elif not ranking.feasible:
        console.print("[red]No candidate and no reshuffle found.[/red]")


@app.command("match")
def match(
    case_ref: str = typer.Argument(..., help="The case reference."),
    top: int = typer.Option(5, "--top", min=1, max=50, help="How many candidates."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    as_of: str | None = typer.Option(None, "--as-of", help="Planning date, YYYY-MM-DD."),
) -> None:
    """Ranked candidates for one case, with reasons; a reshuffle if nobody fits."""
    from data.db import get_engine
    from matcher.rank import rank

    with Session(get_engine()) as session:
        case_id = case_id_for(session, case_ref)
        problem = _snapshot(session, parse_date(as_of, "--as-of"))
    if case_id not in problem.case_by_id:
        console.print(f"[red]case {case_ref!r}: not open or running on the planning date[/red]")
        raise typer.Exit(code=2)
    ranking = rank(problem, case_id, top=top)
    if as_json:
        typer.echo(
            json.dumps(ranking_json(problem, case_ref, ranking), ensure_ascii=False, indent=2)
        )
    else:
        print_ranking(problem, case_ref, ranking)


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

    def on_solution(self, objective: float, bound: float, *_: Any) -> None:
        self.incumbent, self.bound = objective, bound
        self.solutions += 1


def _progress_panel(progress: Progress) -> Any:
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
    problem: Any, time_limit: float, seed: int, quiet: bool, reproducible: bool = True
) -> Any:
    """Run the batch optimisation in a thread while a live line shows its progress."""
    from rich.live import Live

    from matcher.batch import optimize

    progress = Progress(time_limit=time_limit)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = optimize(
                problem,
                time_limit=time_limit,
                seed=seed,
                num_workers=2,
                deterministic=reproducible,
                on_solution=progress.on_solution,
            )
        except BaseException as error:  # re-raised in the main thread
            outcome["error"] = error
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
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def today_unplaced(problem: Any) -> int:
    """Consultant seats with nobody on them today (open requests, missing support persons)."""
    from matcher.plans import current_seats

    seats = current_seats(problem)
    return sum(1 for case in problem.cases for role in case.roles if (case.id, role) not in seats)


def _refs(session: Session) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    from data.models import Case, Consultant, Coordinator

    cases = {c.id: c.reference for c in session.exec(select(Case)) if c.id is not None}
    consultants = {
        c.id: c.employee_ref for c in session.exec(select(Consultant)) if c.id is not None
    }
    coordinators = {
        c.id: c.employee_ref for c in session.exec(select(Coordinator)) if c.id is not None
    }
    return cases, consultants, coordinators


def _who(
    change_role: str,
    agent_id: int | None,
    consultants: dict[int, str],
    coordinators: dict[int, str],
) -> str:
    if agent_id is None:
        return "—"
    refs = coordinators if change_role == "coordinator" else consultants
    return refs.get(agent_id, str(agent_id))


def batch_json(
    result: Any,
    kpis: list[tuple[str, list[float]]],
    refs: tuple[dict[int, str], dict[int, str], dict[int, str]],
) -> dict[str, Any]:
    cases, consultants, coordinators = refs
    return {
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "runtime": round(result.runtime, 3),
        "kpis": {name: {"today": round(v[0], 3), "optimized": round(v[1], 3)} for name, v in kpis},
        "changes": [
            {
                "case": cases.get(c.case_id, str(c.case_id)),
                "role": str(c.role),
                "kind": c.kind,
                "from": _who(str(c.role), c.from_id, consultants, coordinators),
                "to": _who(str(c.role), c.to_id, consultants, coordinators),
            }
            for c in result.changes
        ],
        "unplaced": [
            {"case": cases.get(u.case_id, str(u.case_id)), "role": str(u.role), "reason": u.reason}
            for u in result.unplaced
        ],
    }


def print_batch(
    result: Any,
    kpis: list[tuple[str, list[float]]],
    refs: tuple[dict[int, str], dict[int, str], dict[int, str]],
    show: int,
) -> None:
    cases, consultants, coordinators = refs
    gap = "—" if result.gap is None else f"{result.gap:.3%}"
    objective = "—" if result.objective is None else f"{result.objective:,.1f}"
    bound = "—" if result.bound is None else f"{result.bound:,.1f}"
    console.print(
        f"[bold]{result.status}[/bold] objective {objective}, bound {bound}, "
        f"gap {gap}, {result.runtime:.1f} s"
    )
    table = Table(title="KPIs: today vs optimised")
    for column in ("KPI", "today", "optimised"):
        table.add_column(column, justify="left" if column == "KPI" else "right")
    for name, (today, optimised) in kpis:
        table.add_row(name, f"{today:,.1f}", f"{optimised:,.1f}")
    console.print(table)
    moves = Table(title=f"Proposed changes ({len(result.changes)})")
    for column in ("case", "role", "change", "from", "to"):
        moves.add_column(column)
    order = {"move": 0, "new": 1, "unassigned": 2}
    for change in sorted(result.changes, key=lambda c: (order.get(c.kind, 3), c.case_id))[:show]:
        role = str(change.role)
        moves.add_row(
            cases.get(change.case_id, str(change.case_id)),
            role,
            change.kind,
            _who(role, change.from_id, consultants, coordinators),
            _who(role, change.to_id, consultants, coordinators),
        )
    console.print(moves)
    if len(result.changes) > show:
        console.print(f"… and {len(result.changes) - show} more (--show N, or --json)")
    if result.unplaced:
        reasons = Counter(u.reason for u in result.unplaced)
        console.print(f"[bold]{len(result.unplaced)} seats stay unplaced:[/bold]")
        for reason, count in reasons.most_common():
            console.print(f"  • {count} × {reason}")


def apply_changes(session: Session, problem: Any, result: Any, as_of: dt.date) -> tuple[int, int]:
    """End the assignments the plan moves and write the new ones, in one transaction.

    Returns (ended, created). Locked assignments are never touched (the optimiser never
    moves them). A requested case that gets its primary becomes active.
    """
    from data.models import (
        Assignment,
        AssignmentRole,
        AssignmentStatus,
        Case,
        CaseStatus,
    )
    from data.ops_models import AuditAction, AuditEvent

    ended: list[int] = []
    created: list[Assignment] = []
    for change in result.changes:
        role = AssignmentRole(str(change.role))
        if change.from_id is not None:
            column = (
                Assignment.coordinator_id
                if role == AssignmentRole.COORDINATOR
                else Assignment.consultant_id
            )
            rows = session.exec(
                select(Assignment).where(
                    Assignment.case_id == change.case_id,
                    Assignment.role == role,
                    column == change.from_id,
                    Assignment.status != AssignmentStatus.ENDED,
                    Assignment.locked == False,  # noqa: E712  (SQL expression)
                )
            ).all()
            for row in rows:
                row.status, row.end, row.version = AssignmentStatus.ENDED, as_of, row.version + 1
                session.add(row)
                ended.append(row.id or 0)
        if change.to_id is None:
            continue
        case = problem.case_by_id[change.case_id]
        is_coordinator = role == AssignmentRole.COORDINATOR
        assignment = Assignment(
            case_id=change.case_id,
            consultant_id=None if is_coordinator else change.to_id,
            coordinator_id=change.to_id if is_coordinator else None,
            role=role,
            hours_per_week=0.0 if is_coordinator else case.hours_for(change.role),
            start=as_of,
            status=AssignmentStatus.CONFIRMED,
        )
        session.add(assignment)
        created.append(assignment)
        if role == AssignmentRole.PRIMARY:
            row_case = session.get(Case, change.case_id)
            if row_case is not None and row_case.status == CaseStatus.REQUESTED:
                row_case.status = CaseStatus.ACTIVE
                session.add(row_case)
    session.flush()
    session.add(
        AuditEvent(
            action=AuditAction.OPTIMIZATION_APPLY,
            entity_type="assignment",
            entity_ids=[a.id for a in created if a.id is not None],
            related_ids={"ended_assignment_ids": ended, "source": "cli"},
        )
    )
    return len(ended), len(created)


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
    """Re-optimise every open request and unlocked running assignment (CP-SAT)."""
    from api.report_builder import default_as_of
    from data.db import get_engine
    from matcher.plans import current_seats, kpi_rows, view_from_batch, view_from_plan

    with Session(get_engine()) as session:
        day = parse_date(as_of, "--as-of") or default_as_of(session)
        problem = _snapshot(session, day)
        refs = _refs(session)
        result = run_with_progress(problem, time_limit, seed, as_json, reproducible)
        today = view_from_plan(problem, current_seats(problem), "today", today_unplaced(problem))
        kpis = kpi_rows([today, view_from_batch(problem, result, "optimised")])
        if as_json:
            typer.echo(json.dumps(batch_json(result, kpis, refs), ensure_ascii=False, indent=2))
        else:
            print_batch(result, kpis, refs, show)
        if not apply:
            return
        if result.objective is None:
            console.print("[red]no plan to apply[/red]")
            raise typer.Exit(code=1)
        if not result.changes:
            console.print("nothing to apply: the plan equals today's")
            return
        if not yes and not typer.confirm(f"Apply {len(result.changes)} changes?"):
            console.print("not applied")
            raise typer.Exit(code=1)
        ended, created = apply_changes(session, problem, result, day)
        session.commit()
    console.print(f"applied: {ended} assignments ended, {created} created")
