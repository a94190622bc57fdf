"""One employee's best schedule by dynamic programming over days, and a first roster
built from such schedules: fast at any horizon, where CP-SAT is not.

Where each part lives, the order to read them in:

- `roster.programme`: one employee's programme (`EmployeeProgramme`), its per-type and
  weekend maxima priced (`best` for best responses, `price` for column generation);
- `roster.schedule_paths`: its runs, the best path through (day, automaton state,
  minutes) for a score (`SchedulePaths`), small maxima counted in the state or not;
- `roster.automaton`: an employee's day-to-day rules as the automaton those paths
  follow, as rows for the compiled loops (`roster.kernels`) and minimised;
- `roster.best_responses`: a first roster from such schedules, and rounds of best
  responses (`first_roster`, `BestResponses`).

Applies (`applicable`) when the employees meet only through the cover of one case
and every rule is one the programme states exactly or prices; otherwise None, and
the caller uses its other means. Pure: no I/O.
"""

from __future__ import annotations

from roster.problem import RosterProblem


def applicable(problem: RosterProblem) -> bool:
    """True when every hard rule and objective term is one the programme states: one
    case, cover, requests and preferred shift types as the only costs, and no rule
    that spans shifts by clock time (rest, weekly rest, nights in a row) or the
    legal on-site and night-worker averages."""
    p, w, r = problem, problem.weights, problem.rules
    if len(p.cases) != 1 or w.lexicographic:
        return False
    if w.team_member or w.block or w.isolated_shift or w.face_per_time_of_day:
        return False
    if w.night_spread or w.weekend_spread:
        return False
    if r.min_rest_minutes or r.weekly_rest_minutes is not None:
        return False
    if r.max_consecutive_nights is not None or r.within_contract:
        return False
    if r.max_average_weekly_minutes is not None or r.night_worker_average_minutes_per_24h:
        return False
    if any(d.gender or (p.case[d.case].language and d.needs_language) for d in p.cover):
        return False
    return all(
        not e.busy and not e.worked_days_before and not e.nights_before and not e.committed_minutes
        for e in p.employees
    )


__all__ = ["applicable"]
