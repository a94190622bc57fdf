"""Reshuffle on tiny instances where the smallest set of moves is known."""

from __future__ import annotations

from matcher.problem import Role
from matcher.rank import rank
from matcher.reshuffle import reshuffle
from solving.status import SolveStatus
from tests.matcher.instances import case, consultant, problem, running


def one_move_instance(locked: bool = False):
    """Case 10 needs a Tigrinya speaker for 10 h. Only consultant 1 speaks Tigrinya, and
    1 is full (20 h of 20) with Danish case 20 (10 h) and Danish case 21 (10 h).
    Consultant 2 (Danish, 30 h, 25 h busy with case 22) has room for one 5 h case only,
    consultant 3 (Danish, 12 h, free) for one 10 h case. Moving case 20 *or* 21 to
    consultant 3 frees exactly the 10 h that 1 needs: one move, never two. Consultant 2
    cannot receive a 10 h case, so the receiver must be 3."""
    return problem(
        [
            consultant(1, "ti", "da", hours=20),
            consultant(2, "da", hours=30),
            consultant(3, "da", hours=12),
        ],
        [
            case(10, "ti", hours=10),
            case(20, "da", hours=10, is_open=False),
            case(21, "da", hours=10, is_open=False),
            case(22, "da", hours=25, is_open=False),
        ],
        [
            running(100, 20, 1, hours=10, locked=locked),
            running(101, 21, 1, hours=10),
            running(102, 22, 2, hours=25),
        ],
    )


def test_one_move_frees_the_only_tigrinya_speaker():
    result = reshuffle(one_move_instance(), 10, Role.PRIMARY)
    assert result is not None and result.status is SolveStatus.OPTIMAL
    assert result.freed_consultant_id == 1
    assert len(result.moves) == 1
    (move,) = result.moves
    assert move.from_consultant_id == 1 and move.to_consultant_id == 3
    assert move.assignment_id in (100, 101)
    assert result.explanation[-1] == "then consultant 1 can take case 10"


def test_locked_assignments_are_never_moved():
    # With 100 locked, the only possible move is 101 → 3.
    result = reshuffle(one_move_instance(locked=True), 10, Role.PRIMARY)
    assert result is not None
    assert [(m.assignment_id, m.to_consultant_id) for m in result.moves] == [(101, 3)]


def test_no_reshuffle_when_no_receiver_has_room():
    """As above, but consultant 3 is gone: nobody can take a 10 h Danish case, so no set
    of at most two moves frees consultant 1."""
    p = one_move_instance()
    shrunk = problem([c for c in p.consultants if c.id != 3], p.cases, p.assignments)
    assert reshuffle(shrunk, 10, Role.PRIMARY) is None
    assert rank(shrunk, 10).reshuffle is None


def test_no_reshuffle_without_a_capacity_blocked_speaker():
    # Nobody speaks Pashto at all: moving work around cannot help.
    p = problem([consultant(1, "da")], [case(10, "ps")])
    assert reshuffle(p, 10) is None
