"""`famplan match` (reception) and `famplan optimize` (the batch re-optimisation)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from api.cli.app import app
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
