"""Scenario sweeps as a use case: read a sweep file, take one snapshot of the book, solve
the book as it is and every scenario on an executor, and compare.

The database is only read (`load_match_problem`); scenarios change the in-memory
snapshot (`data.sweep`). A bad file or a name the book does not know is `Invalid`,
naming the field and, in the message, the line and scenario.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from sqlmodel import Session

from api.services.errors import Invalid
from data.sweep import (
    ScenarioResult,
    SweepDocument,
    SweepFileError,
    SweepOptions,
    check_references,
    context,
    field_path,
    load_sweep,
    solve_scenario,
)
from matcher.problem import MatchProblem
from solving.executor import Executor, Finished, Task

BASELINE = "baseline"


def _invalid(error: SweepFileError) -> Invalid:
    return Invalid.field(field_path(error.loc), context(error.line, error.where) + error.message)


def parse_sweep(text: str) -> SweepDocument:
    """A validated sweep file, or `Invalid` naming the field, its line and scenario."""
    try:
        return load_sweep(text)
    except SweepFileError as error:
        raise _invalid(error) from error


def read_sweep_file(path: Path) -> SweepDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid.field("file", f"cannot read {path.name}: {error}") from error
    return parse_sweep(text)


def load_sweep_problem(session: Session, document: SweepDocument) -> MatchProblem:
    """The snapshot the sweep starts from (its ``as_of``, else the planning date),
    with every scenario checked against it."""
    from api.services.snapshot import load_match_problem

    problem = load_match_problem(session, document.spec.sweep.as_of)
    check_scenarios(document, problem)
    return problem


def check_scenarios(document: SweepDocument, problem: MatchProblem) -> None:
    try:
        check_references(document, problem)
    except SweepFileError as error:
        raise _invalid(error) from error


class ScenarioRun(BaseModel):
    """A scenario's result (or the error its solve raised) and its wall time."""

    name: str
    result: ScenarioResult | None
    error: str | None = None
    seconds: float


class SweepReport(BaseModel):
    executor: str
    options: SweepOptions
    #: The book as it is first, then the scenarios in the file's order.
    runs: list[ScenarioRun]
    wall_seconds: float
    cancelled: bool = False

    def results(self) -> dict[str, ScenarioResult | None]:
        """Scenario name → result: what must be equal whichever executor ran them."""
        return {run.name: run.result for run in self.runs}


@dataclass(frozen=True)
class SweepPlan:
    """The tasks of a sweep, ready for an executor."""

    names: tuple[str, ...]
    tasks: tuple[Task[ScenarioResult], ...]


def plan_sweep(problem: MatchProblem, document: SweepDocument) -> SweepPlan:
    """One task for the book as it is and one per scenario; the snapshot is the same
    object in each, so Ray ships it once."""
    options = document.spec.sweep
    scenarios = [(BASELINE, None), *((s.name, s) for s in document.spec.scenario)]
    tasks = tuple(
        Task(name, solve_scenario, (problem, scenario, options), cpus=options.cpus_per_scenario)
        for name, scenario in scenarios
    )
    return SweepPlan(tuple(name for name, _ in scenarios), tasks)


def run_sweep(
    problem: MatchProblem,
    document: SweepDocument,
    executor: Executor,
    on_finished: Callable[[ScenarioRun], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SweepReport:
    """Solve every scenario on `executor`; `on_finished` sees each as it finishes."""
    plan = plan_sweep(problem, document)
    started = time.perf_counter()
    runs: dict[str, ScenarioRun] = {}
    finished: Finished[ScenarioResult]
    for finished in executor.run(plan.tasks, should_stop):
        run = ScenarioRun(
            name=finished.key,
            result=finished.value,
            error=finished.error,
            seconds=round(finished.seconds, 3),
        )
        runs[run.name] = run
        if on_finished is not None:
            on_finished(run)
    return SweepReport(
        executor=executor.name,
        options=document.spec.sweep,
        runs=[runs[name] for name in plan.names if name in runs],
        wall_seconds=round(time.perf_counter() - started, 3),
        cancelled=len(runs) < len(plan.names),
    )
