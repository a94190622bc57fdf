"""The smallest reshuffle that frees a suitable consultant when nobody fits a seat.

Neighbourhood: *donors* are consultants who pass every hard rule for the seat except
capacity (hours or cases); their running, unlocked primary/support assignments may move
to *receivers* who pass every hard rule for that assignment's case and role. One
CP-SAT model picks one donor and at most `max_moves` moves so that the donor can take
the seat and every receiver stays within capacity. Objective, lexicographic: fewest
moves first, then the best score for the new seat plus the score change of the moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from matcher.problem import CaseData, ConsultantData, MatchProblem, Role, RunningAssignment
from matcher.rules import (
    CAPACITY_RULES,
    STATIC_RULES,
    all_failures,
    first_failure,
    free_hours,
    language_cover,
    need_hours,
    other_load,
    start_day,
)
from matcher.scoring import integer_score, make_context
from solving.status import SolveStatus

#: Weight of one move in the objective; larger than any score difference.
_MOVE_WEIGHT = 10**7


@dataclass(frozen=True)
class Move:
    assignment_id: int
    case_id: int
    role: Role
    from_consultant_id: int
    to_consultant_id: int
    hours: float

    @property
    def text(self) -> str:
        return (
            f"move the {self.role} seat of case {self.case_id} ({self.hours:g} h/week) "
            f"from consultant {self.from_consultant_id} to consultant {self.to_consultant_id}"
        )


@dataclass(frozen=True)
class Reshuffle:
    """Moves that free `freed_consultant_id` for the seat (case, role)."""

    case_id: int
    role: Role
    freed_consultant_id: int
    moves: tuple[Move, ...]
    #: Score of the freed consultant on the seat plus the score change of the moves.
    score_gain: float
    status: SolveStatus

    @property
    def explanation(self) -> tuple[str, ...]:
        return (
            *(m.text for m in self.moves),
            f"then consultant {self.freed_consultant_id} can take case {self.case_id}",
        )


def reshuffle(
    problem: MatchProblem,
    case_id: int,
    role: Role = Role.PRIMARY,
    *,
    max_moves: int = 2,
    time_limit: float = 1.0,
    max_donors: int = 15,
    max_receivers: int = 8,
    seed: int = 0,
) -> Reshuffle | None:
    """Smallest set of ≤ `max_moves` moves that frees a consultant for the seat, or None
    if the neighbourhood has no such reshuffle."""
    case = problem.case_by_id[case_id]
    donors = _donors(problem, case, role, max_donors)
    if not donors:
        return None
    model = cp_model.CpModel()
    pick = {d.id: model.new_bool_var(f"pick_{d.id}") for d, _ in donors}
    model.add_exactly_one(pick.values())
    objective = []
    moves: dict[tuple[int, int], tuple[RunningAssignment, cp_model.IntVar]] = {}
    receiver_hours: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    receiver_cap: dict[int, tuple[float, int]] = {}
    scale = problem.settings.hours_scale

    for donor, seat_score in donors:
        objective.append(seat_score * pick[donor.id])
        own_moves = []
        for assignment in _movable(problem, donor):
            moved_case = problem.case_by_id[assignment.case_id]
            old_score = _pair_score(problem, moved_case, Role(assignment.role), donor)
            options = []
            for receiver, new_score, free, free_cases in _receivers(
                problem, assignment, moved_case, donor, max_receivers
            ):
                y = model.new_bool_var(f"move_{assignment.id}_{receiver.id}")
                moves[(assignment.id, receiver.id)] = (assignment, y)
                options.append(y)
                receiver_hours.setdefault(receiver.id, []).append(
                    (
                        round(
                            problem.running_hours(assignment, start_day(problem, moved_case))
                            * scale
                        ),
                        y,
                    )
                )
                receiver_cap[receiver.id] = (
                    min(free, receiver_cap.get(receiver.id, (free, 0))[0]),
                    free_cases,
                )
                objective.append((new_score - old_score - _MOVE_WEIGHT) * y)
            if options:
                # An assignment moves at most once, and only off the chosen donor.
                model.add(sum(options) <= pick[donor.id])
                own_moves.append((assignment, sum(options)))
        # The donor can take the seat once the moved hours and cases are gone.
        need = round(need_hours(problem, case, role) * scale)
        free = round(free_hours(problem, case, donor, other_load(problem, case, donor)) * scale)
        first_day = start_day(problem, case)
        moved_hours = sum(
            round(problem.running_hours(a, first_day) * scale) * v for a, v in own_moves
        )
        model.add(need - moved_hours <= free).only_enforce_if(pick[donor.id])
        cases_now = len(
            {
                a.case_id
                for a in problem.assignments_by_consultant.get(donor.id, ())
                if a.case_id != case.id
            }
        )
        moved_cases = sum(v for _, v in own_moves)
        model.add(cases_now + 1 - moved_cases <= donor.max_cases).only_enforce_if(pick[donor.id])

    for receiver_id, items in receiver_hours.items():
        free_h, free_cases = receiver_cap[receiver_id]
        model.add(sum(h * y for h, y in items) <= max(0, round(free_h * scale)))
        model.add(sum(y for _, y in items) <= max(0, free_cases))
    if moves:
        model.add(sum(y for _, y in moves.values()) <= max_moves)
    model.maximize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = SolveStatus.from_cp_sat(solver.solve(model))
    if not status.found:
        return None
    freed = next(d for d, _ in donors if solver.value(pick[d.id]))
    chosen = [
        Move(a.id, a.case_id, Role(a.role), freed.id, receiver_id, a.hours)
        for (_, receiver_id), (a, y) in sorted(moves.items())
        if solver.value(y)
    ]
    gain = (solver.objective_value + _MOVE_WEIGHT * len(chosen)) / problem.settings.score_scale
    return Reshuffle(
        case_id=case_id,
        role=role,
        freed_consultant_id=freed.id,
        moves=tuple(chosen),
        score_gain=round(gain, 3),
        status=status,
    )


def _pair_score(problem: MatchProblem, case: CaseData, role: Role, c: ConsultantData) -> int:
    """Integer score; 0 for a running pair whose languages no longer match (data drift)."""
    if language_cover(problem, case, role, c) is None:
        return 0
    return integer_score(make_context(problem, case, role, c))


def _donors(
    problem: MatchProblem, case: CaseData, role: Role, limit: int
) -> list[tuple[ConsultantData, int]]:
    """Consultants blocked only by capacity, best score first."""
    found = []
    for consultant in problem.consultants:
        if first_failure(problem, case, role, consultant, STATIC_RULES) is not None:
            continue
        failures = all_failures(problem, case, role, consultant)
        if failures and all(f.rule in CAPACITY_RULES for f in failures):
            found.append((consultant, _pair_score(problem, case, role, consultant)))
    found.sort(key=lambda item: (-item[1], item[0].id))
    return found[:limit]


def _movable(problem: MatchProblem, donor: ConsultantData) -> list[RunningAssignment]:
    return [
        a
        for a in problem.assignments_by_consultant.get(donor.id, ())
        if not a.locked and a.role in (Role.PRIMARY, Role.SUPPORT)
    ]


def _receivers(
    problem: MatchProblem,
    assignment: RunningAssignment,
    case: CaseData,
    donor: ConsultantData,
    limit: int,
) -> list[tuple[ConsultantData, int, float, int]]:
    """Consultants who could take the assignment: every rule passes for its case and
    role, and they are not already on the case in the other seat."""
    role = Role(assignment.role)
    on_case = {a.consultant_id for a in problem.assignments_by_case.get(case.id, ())}
    found = []
    for consultant in problem.consultants:
        if consultant.id == donor.id or consultant.id in on_case:
            continue
        if first_failure(problem, case, role, consultant, STATIC_RULES) is not None:
            continue
        load = other_load(problem, case, consultant)
        free = free_hours(problem, case, consultant, load)
        cases = len({a.case_id for a in problem.assignments_by_consultant.get(consultant.id, ())})
        hours = problem.running_hours(assignment, start_day(problem, case))
        if free + 1e-9 < hours or cases >= consultant.max_cases:
            continue
        found.append(
            (
                consultant,
                _pair_score(problem, case, role, consultant),
                free,
                consultant.max_cases - cases,
            )
        )
    found.sort(key=lambda item: (-item[1], item[0].id))
    return found[:limit]
