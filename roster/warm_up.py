"""Compile the per-employee programme's numba kernels (`roster.kernels`, and the rhythm
bound's `roster.rhythm_kernel`) ahead of any solve: `python -m roster.warm_up`, run by
`make setup`.

Compiled on first use, they cost the first solve of a fresh checkout 1.5-6 s of its own
time limit (an Instance15 run on a cold cache ended with no roster). Compiled here, into
numba's cache beside `roster.kernels`, every later process loads them in under a second.
The warm-up runs the programme's real paths on a one-person fortnight, so that each
kernel is compiled for the argument types a solve passes it: the plain programme (a
first roster) and the counted one (column generation's pricing of a small maximum).
"""

from __future__ import annotations

import time

from roster import best_responses, columns, rhythm_bound
from roster.clock import WorkClock
from roster.examples import dognindsats_problem
from roster.read_nrp import parse_nrp

#: One employee, two weeks, shifts D and L (no D after L), at most two D: a maximum
#: small enough for the programme to count (`schedule_paths.SMALL_MAXIMUM`).
FORTNIGHT = "\n".join(
    [
        "SECTION_HORIZON",
        "14",
        "",
        "SECTION_SHIFTS",
        "D,480,",
        "L,600,D",
        "",
        "SECTION_STAFF",
        "A,D=2|L=14,4800,1440,5,2,2,1",
        "",
        "SECTION_DAYS_OFF",
        "A,4",
        "",
        "SECTION_COVER",
        *(f"{day},{shift},1,{10 + 7 * day % 13},1" for day in range(14) for shift in "DL"),
        "",
    ]
)


def warm_up() -> None:
    """Run each kernel once (their compiled code is cached by numba)."""
    problem = parse_nrp(FORTNIGHT, name="warm-up")
    best_responses.first_roster(problem, time.perf_counter() + 60.0)
    best_responses.first_roster(problem, time.perf_counter() + 60.0, minimised=True)
    columns.generate(problem, 10.0, programme=True, num_workers=1, seed=0, clock=WorkClock())
    # the rhythm bound's programme (`roster.rhythm_kernel`), on a week of one case
    rhythm_bound.rhythm_bound(dognindsats_problem(cases=1, pool_size=6, weeks=1), iterations=2)


if __name__ == "__main__":
    warm_up()
