"""What a solve returns: `RosterResult`, with its stages (`StageResult`) and the demands
it leaves short (`UncoveredShift`, `explain_uncovered`); and `roster_result`, the result
of a legal roster found without a search of the whole model (time windows, employee
groups, a warm start, a repair's direct swap). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roster.eligibility import why_not
from roster.kpis import RosterKpis, compute_kpis
from roster.problem import Case, Roster, RosterProblem
from solving.status import SolveStatus


@dataclass(frozen=True)
class StageResult:
    """One priority level of a lexicographic solve."""

    level: int
    status: SolveStatus
    objective: int | None
    bound: int
    seconds: float


@dataclass(frozen=True)
class UncoveredShift:
    """A demand the roster does not (fully) meet, and why."""

    case: str
    day: int
    shift: str
    missing: int  #: consultants short (0 when only the language/gender is missing)
    missing_language: bool
    missing_gender: bool
    reason: str


@dataclass(frozen=True)
class RosterResult:
    status: SolveStatus
    objective: int | None  #: weighted sum of all terms (see `ObjectiveWeights`)
    #: Lower bound on `objective`. For a lexicographic solve it is the last level's bound
    #: plus the earlier levels' values — a bound given those levels, as reported per stage
    #: (a repair's changes level left out, as in `objective`).
    bound: int | None
    seconds: float
    roster: Roster
    teams: dict[str, tuple[str, ...]]
    uncovered: tuple[UncoveredShift, ...]
    terms: dict[str, int]  #: value of each objective term (weighted)
    kpis: RosterKpis | None
    stages: tuple[StageResult, ...] = field(default=())
    #: The search was stopped on request (`solve(should_stop=)`): the best roster found
    #: until then, FEASIBLE at most unless every level had been proven already.
    cancelled: bool = False
    #: Why there is no roster, or how it was found when that matters (e.g. by time
    #: windows, with no bound): empty when there is nothing to add to the status.
    message: str = ""
    #: Where `bound` comes from: "cp-sat" (the search's own bound), "terms" (the
    #: per-term bound of `roster.bound`, when higher), or "" (no bound).
    bound_by: str = ""

    @property
    def found(self) -> bool:
        return self.status.found

    @classmethod
    def no_roster(
        cls,
        seconds: float,
        message: str,
        *,
        status: SolveStatus = SolveStatus.UNKNOWN,
        stages: tuple[StageResult, ...] = (),
        cancelled: bool = False,
    ) -> RosterResult:
        """A result without a roster (UNKNOWN unless told): `message` says why."""
        return cls(
            status,
            None,
            None,
            seconds,
            (),
            {},
            (),
            {},
            None,
            stages,
            cancelled,
            message=message,
        )


def roster_result(
    problem: RosterProblem,
    roster: Roster,
    *,
    seconds: float,
    bound: int | None = None,
    cancelled: bool = False,
    message: str = "",
) -> RosterResult:
    """A legal roster found without a search of the whole model, as a FEASIBLE result:
    its objective recomputed from the roster (`roster.validate.evaluate`), `bound` (one
    found before, if any) never above it."""
    from roster.validate import evaluate

    terms = evaluate(problem, roster)
    objective = sum(terms.values())
    return RosterResult(
        status=SolveStatus.FEASIBLE,
        objective=objective,
        bound=None if bound is None else min(bound, objective),
        seconds=seconds,
        roster=roster,
        teams=teams(problem, roster),
        uncovered=explain_uncovered(problem, roster),
        terms=terms,
        kpis=compute_kpis(problem, roster),
        cancelled=cancelled,
        message=message,
    )


def teams(problem: RosterProblem, roster: Roster) -> dict[str, tuple[str, ...]]:
    teams: dict[str, set[str]] = {c.id: set() for c in problem.cases}
    for a in roster:
        teams[a.case].add(a.employee)
    return {c: tuple(sorted(t)) for c, t in teams.items()}


def explain_uncovered(problem: RosterProblem, roster: Roster) -> tuple[UncoveredShift, ...]:
    """Every demand short of staff, language or gender, with the reason in words."""
    from data.languages import closeness

    p = problem
    staff: dict[tuple[str, int, str], list[str]] = {}
    for a in roster:
        staff.setdefault((a.case, a.day, a.shift), []).append(a.employee)
    rank = {"exact": 4, "variety": 3, "dialect": 2, "related": 1, "fallback": 1, "none": 0}
    out = []
    for demand in p.cover:
        on = staff.get((demand.case, demand.day, demand.shift), [])
        missing = max(0, demand.required - len(on))
        case = p.case[demand.case]
        need_lang = bool(case.language and demand.needs_language and demand.required > 0)

        def speaks(eid: str, case: Case = case) -> bool:
            e, language = p.employee[eid], case.language
            return language is not None and any(
                rank[closeness(language, t).value] >= rank[case.min_closeness] for t in e.languages
            )

        no_lang = need_lang and not any(speaks(e) for e in on)
        no_gender = bool(
            demand.gender
            and demand.required > 0
            and not any(p.employee[e].gender == demand.gender for e in on)
        )
        if not (missing or no_lang or no_gender):
            continue
        shift = p.shift[demand.shift]
        reasons: dict[str, int] = {}
        eligible = []
        for e in p.employees:
            why = why_not(p, e, demand.day, shift)
            if why is None:
                eligible.append(e.id)
            else:
                reasons[why.value] = reasons.get(why.value, 0) + 1
        parts = []
        if missing:
            if not eligible:
                parts.append(
                    "no consultant can take this shift ("
                    + ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))
                    + ")"
                )
            elif all(e in on for e in eligible):
                parts.append(
                    f"pool too small: all {len(eligible)} consultants who can take this "
                    "shift are already on it"
                )
            else:
                others = len([e for e in eligible if e not in on])
                parts.append(
                    f"{others} more consultants could take it, but all are held by "
                    "working-time rules (rest, hours, consecutive days) or other shifts"
                )
        if no_lang:
            speakers = [e for e in eligible if speaks(e)]
            parts.append(
                f"no available consultant speaks {case.language}"
                if not speakers
                else f"{len(speakers)} speakers of {case.language} are held by "
                "working-time rules or other shifts"
            )
        if no_gender:
            parts.append(f"no {demand.gender} consultant available")
        out.append(
            UncoveredShift(
                demand.case, demand.day, demand.shift, missing, no_lang, no_gender, "; ".join(parts)
            )
        )
    return tuple(out)
