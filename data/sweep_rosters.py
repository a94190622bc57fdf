"""Døgnindsats rosters in a scenario sweep: one roster per døgnindsats of the scenario's
book, all planned in parallel on the executor, none booking a consultant twice.

Rosters solved at the same time cannot see each other's shifts, so the shared pool is
split before they start: `roster_problems` *holds* each consultant for at most one
døgnindsats (cases in id order; each takes up to `SweepOptions.roster_pool` of the
consultants not yet held who speak the family's language, closest variety first, then
nearest home), and each roster is planned from its own holds only. No consultant can
then appear in two rosters of one scenario, whatever order they finish in.

A scenario *touches* døgnindsats when its roster problems differ from the book's as it
is (a døgnindsats added or ended, a speaker hired or lost, a rule changed): only those
are planned again; the others are the baseline's rosters (`touches_rosters`).

Each roster covers `roster_weeks` from the planning date with the 3x8 template, one
consultant per shift who speaks the language, under the default working-time rules; the
consultant's other family work is not counted (a what-if of the team, not a plan to
publish). `plan_roster` is the unit of work an executor ships.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.languages import Closeness, closeness, family_language
from matcher.problem import ConsultantData, MatchProblem
from roster.parameters import SearchParameters
from roster.problem import Case, CoverDemand, Employee, RosterProblem
from roster.solve import solve
from roster.templates import template

DOGNINDSATS = "dognindsats"
TEMPLATE = "3x8"
#: Language closeness a roster accepts for the family's language (best first).
USABLE = (Closeness.EXACT, Closeness.VARIETY, Closeness.DIALECT)


@dataclass(frozen=True)
class RosterOutcome:
    """A døgnindsats roster of a scenario: its team (consultant ids) and the shifts
    nobody covers."""

    case_id: int
    status: str
    team: tuple[int, ...]
    uncovered_shifts: int
    objective: int | None


def _rank(family: str | None, consultant: ConsultantData) -> int | None:
    """Position of the consultant's best language for the family in `USABLE`, or None."""
    if family is None:
        return 0
    ranks = [
        USABLE.index(level)
        for skill in consultant.languages
        if (level := closeness(family, skill.tag)) in USABLE
    ]
    return min(ranks) if ranks else None


def roster_problems(
    problem: MatchProblem, weeks: int, pool: int
) -> tuple[tuple[int, RosterProblem], ...]:
    """(case id, roster problem) for every døgnindsats, from disjoint holds."""
    held: set[int] = set()
    shifts = template(TEMPLATE)
    out: list[tuple[int, RosterProblem]] = []
    for case in sorted(problem.cases, key=lambda c: c.id):
        if case.intervention_type != DOGNINDSATS:
            continue
        language = family_language([(n.person_group, n.tag) for n in case.languages])
        options = []
        for consultant in problem.consultants:
            rank = _rank(language, consultant)
            if consultant.id in held or rank is None:
                continue
            far = (consultant.home.lat - case.location.lat) ** 2 + (
                consultant.home.lon - case.location.lon
            ) ** 2
            options.append((rank, far, consultant.id, consultant))
        team = [consultant for *_, consultant in sorted(options)[:pool]]
        held.update(c.id for c in team)
        name = f"k{case.id}"
        out.append(
            (
                case.id,
                RosterProblem(
                    start_date=problem.as_of,
                    days=7 * weeks,
                    shift_types=shifts,
                    employees=tuple(
                        Employee(
                            id=f"c{c.id}",
                            contract_minutes_per_week=round(c.capacity_hours * 60),
                            languages=tuple(s.tag for s in c.languages),
                            gender=c.gender,
                        )
                        for c in team
                    ),
                    cases=(Case(name, language=language, min_closeness="dialect"),),
                    cover=tuple(
                        CoverDemand(case=name, day=d, shift=s.id, required=1)
                        for d in range(7 * weeks)
                        for s in shifts
                    ),
                ),
            )
        )
    return tuple(out)


def touches_rosters(
    scenario: tuple[tuple[int, RosterProblem], ...],
    baseline: tuple[tuple[int, RosterProblem], ...],
) -> bool:
    return scenario != baseline


def plan_roster(
    case_id: int, problem: RosterProblem, time_limit: float, seed: int, reproducible: bool
) -> RosterOutcome:
    """One døgnindsats roster on one CP-SAT worker (deterministic when `reproducible`)."""
    if not problem.employees:
        return RosterOutcome(case_id, "infeasible", (), len(problem.cover), None)
    result = solve(
        problem,
        time_limit=time_limit,
        seed=seed,
        num_workers=1,
        parameters=SearchParameters(num_workers=1, deterministic=reproducible),
    )
    team = tuple(
        sorted(int(e.removeprefix("c")) for e in result.teams.get(problem.cases[0].id, ()))
    )
    return RosterOutcome(case_id, str(result.status), team, len(result.uncovered), result.objective)
