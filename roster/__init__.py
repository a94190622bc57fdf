"""Pure 24/7 rostering: templates, working-time rules, CP-SAT model, repair, validator.

Public API (stable; used by the API service and the scripts)::

    from roster import (RosterProblem, Employee, Case, CoverDemand, ShiftRequest,
                        RosterRules, ObjectiveWeights, template, solve, repair,
                        validate, SickDays, LeavesTeam, ExtendHorizon)

    problem = RosterProblem(start_date, days, template("3x8"), employees, cases, cover)
    result = solve(problem, time_limit=10, seed=0)      # -> RosterResult
    assert validate(problem, result.roster) == []
    fixed = repair(problem, result.roster, SickDays("C03", (10,)), time_limit=10)

Units: days are indices 0..days-1 from `start_date`; times and hours are minutes
(from the horizon start for absolute times, per horizon for `min/max_minutes`).
"""

from roster.kpis import EmployeeKpis, RosterKpis, compute_kpis
from roster.model_terms import RepairWeights
from roster.parameters import SearchParameters
from roster.problem import (
    Assignment,
    Case,
    CoverDemand,
    Employee,
    ObjectiveWeights,
    ProblemError,
    Roster,
    RosterProblem,
    RosterRules,
    ShiftRequest,
)
from roster.repair import (
    Change,
    DiffEntry,
    ExtendHorizon,
    LeavesTeam,
    RepairResult,
    SickDays,
    apply_change,
    repair,
    roster_diff,
)
from roster.result import RosterResult, StageResult, UncoveredShift
from roster.solve import solve
from roster.templates import TEMPLATES, ShiftType, template
from roster.validate import Violation, evaluate, total, validate
from solving.status import SolveStatus

__all__ = [
    "TEMPLATES",
    "Assignment",
    "Case",
    "Change",
    "CoverDemand",
    "DiffEntry",
    "Employee",
    "EmployeeKpis",
    "ExtendHorizon",
    "LeavesTeam",
    "ObjectiveWeights",
    "ProblemError",
    "RepairResult",
    "RepairWeights",
    "Roster",
    "RosterKpis",
    "RosterProblem",
    "RosterResult",
    "RosterRules",
    "SearchParameters",
    "ShiftRequest",
    "ShiftType",
    "SickDays",
    "SolveStatus",
    "StageResult",
    "UncoveredShift",
    "Violation",
    "apply_change",
    "compute_kpis",
    "evaluate",
    "repair",
    "roster_diff",
    "solve",
    "template",
    "total",
    "validate",
]
