"""The per-employee dynamic programme (`roster.programme`, `roster.best_responses`):
exact against every schedule of a week, the priced maxima kept, a legal first roster,
and the solve paths that start from it."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from roster import Assignment, Roster, RosterProblem, SolveStatus, total, validate
from roster.automaton import AutomatonCache
from roster.best_responses import BestResponses, first_roster
from roster.examples import dognindsats_problem
from roster.programme import EmployeeProgramme
from roster.read_nrp import parse_nrp
from roster.sequences import applicable
from tests.roster.instances import FAR
from tests.roster.test_windows import (
    generated_nrp,
    solved_in_windows,
)


def one_person_week(seed: int, max_d: int = 7) -> str:
    """One employee, a week from Monday, shifts D (8 h) and L (10 h, no D the day
    after); 3 to 5 shifts (1440-2400 min), runs of 2-3 days, 2 days off after a run,
    one weekend; each (day, shift) demanded once at a random weight, two requests."""
    rng = random.Random(seed)
    lines = ["SECTION_HORIZON", "7", "", "SECTION_SHIFTS", "D,480,", "L,600,D", ""]
    lines += ["SECTION_STAFF", f"A,D={max_d}|L=7,2400,1440,3,2,2,1", ""]
    lines += ["SECTION_DAYS_OFF", "A,4", "", "SECTION_SHIFT_ON_REQUESTS", "A,1,L,3", ""]
    lines += ["SECTION_SHIFT_OFF_REQUESTS", "A,2,D,2", "", "SECTION_COVER"]
    lines += [f"{d},{s},1,{rng.randrange(1, 50)},1" for d in range(7) for s in "DL"]
    return "\n".join(lines) + "\n"


def brute_force_best(p: RosterProblem) -> int:
    """The least objective over all 3^7 schedules the validator accepts."""
    best = None
    for choice in itertools.product([None, "D", "L"], repeat=7):
        roster = tuple(Assignment(d, s, "ward", "A") for d, s in enumerate(choice) if s)
        if not validate(p, roster):
            value = total(p, roster)
            best = value if best is None else min(best, value)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(4))
def test_the_programme_finds_the_best_legal_week_of_all_3_to_the_7(seed: int) -> None:
    # Every schedule of the week checked by the independent validator: the programme's
    # best (most cover weight less request cost) is the least objective among them.
    p = parse_nrp(one_person_week(seed), name="week")
    assert applicable(p)
    programme = EmployeeProgramme(p, p.employee["A"])
    gain = np.zeros((7, 3))
    for c in p.cover:
        gain[c.day, programme.symbols.index(c.shift)] = p.under_weight(c)
    found = programme.best(gain)
    assert found is not None
    # the objective is every demand's weight less those covered, plus unmet requests:
    # the weights in all less the programme's value (cover gained less request cost)
    all_weights = sum(p.under_weight(c) for c in p.cover)
    best = brute_force_best(p)
    assert all_weights - round(found[1]) == best
    roster = first_roster(p, FAR)
    assert roster is not None and validate(p, roster) == []
    assert total(p, roster) == best


def test_a_priced_maximum_is_kept_and_fires() -> None:
    # At most two D: the best week of seed 1 without the limit is five D (its D weights
    # are high), with it at most two. Priced, not stated: legal, but the prices alone
    # reach 244 (every price that keeps two D keeps fewer); the first pass that cuts
    # the schedule that broke it back to its two best D days reaches the best of all
    # legal weeks, 237.
    free = parse_nrp(one_person_week(1), name="week")
    capped = parse_nrp(one_person_week(1, max_d=2), name="week")
    unlimited = first_roster(free, FAR)
    limited = first_roster(capped, FAR)
    cut_back = first_roster(capped, FAR, responses=BestResponses(capped, cut_back=True))
    assert unlimited is not None and limited is not None and cut_back is not None
    assert sum(a.shift == "D" for a in unlimited) == 5
    assert sum(a.shift == "D" for a in limited) <= 2
    assert validate(capped, limited) == [] == validate(capped, cut_back)
    assert total(capped, limited) == 244 > total(capped, cut_back) == 237
    assert brute_force_best(capped) == 237


def _week_gain(p: RosterProblem, programme: EmployeeProgramme) -> np.ndarray:
    gain = np.zeros((p.days, len(programme.symbols)))
    for c in p.cover:
        gain[c.day, programme.symbols.index(c.shift)] = p.under_weight(c)
    return gain


def test_a_schedule_cut_back_to_its_maximum_beats_the_prices_and_fires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seed 1's week capped at two D: no price settles it (at a price keeping two D the
    # programme takes fewer), so the last schedule over the cap, cut back to its two
    # best D days (`_restricted`), is compared and taken: 237, the best legal week,
    # where the best legal schedule of the prices alone was 244.
    p = parse_nrp(one_person_week(1, max_d=2), name="week")
    programme = EmployeeProgramme(p, p.employee["A"])
    cut_backs: list[int] = []
    restricted = EmployeeProgramme._restricted

    def counted(self: EmployeeProgramme, *args: object) -> object:
        cut_backs.append(1)
        return restricted(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(EmployeeProgramme, "_restricted", counted)
    found = programme.best(_week_gain(p, programme), cut_back=True)
    assert found is not None
    assert cut_backs
    all_weights = sum(p.under_weight(c) for c in p.cover)
    assert all_weights - round(found[1]) == 237
    assert sum(1 for k in found[0] if programme.symbols[k] == "D") == 2


def test_the_first_pass_cuts_back_only_where_a_type_maximum_binds() -> None:
    # Capped at two D of seven days, the maximum binds: the first pass asked to cut
    # back does so once (the prices alone 244, cut back 237, as above). At seven D of
    # seven days no type maximum can bind (one shift a day): the pass asked to cut
    # back never does (Instance20's contracts, types at 0 or all of the days), so it
    # is the plain pass, five D and the best week.
    capped = parse_nrp(one_person_week(1, max_d=2), name="week")
    free = parse_nrp(one_person_week(1), name="week")
    assert EmployeeProgramme(capped, capped.employee["A"]).type_maximum_binds
    assert not EmployeeProgramme(free, free.employee["A"]).type_maximum_binds
    cutting = BestResponses(capped, cut_back=True)
    assert cutting.first_pass(FAR, FAR)
    assert cutting.cut_backs == 1
    assert total(capped, cutting.roster()) == 237
    unbound = BestResponses(free, cut_back=True)
    plain = BestResponses(free)
    assert unbound.first_pass(FAR, FAR) and plain.first_pass(FAR, FAR)
    assert unbound.cut_backs == 0
    assert unbound.roster() == plain.roster()
    assert sum(a.shift == "D" for a in unbound.roster()) == 5
    assert total(free, unbound.roster()) == brute_force_best(free)


def test_no_cut_back_where_no_maximum_binds(monkeypatch: pytest.MonkeyPatch) -> None:
    # Seed 1's week with D at most 7: no schedule breaks a maximum, so the legal best
    # (five D) is proven and no schedule is cut back.
    p = parse_nrp(one_person_week(1), name="week")
    programme = EmployeeProgramme(p, p.employee["A"])

    def refused(self: EmployeeProgramme, *args: object) -> object:
        raise AssertionError("cut back where no maximum binds")

    monkeypatch.setattr(EmployeeProgramme, "_restricted", refused)
    found = programme.best(_week_gain(p, programme), cut_back=True)
    assert found is not None
    assert sum(1 for k in found[0] if programme.symbols[k] == "D") == 5


def test_first_roster_of_a_pool_is_legal_and_covers() -> None:
    # Six weeks, five staff, two of each shift a day: best responses against the others'
    # cover; far better than nobody working (two people a shift are within reach)
    p = generated_nrp(6, 5)
    roster = first_roster(p, FAR)
    assert roster is not None
    assert validate(p, roster) == []
    assert total(p, roster) < total(p, ()) // 2


def test_not_applicable_where_the_employees_meet_beyond_cover() -> None:
    # a døgnindsats: a case language, rest by clock time, the team term
    p = dognindsats_problem(cases=1, pool_size=6, weeks=2)
    assert not applicable(p)
    assert first_roster(p, FAR) is None


def test_a_problem_too_big_to_build_starts_from_the_programme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the windows after the programme search reproducibly, a capped number of them: the
    # same roster under any load
    p = generated_nrp(8, 5)
    result = solved_in_windows(monkeypatch, p, time_limit=600)
    assert result.status is SolveStatus.FEASIBLE
    assert "dynamic programme" in result.message
    assert validate(p, result.roster) == []
    assert result.objective == total(p, result.roster)


def test_best_responses_resume_from_any_roster_to_the_best_week() -> None:
    # One employee: a best response is the best legal week (brute force, as above).
    # Resumed from nobody working (short of the 1440-minute minimum) one round reaches
    # it; resumed from it, a round finds nothing better and keeps it.
    p = parse_nrp(one_person_week(0), name="week")
    best = brute_force_best(p)
    search = BestResponses(p)
    assert first_roster(p, FAR, responses=search) is not None
    search.adopt(())
    assert search.rounds(FAR, most=1) is True
    resumed = search.roster()
    assert validate(p, resumed) == [] and total(p, resumed) == best
    search.adopt(resumed)
    assert search.rounds(FAR) is False
    assert search.roster() == resumed


def test_the_first_pass_may_end_after_the_deadline_when_given_until_then() -> None:
    # A deadline already past (perf_counter() is positive): no roster, unless the pass
    # may finish later; then each employee gets one price round and the roster is legal
    p = generated_nrp(6, 5)
    assert first_roster(p, 0.0) is None
    late = first_roster(p, 0.0, finish_by=FAR)
    assert late is not None and validate(p, late) == []
    # and with a later deadline for its rounds (the past one only paced the pass),
    # rounds of best responses improve it
    improved = first_roster(p, 0.0, finish_by=FAR, rounds_until=FAR)
    assert improved is not None and validate(p, improved) == []
    assert total(p, improved) < total(p, late)


def test_the_window_sweeps_alternate_with_rounds_of_best_responses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A stand-in for the windows' LNS that takes E0 off every shift on its first sweep
    # (legal: no minimum hours) and changes nothing after: the round of best responses
    # that follows gives E0 shifts again, below the stand-in's value. With a hint (no
    # programme's state to resume) the windows alone run, once, and their roster stands.
    import importlib

    solve_module = importlib.import_module("roster.solve")
    windows_module = importlib.import_module("roster.windows")
    p = generated_nrp(8, 5)
    values: list[int] = []

    def fake_improve(
        problem: RosterProblem, roster: Roster, value: int, *args: object, **kwargs: object
    ) -> tuple[Roster, int, int]:
        if not values:
            roster = tuple(a for a in roster if a.employee != "E0")
            value = int(total(problem, roster))
        values.append(value)
        return roster, value, 1

    monkeypatch.setattr(windows_module, "improve", fake_improve)
    # the windows and the rounds only: no employee groups (`roster.groups`)
    monkeypatch.setattr(importlib.import_module("roster.groups"), "MIN_GROUP_SIZE", 10**9)
    result = solve_module.solve_in_windows(p, time_limit=600, dp_share=0.5)
    assert validate(p, result.roster) == []
    assert any(a.employee == "E0" for a in result.roster)
    assert result.objective is not None and result.objective < values[0]
    assert len(values) >= 2

    values.clear()
    hint = first_roster(p, FAR)
    assert hint is not None
    hinted = solve_module.solve_in_windows(p, time_limit=600, hint=hint)
    assert len(values) == 1
    assert not any(a.employee == "E0" for a in hinted.roster)


def test_rounds_stop_after_one_that_gains_less_than_min_gain() -> None:
    # Every round gains less than all of the objective: min_gain=1 stops after the
    # first, the roster of `most=1`; without it the rounds go on and gain more here
    p = generated_nrp(6, 5)
    searches = [BestResponses(p) for _ in range(3)]
    for search in searches:
        assert search.first_pass(FAR, FAR)
    one, cut, full = searches
    one.rounds(FAR, most=1)
    cut.rounds(FAR, min_gain=1.0)
    full.rounds(FAR)
    assert cut.roster() == one.roster()
    assert full.objective() < one.objective()


@pytest.mark.parametrize("seed", range(4))
def test_the_minimised_option_solves_over_the_minimised_automaton(seed: int) -> None:
    # The same week by both programmes: `minimised` runs `SchedulePaths.solve_exact` (the
    # automaton's minimised form is made, no band of minutes), the default the band
    # programme (a band, no minimised form); both find a path of the same best worth, and
    # the minimised first roster is the best legal week of all 3^7, as the default's is.
    p = parse_nrp(one_person_week(seed), name="week")
    banded = EmployeeProgramme(p, p.employee["A"])
    minimised = EmployeeProgramme(p, p.employee["A"], minimised=True)
    score = np.zeros((7, 3))
    for c in p.cover:
        score[c.day, banded.symbols.index(c.shift)] = p.under_weight(c)
    score -= banded.cost
    found = [x.paths.solve(score, weekend_price=11.0) for x in (banded, minimised)]
    paths = [path for path in found if path is not None]
    assert len(paths) == 2
    worth = [
        float(sum(score[d, k] for d, k in enumerate(path))) - 11.0 * banded._charged_weekends(path)
        for path in paths
    ]
    assert abs(worth[0] - worth[1]) < 1e-6
    assert minimised.automaton is not None and minimised.automaton.collapsed is not None
    assert minimised.paths._reaches == {}
    assert banded.automaton is not None and banded.automaton.collapsed is None
    assert banded.paths._reaches != {}
    roster = first_roster(p, FAR, minimised=True)
    assert roster is not None and validate(p, roster) == []
    assert total(p, roster) == brute_force_best(p)


def test_employees_with_the_same_run_limits_share_one_automaton() -> None:
    # A pool's employees with one set of run limits: one automaton (and its minimised
    # form) serves them all when they share the cache; without it each builds its own.
    p = generated_nrp(weeks=2, staff=3)
    automata: AutomatonCache = {}
    programmes = [EmployeeProgramme(p, e, automata=automata) for e in p.employees]
    assert len(automata) == 1
    assert all(x.automaton is programmes[0].automaton for x in programmes)
    alone = EmployeeProgramme(p, p.employees[1])
    assert alone.automaton is not programmes[0].automaton
