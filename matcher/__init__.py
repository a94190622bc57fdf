"""Pure matching: compatibility rules, scoring, single-request ranking, batch CP-SAT.

No database, no HTTP, no pandas I/O. Public entry points (signatures are stable):

- `matcher.problem.MatchProblem` (+ `ConsultantData`, `CaseData`, `CoordinatorData`,
  `OfficeData`, `RunningAssignment`, `MatchSettings`, `Weights`): one validated snapshot.
- `matcher.rank.rank(problem, case_id, top=5, *, propose_reshuffle=True,
  reshuffle_time_limit=1.0) -> Ranking`: reception.
- `matcher.reshuffle.reshuffle(problem, case_id, role=Role.PRIMARY, *, max_moves=2,
  time_limit=1.0) -> Reshuffle | None`: the smallest set of moves that frees someone.
- `matcher.batch.optimize(problem, time_limit=10.0, seed=0, num_workers=8, *,
  deterministic=False, relative_gap=0.0, log=False, on_solution=None) -> BatchResult`.
- `matcher.greedy.greedy(problem) -> BatchResult`: the baseline.
- `matcher.plans`: plans compared — today's (`current_seats`), a batch or greedy result
  (`view_from_batch`) — as placements, loads and headline KPIs (`kpi_rows`).
- `matcher.gap.solve_gap(instance, sense, time_limit, seed, num_workers) -> GapResult`
  with `matcher.read.read_gap(path)`: the OR-Library yardstick on the same core
  (`matcher.core.solve_core`).

Every result's `status` is a `solving.status.SolveStatus`, as in `roster`.

The DB bridge is `api.services.snapshot.load_match_problem(session, as_of)`.
"""
