"""One status vocabulary for every solve: ranking, reshuffle, batch, GAP, roster, repair, NRP.

The values are lower case and are what the API, the CLI, the report and the job results
show. Reading is tolerant of case (``SolveStatus("OPTIMAL")`` is `SolveStatus.OPTIMAL`),
so statuses stored before the vocabulary was unified (the roster engine wrote upper
case) read back as the same members.
"""

from __future__ import annotations

from enum import StrEnum

from ortools.sat.python import cp_model


class SolveStatus(StrEnum):
    #: A solution, proven optimal (for a lexicographic solve: at every level).
    OPTIMAL = "optimal"
    #: A solution without a proof of optimality (time limit, gap limit, heuristic).
    FEASIBLE = "feasible"
    #: Proven that no solution exists.
    INFEASIBLE = "infeasible"
    #: The search ended (time limit) before finding a solution or proving there is none.
    UNKNOWN = "unknown"
    #: The solver rejected the model: a bug in the model building, not in the data.
    MODEL_INVALID = "model_invalid"
    #: Stopped on request before the search ended; the result keeps the best answer
    #: found so far, if any, but that answer is not what the full search would give.
    CANCELLED = "cancelled"

    @classmethod
    def _missing_(cls, value: object) -> SolveStatus | None:
        # Older rows and job results hold upper case ("OPTIMAL"): read them as the member.
        if isinstance(value, str):
            lowered = value.strip().lower()
            for member in cls:
                if member.value == lowered:
                    return member
        return None

    @property
    def found(self) -> bool:
        """A solution is at hand and complete (optimal or feasible)."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def proven(self) -> bool:
        """The answer is final: its optimum or its infeasibility is proven."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)

    @classmethod
    def from_cp_sat(cls, code: cp_model.CpSolverStatus | int) -> SolveStatus:
        """CP-SAT's status as ours. CP-SAT also says OPTIMAL when it stops at a relative
        gap limit; callers that use one must compare objective and bound themselves."""
        return _FROM_CP_SAT.get(int(code), cls.UNKNOWN)


_FROM_CP_SAT: dict[int, SolveStatus] = {
    int(cp_model.OPTIMAL): SolveStatus.OPTIMAL,
    int(cp_model.FEASIBLE): SolveStatus.FEASIBLE,
    int(cp_model.INFEASIBLE): SolveStatus.INFEASIBLE,
    int(cp_model.MODEL_INVALID): SolveStatus.MODEL_INVALID,
    int(cp_model.UNKNOWN): SolveStatus.UNKNOWN,
}
