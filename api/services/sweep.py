"""Scenario sweeps as a use case: read a sweep file, take one snapshot of the book, solve
the book as it is and every scenario on an executor, and compare.

The database is only read (`load_match_problem`); scenarios change the in-memory
snapshot (`data.sweep`). A bad file or a name the book does not know is `Invalid`,
naming the field and, in the message, the line and scenario.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field
from sqlmodel import Session

from api.jobs.params import SweepParams
from api.services.errors import Invalid
from api.services.jobs import Wake, submit_job
from data.ops_models import Job, JobKind
from data.sweep import (
    ScenarioResult,
    SweepDocument,
    SweepFileError,
    SweepOptions,
    apply_scenario,
    check_references,
    context,
    field_path,
    load_sweep,
    solve_scenario,
)
from data.sweep_rosters import RosterOutcome, plan_roster, roster_problems, touches_rosters
from matcher.problem import MatchProblem
from roster.problem import RosterProblem
from solving.executor import Executor, ExecutorName, Finished, Task

BASELINE = "baseline"


def _invalid(error: SweepFileError, within: str = "") -> Invalid:
    """The error as `Invalid`: the field path in the file (after `within`, the field the
    file came in, e.g. ``body.scenarios``), the line and scenario in the message."""
    path = field_path(error.loc)
    name = f"{within}.{path}" if within else path
    return Invalid.field(name, context(error.line, error.where) + error.message)


def parse_sweep(text: str, within: str = "") -> SweepDocument:
    """A validated sweep file, or `Invalid` naming the field, its line and scenario."""
    try:
        return load_sweep(text)
    except SweepFileError as error:
        raise _invalid(error, within) from error


def read_sweep_file(path: Path) -> SweepDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid.field("file", f"cannot read {path.name}: {error}") from error
    return parse_sweep(text)


def load_sweep_problem(
    session: Session, document: SweepDocument, as_of: dt.date | None = None, within: str = ""
) -> MatchProblem:
    """The snapshot the sweep starts from (the file's ``as_of``, else `as_of`, else the
    planning date), with every scenario checked against it."""
    from api.services.snapshot import load_match_problem

    problem = load_match_problem(session, document.spec.sweep.as_of or as_of)
    check_scenarios(document, problem, within)
    return problem


def check_scenarios(document: SweepDocument, problem: MatchProblem, within: str = "") -> None:
    try:
        check_references(document, problem)
    except SweepFileError as error:
        raise _invalid(error, within) from error


class ScenarioRun(BaseModel):
    """A scenario's result (or the error its solve raised) and its wall time."""

    name: str
    result: ScenarioResult | None
    error: str | None = None
    seconds: float
    #: Its døgnindsats rosters (`[sweep] rosters = true`), one per døgnindsats, from
    #: disjoint holds of the pool (`data.sweep_rosters`).
    rosters: list[RosterOutcome] = Field(default_factory=list)
    #: The scenario does not touch døgnindsats: its rosters are the baseline's.
    rosters_from_baseline: bool = False


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

    def roster_results(self) -> dict[str, list[RosterOutcome]]:
        """Scenario name → its rosters (equal whichever executor ran them, too)."""
        return {run.name: run.rosters for run in self.runs}


Outcome = ScenarioResult | RosterOutcome


@dataclass(frozen=True)
class SweepPlan:
    """The tasks of a sweep, ready for an executor: a batch task per scenario (named
    after it), and a roster task per døgnindsats of each scenario that touches them."""

    names: tuple[str, ...]
    tasks: tuple[Task[Outcome], ...]
    #: Scenario → the keys of the roster tasks that give its rosters (the baseline's
    #: for a scenario that does not touch døgnindsats).
    rosters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _roster_tasks(
    name: str, problems: tuple[tuple[int, RosterProblem], ...], options: SweepOptions
) -> list[Task[Outcome]]:
    return [
        Task[Outcome](
            f"{name}/roster/{case_id}",
            plan_roster,
            (case_id, roster, options.roster_time_limit, options.seed, options.reproducible),
        )
        for case_id, roster in problems
    ]


def plan_sweep(problem: MatchProblem, document: SweepDocument) -> SweepPlan:
    """One task for the book as it is and one per scenario; the snapshot is the same
    object in each, so Ray ships it once. With ``rosters``, a task per døgnindsats of
    the baseline and of every scenario that touches them (their holds made here)."""
    options = document.spec.sweep
    scenarios = [(BASELINE, None), *((s.name, s) for s in document.spec.scenario)]
    tasks: list[Task[Outcome]] = [
        Task[Outcome](
            name, solve_scenario, (problem, scenario, options), cpus=options.cpus_per_scenario
        )
        for name, scenario in scenarios
    ]
    rosters: dict[str, tuple[str, ...]] = {}
    if options.rosters:
        weeks, pool = options.roster_weeks, options.roster_pool
        base = roster_problems(problem, weeks, pool)
        base_tasks = _roster_tasks(BASELINE, base, options)
        tasks += base_tasks
        rosters[BASELINE] = tuple(t.key for t in base_tasks)
        for name, scenario in scenarios[1:]:
            assert scenario is not None
            mine = roster_problems(apply_scenario(problem, scenario), weeks, pool)
            if not touches_rosters(mine, base):
                rosters[name] = rosters[BASELINE]
                continue
            own = _roster_tasks(name, mine, options)
            tasks += own
            rosters[name] = tuple(t.key for t in own)
    return SweepPlan(tuple(name for name, _ in scenarios), tuple(tasks), rosters)


def run_sweep(
    problem: MatchProblem,
    document: SweepDocument,
    executor: Executor,
    on_finished: Callable[[ScenarioRun], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SweepReport:
    """Solve every scenario (and its rosters) on `executor`; `on_finished` sees each
    scenario's batch as it finishes."""
    plan = plan_sweep(problem, document)
    started = time.perf_counter()
    runs: dict[str, ScenarioRun] = {}
    outcomes: dict[str, RosterOutcome] = {}
    finished: Finished[Outcome]
    for finished in executor.run(plan.tasks, should_stop):
        value = finished.value
        if finished.key not in plan.names:  # a roster
            if isinstance(value, RosterOutcome):
                outcomes[finished.key] = value
            else:
                case_id = int(finished.key.rsplit("/", 1)[1])
                outcomes[finished.key] = RosterOutcome(
                    case_id, f"error: {finished.error}", (), 0, None
                )
            continue
        run = ScenarioRun(
            name=finished.key,
            result=value if isinstance(value, ScenarioResult) else None,
            error=finished.error,
            seconds=round(finished.seconds, 3),
        )
        runs[run.name] = run
        if on_finished is not None:
            on_finished(run)
    for name, run in runs.items():
        keys = plan.rosters.get(name, ())
        run.rosters = [outcomes[key] for key in keys if key in outcomes]
        run.rosters_from_baseline = name != BASELINE and keys == plan.rosters.get(BASELINE)
    return SweepReport(
        executor=executor.name,
        options=document.spec.sweep,
        runs=[runs[name] for name in plan.names if name in runs],
        wall_seconds=round(time.perf_counter() - started, 3),
        cancelled=len(runs) < len(plan.names),
    )


# ------------------------------------------------------------------ as a job


#: The request field a sweep file arrives in (`POST /v1/sweeps`).
SCENARIOS_FIELD = "body.scenarios"


def submit_sweep(
    session: Session,
    text: str,
    executor: ExecutorName | None,
    as_of: dt.date,
    actor_key_id: int | None,
    wake: Wake = None,
) -> Job:
    """Queue a sweep job, once its file is valid and names only what the book knows
    (else `Invalid` naming the field in ``body.scenarios``, with its line)."""
    document = parse_sweep(text, SCENARIOS_FIELD)
    load_sweep_problem(session, document, as_of, SCENARIOS_FIELD)
    params = SweepParams(scenarios=text, executor=executor, as_of=as_of)
    # no office: only admins see the job (`job_visible_to`)
    return submit_job(session, JobKind.SWEEP, params.stored(), [], actor_key_id, wake)


def run_sweep_job(
    session: Session,
    params: SweepParams,
    executor: Executor,
    finished: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, object]:
    """A sweep job's work: the snapshot as of the job's date, every scenario on
    `executor`; `finished` sees the number of scenarios done so far. The result is the
    `SweepReport` as JSON (with the scenarios done when it was cancelled)."""
    document = parse_sweep(params.scenarios, SCENARIOS_FIELD)
    problem = load_sweep_problem(session, document, params.as_of, SCENARIOS_FIELD)
    done = 0

    def count(_: ScenarioRun) -> None:
        nonlocal done
        done += 1
        if finished is not None:
            finished(done)

    report = run_sweep(problem, document, executor, count, should_stop)
    return report.model_dump(mode="json")
