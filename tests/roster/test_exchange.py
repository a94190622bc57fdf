"""Exchanges across the horizon (`roster.exchange`): a shift short of its case's
language taken by a speaker, who hands a shift of theirs on another day to the one
it relieves."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from roster import Assignment, Employee, template, total, validate
from roster.exchange import improve, short_of_attribute
from roster.problem import Case, CoverDemand, RosterProblem, RosterRules
from roster.windows import sub_problem

#: S speaks Ukrainian, X does not; each may work one shift of the two weeks.
S = Employee("S", languages=("da", "uk"), max_minutes=480)
X = Employee("X", languages=("da",), max_minutes=480)


def two_shifts(
    x: Employee = X, k2_language: str | None = None
) -> tuple[RosterProblem, tuple[Assignment, ...]]:
    """Two weeks from a Monday; the Ukrainian case K1 asks for a day shift on day 10,
    case K2 for one on day 3. The roster: S on K2's day 3, X on K1's day 10, so K1's
    shift has nobody who speaks its language."""
    cases = (Case("K1", language="uk"), Case("K2", language=k2_language))
    problem = RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=14,
        shift_types=template("3x8"),
        employees=(S, x),
        cases=cases,
        cover=(CoverDemand("K1", 10, "D", 1), CoverDemand("K2", 3, "D", 1)),
        rules=RosterRules(within_contract=False),
    )
    roster = (Assignment(3, "D", "K2", "S"), Assignment(10, "D", "K1", "X"))
    return problem, roster


def forever() -> float:
    return math.inf  # no budget end: the exchange ends when it finds no more


def test_an_exchange_gives_the_short_shift_its_language() -> None:
    problem, roster = two_shifts()
    assert not validate(problem, roster)
    assert short_of_attribute(problem, roster) == [CoverDemand("K1", 10, "D", 1)]
    exchanged, made = improve(problem, roster, until=forever())
    # S takes K1's day 10 and X S's day 3 of K2: each still works one shift, so both
    # stay within their 480 minutes; K2 asks for no language, so it loses nothing
    assert made == 1
    assert set(exchanged) == {Assignment(3, "D", "K2", "X"), Assignment(10, "D", "K1", "S")}
    assert not validate(problem, exchanged)
    assert not short_of_attribute(problem, exchanged)
    assert total(problem, exchanged) < total(problem, roster)


def test_a_time_window_cannot_do_it() -> None:
    # the days 7-13 as a window of their own: S's shift of day 3 lies outside it and
    # uses all of S's 480 minutes, so the window leaves S none (why the exchanges
    # reach across the horizon)
    problem, roster = two_shifts()
    window = sub_problem(problem, roster, 7, 14)
    assert window.max_minutes(window.employee["S"]) == 0


def test_no_exchange_when_the_other_may_not_take_the_speakers_shift() -> None:
    # X is absent on day 3: nobody can take S's shift, so K1's stays short
    problem, roster = two_shifts(x=dataclasses.replace(X, absences=frozenset({3})))
    exchanged, made = improve(problem, roster, until=forever())
    assert made == 0
    assert set(exchanged) == set(roster)


def test_no_exchange_that_takes_a_language_from_another_shift() -> None:
    # K2 is Ukrainian too: S's day 3 would lose its speaker for the one gained on day 10
    problem, roster = two_shifts(k2_language="uk")
    exchanged, made = improve(problem, roster, until=forever())
    assert made == 0
    assert set(exchanged) == set(roster)


def test_no_exchange_past_the_time_given() -> None:
    problem, roster = two_shifts()
    exchanged, made = improve(problem, roster, until=-math.inf)  # the time given is already spent
    assert made == 0
    assert set(exchanged) == set(roster)


def test_a_speaker_at_work_that_day_exchanges_that_days_shift() -> None:
    # S works K2's evening of day 10, X K1's day shift: S takes the day shift, X the
    # evening (each still one shift of 480 minutes, on the same day)
    problem, _ = two_shifts()
    problem = dataclasses.replace(
        problem, cover=(CoverDemand("K1", 10, "D", 1), CoverDemand("K2", 10, "E", 1))
    )
    roster = (Assignment(10, "E", "K2", "S"), Assignment(10, "D", "K1", "X"))
    exchanged, made = improve(problem, roster, until=forever())
    assert made == 1
    assert set(exchanged) == {Assignment(10, "D", "K1", "S"), Assignment(10, "E", "K2", "X")}
    assert not validate(problem, exchanged)


def test_a_push_when_the_speakers_shift_needs_a_language_the_relieved_lacks() -> None:
    # K2 speaks Arabic; S speaks Ukrainian and Arabic, X neither, Y Arabic with a shift
    # to spare. X cannot take S's day 3 (K2 would lose its speaker), so no exchange;
    # S takes day 10, Y day 3, X works nothing (no minimum): both cases get a speaker
    s = dataclasses.replace(S, languages=("da", "uk", "ar"))
    y = Employee("Y", languages=("da", "ar"), max_minutes=480)
    problem, roster = two_shifts(k2_language="ar")
    problem = dataclasses.replace(problem, employees=(s, X, y))
    exchanged, made = improve(problem, roster, until=forever())
    assert made == 1
    assert set(exchanged) == {Assignment(3, "D", "K2", "Y"), Assignment(10, "D", "K1", "S")}
    assert not validate(problem, exchanged)
    assert not short_of_attribute(problem, exchanged)


def test_no_push_to_one_without_hours_to_spare() -> None:
    # Y may work no shift at all: nobody takes S's day 3, K1's day 10 stays short
    s = dataclasses.replace(S, languages=("da", "uk", "ar"))
    y = Employee("Y", languages=("da", "ar"), max_minutes=0)
    problem, roster = two_shifts(k2_language="ar")
    problem = dataclasses.replace(problem, employees=(s, X, y))
    exchanged, made = improve(problem, roster, until=forever())
    assert made == 0
    assert set(exchanged) == set(roster)
