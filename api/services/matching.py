"""Reception: rank candidates for a case on a cached snapshot; check a chosen consultant.

Loading the snapshot reads the whole book of business (a few SELECTs, ~100 ms), so
the API keeps the latest one in memory: it is reused until a write through this API
(any successful POST/PUT/PATCH/DELETE other than a match) invalidates it, or until
`snapshot_ttl_seconds` have passed (writes by other processes). One snapshot is kept
per planning date, at most `snapshot_cache_size` of them (the least recently used goes
first), and those past the TTL are dropped when the next one is loaded: clients asking
for many dates cannot grow the process without bound. A ranking — and the
consultant versions it quotes — may thus be a few seconds stale; a confirmation never
is: it re-checks capacity and the versions inside its transaction (409 if they moved;
see `api.services.assignments`). A repeated match on a fresh snapshot is answered from
memory without touching the database.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from api.schemas.matching import (
    AssignmentConfirm,
    CandidateOut,
    CoordinatorOut,
    ExclusionsOut,
    MatchResult,
    MoveOut,
    NearMissOut,
    PairOut,
    ReshuffleOut,
    TeamOut,
    TeamRosterRequest,
)
from api.services.assignments import Confirmation, StaticCheck, confirm
from api.services.errors import Conflict, Invalid
from api.services.references import get_or_404
from api.services.teams import team_roles
from data.models import AssignmentRole, Case, CaseStatus, Consultant, InterventionType
from matcher.problem import MatchProblem

if TYPE_CHECKING:
    from matcher.rank import Candidate, Exclusions, Ranking

log = logging.getLogger("famplan.api.matching")


#: A døgnindsats team's shift template and consultants per shift (`matcher.team`).
TeamShape = tuple[str, int]
DEFAULT_TEAM: TeamShape = ("3x8", 1)
#: What a match answer depends on: (case id, top, reshuffle?), and for a team shape other
#: than the default its template and consultants per shift.
MatchKey = tuple[int, int, bool] | tuple[int, int, bool, str, int]


def match_key(
    case_id: int, top: int, propose_reshuffle: bool, team: TeamShape = DEFAULT_TEAM
) -> MatchKey:
    if team == DEFAULT_TEAM:
        return (case_id, top, propose_reshuffle)
    return (case_id, top, propose_reshuffle, *team)


@dataclass
class _Entry:
    as_of: dt.date
    generation: int
    loaded_at: float
    problem: MatchProblem
    #: When a request last used it (`SnapshotCache` drops the least recently used).
    used_at: float = 0.0
    #: Consultant id → version (the optimistic lock a confirmation sends back), read
    #: together with the snapshot so a cached match needs no query.
    versions: dict[int, int] = field(default_factory=dict)
    #: Rankings computed on this snapshot: (case id, top, reshuffle?) → Ranking. The
    #: same snapshot gives the same answer, so a repeated match costs nothing.
    rankings: dict[MatchKey, Ranking] = field(default_factory=dict)
    #: The answers built from those rankings (or team proposals) and `versions`, same
    #: keys …
    results: dict[MatchKey, MatchResult] = field(default_factory=dict)
    #: … and their JSON, made once on the first repeat.
    payloads: dict[MatchKey, bytes] = field(default_factory=dict)


class SnapshotCache:
    """The latest `MatchProblem` per planning date, shared by the request threads: at
    most `max_entries` dates (least recently used dropped first), none past the TTL.

    `clock` is the monotonic clock (tests pass their own)."""

    def __init__(
        self,
        ttl_seconds: float = 30.0,
        cache_rankings: bool = True,
        max_entries: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.cache_rankings = cache_rankings
        self.max_entries = max(1, max_entries)
        self._clock = clock
        self._generation = 0
        self._entries: dict[dt.date, _Entry] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Snapshots held in memory."""
        return len(self._entries)

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def get(self, session: Session, as_of: dt.date, case_id: int | None = None) -> MatchProblem:
        return self.entry(session, as_of, case_id).problem

    def holds(self, as_of: dt.date, case_id: int) -> bool:
        """Whether a fresh snapshot for `as_of` holds `case_id` (then open or running)."""
        return self._fresh(self._entries.get(as_of), case_id)

    def cached_result(
        self,
        as_of: dt.date,
        case_id: int,
        top: int,
        propose_reshuffle: bool,
        team: TeamShape = DEFAULT_TEAM,
    ) -> MatchResult | None:
        """The answer of an identical match on the current, fresh snapshot — or None.

        No database work: a case in a fresh snapshot was open or running when it was
        read, and every write through this API invalidates the snapshot.
        """
        entry = self._entries.get(as_of)
        if not self._fresh(entry, case_id):
            return None
        assert entry is not None
        return entry.results.get(match_key(case_id, top, propose_reshuffle, team))

    def cached_payload(
        self,
        as_of: dt.date,
        case_id: int,
        top: int,
        propose_reshuffle: bool,
        team: TeamShape = DEFAULT_TEAM,
    ) -> bytes | None:
        """`cached_result` as the JSON body of the response (serialised once)."""
        entry = self._entries.get(as_of)
        if not self._fresh(entry, case_id):
            return None
        assert entry is not None
        key = match_key(case_id, top, propose_reshuffle, team)
        payload = entry.payloads.get(key)
        if payload is None:
            result = entry.results.get(key)
            if result is None:
                return None
            payload = entry.payloads[key] = result.model_dump_json().encode()
        return payload

    def entry(self, session: Session, as_of: dt.date, case_id: int | None = None) -> _Entry:
        entry = self._entries.get(as_of)
        if self._fresh(entry, case_id):
            assert entry is not None
            entry.used_at = self._clock()  # a plain attribute: no lock on the hot path
            return entry
        with self._lock:
            entry = self._entries.get(as_of)
            if self._fresh(entry, case_id):
                assert entry is not None
                return entry
            from api.services.snapshot import load_match_problem

            generation = self._generation
            problem = load_match_problem(session, as_of)
            now = self._clock()
            fresh = _Entry(as_of, generation, now, problem, now, _load_versions(session))
            if self.cache_rankings and entry is not None and entry.problem == problem:
                # Reloaded (TTL or an unrelated write) but nothing the matcher sees has
                # changed: the rankings still hold, and the answers too if no version moved.
                fresh.rankings = dict(entry.rankings)
                if entry.versions == fresh.versions:
                    fresh.results = dict(entry.results)
                    fresh.payloads = dict(entry.payloads)
            self._entries[as_of] = fresh
            self._drop_expired_and_least_used(keep=as_of, now=now)
            return fresh

    def _drop_expired_and_least_used(self, keep: dt.date, now: float) -> None:
        """Under `_lock`: forget snapshots past the TTL, then the least recently used
        beyond `max_entries`; never the one just loaded (`keep`)."""
        for day, entry in list(self._entries.items()):
            if day != keep and now - entry.loaded_at >= self.ttl_seconds:
                del self._entries[day]
        while len(self._entries) > self.max_entries:
            oldest = min(self._entries.values(), key=lambda entry: entry.used_at)
            del self._entries[oldest.as_of]

    def _fresh(self, entry: _Entry | None, case_id: int | None) -> bool:
        return (
            entry is not None
            and entry.generation == self._generation
            and self._clock() - entry.loaded_at < self.ttl_seconds
            and (case_id is None or case_id in entry.problem.case_by_id)
        )


def _load_versions(session: Session) -> dict[int, int]:
    return {
        consultant_id: version
        for consultant_id, version in session.exec(select(Consultant.id, Consultant.version))
        if consultant_id is not None
    }


class MatchQuery(BaseModel):
    """What reception asks: the planning date, how many candidates, and whether to look
    for a reshuffle when nobody is free."""

    model_config = ConfigDict(frozen=True)

    as_of: dt.date
    top: int = Field(default=5, ge=1)
    propose_reshuffle: bool = True
    #: For a døgnindsats: the roster's shift template and consultants per shift.
    team: TeamShape = DEFAULT_TEAM


def find_candidates(
    session: Session, cache: SnapshotCache, case_id: int, query: MatchQuery
) -> MatchResult:
    """Reception's match: ranked candidates for a case on the (cached) snapshot of
    `query.as_of`, with exclusions and, if nobody is free, a reshuffle.

    An unknown case is `NotFound`; an ended one, or one that is neither requested nor
    running on the planning date, a `Conflict`.
    """
    if not cache.holds(query.as_of, case_id):
        # Checked before the snapshot is (re)loaded: an unknown or ended case must not
        # force a reload. A case in a fresh snapshot was open or running when it was
        # read (ending it through this API invalidates the snapshot).
        case = get_or_404(session, Case, case_id, "case")
        if case.status is CaseStatus.ENDED:
            raise Conflict(f"case {case_id} has ended; nothing to match")
    return match_case(
        session, cache, case_id, query.as_of, query.top, query.propose_reshuffle, query.team
    )


def match_case(
    session: Session,
    cache: SnapshotCache,
    case_id: int,
    as_of: dt.date,
    top: int,
    propose_reshuffle: bool,
    team: TeamShape = DEFAULT_TEAM,
) -> MatchResult:
    """`find_candidates` on a case known to exist: the ranking and the answer are kept
    with the snapshot, so the same question costs nothing the second time. A døgnindsats
    is answered with a team (`team_match_result`)."""
    entry = cache.entry(session, as_of, case_id)
    problem = entry.problem
    if case_id not in problem.case_by_id:
        raise Conflict(f"case {case_id} is neither requested nor running; nothing to match")
    key = match_key(case_id, top, propose_reshuffle, team)
    result = entry.results.get(key)
    if result is not None:
        return result
    if problem.case_by_id[case_id].intervention_type == InterventionType.DOGNINDSATS.value:
        result = team_match_result(problem, case_id, team, entry.versions)
        if cache.cache_rankings:
            entry.results[key] = result
        return result
    ranking = entry.rankings.get(key)
    if ranking is None:
        ranking = _rank(problem, case_id, top, propose_reshuffle)
    result = to_match_result(problem, ranking, entry.versions)
    if cache.cache_rankings:
        entry.rankings[key] = ranking
        entry.results[key] = result
    return result


def proposed_team(
    session: Session,
    cache: SnapshotCache,
    case_id: int,
    as_of: dt.date,
    team: TeamShape = DEFAULT_TEAM,
) -> TeamOut:
    """The team a døgnindsats's match proposes on `as_of`, with the roster request that
    plans exactly it: `POST /v1/cases/{id}/match` answers it, the match page links the
    roster form to it, and `famplan roster` plans from it — one team for all three.
    `NotFound` for an unknown case, `Invalid` for one that is no døgnindsats, `Conflict`
    for one that is neither requested nor running."""
    case = get_or_404(session, Case, case_id, "case")
    if case.intervention_type is not InterventionType.DOGNINDSATS:
        raise Invalid.field("case_id", f"case {case_id} is not a døgnindsats")
    result = match_case(session, cache, case_id, as_of, 1, False, team)
    assert result.team is not None  # a døgnindsats is answered with a team
    return result.team


def _rank(problem: MatchProblem, case_id: int, top: int, propose_reshuffle: bool) -> Ranking:
    from matcher.rank import rank

    try:
        return rank(problem, case_id, top, propose_reshuffle=propose_reshuffle)
    except ValueError as error:
        if not propose_reshuffle:
            raise
        # A reshuffle that cannot be built must not cost reception its ranking.
        log.warning(
            "reshuffle for case %d failed (%s); ranking without it", case_id, type(error).__name__
        )
        return rank(problem, case_id, top, propose_reshuffle=False)


def _candidate_out(
    problem: MatchProblem,
    versions: dict[int, int],
    c: Candidate,
    role: AssignmentRole | None = None,
) -> CandidateOut:
    return CandidateOut(
        consultant_id=c.consultant_id,
        consultant_ref=problem.consultant_by_id[c.consultant_id].ref,
        consultant_version=versions.get(c.consultant_id, 0),
        role=role or AssignmentRole(str(c.role)),
        score=round(c.score, 3),
        breakdown={k: round(v, 3) for k, v in c.breakdown.items()},
        reasons=list(c.reasons),
        travel_minutes=round(c.travel_minutes, 1),
        free_hours=round(c.free_hours, 1),
    )


def _exclusions_out(excluded: Exclusions) -> ExclusionsOut:
    return ExclusionsOut(
        role=AssignmentRole(str(excluded.role)),
        considered=excluded.considered,
        counts=dict(excluded.counts),
        nearest_misses=[
            NearMissOut(consultant_id=m.consultant_id, rule=str(m.reason.rule), text=m.text)
            for m in excluded.nearest_misses
        ],
        summary=list(excluded.summary),
    )


def to_match_result(
    problem: MatchProblem, ranking: Ranking, versions: dict[int, int]
) -> MatchResult:
    def candidate(c: Candidate) -> CandidateOut:
        return _candidate_out(problem, versions, c)

    exclusions = [_exclusions_out(excluded) for excluded in ranking.excluded.values()]
    reshuffle = None
    if ranking.reshuffle is not None:
        r = ranking.reshuffle
        reshuffle = ReshuffleOut(
            role=AssignmentRole(str(r.role)),
            freed_consultant_id=r.freed_consultant_id,
            moves=[
                MoveOut(
                    assignment_id=m.assignment_id,
                    case_id=m.case_id,
                    role=AssignmentRole(str(m.role)),
                    from_consultant_id=m.from_consultant_id,
                    to_consultant_id=m.to_consultant_id,
                    hours=m.hours,
                    text=m.text,
                )
                for m in r.moves
            ],
            score_gain=round(r.score_gain, 3),
            status=r.status,
            explanation=list(r.explanation),
        )
    return MatchResult(
        case_id=ranking.case_id,
        feasible=ranking.feasible,
        candidates=[candidate(c) for c in ranking.candidates],
        support_candidates=[candidate(c) for c in ranking.support_candidates],
        pairs=[
            PairOut(
                primary=candidate(p.primary), support=candidate(p.support), score=round(p.score, 3)
            )
            for p in ranking.pairs
        ],
        exclusions=exclusions,
        reshuffle=reshuffle,
        coordinator=_coordinator_out(problem, ranking.case_id),
    )


def team_match_result(
    problem: MatchProblem, case_id: int, team: TeamShape, versions: dict[int, int]
) -> MatchResult:
    """A døgnindsats's match: the team it needs (`matcher.team.propose_team`) as the
    candidates — the best one primary, the others support, as publishing writes them —
    and the roster request that plans it with exactly those people (the hand-off: a team
    leader plans and publishes the roster, and publishing writes the team back as the
    case's assignments)."""
    from matcher.rules import start_day
    from matcher.team import propose_team

    proposal = propose_team(problem, case_id, *team)
    case = problem.case_by_id[case_id]
    roles = team_roles([member.consultant_id for member in proposal.members])
    members = [
        _candidate_out(problem, versions, member, roles[member.consultant_id])
        for member in proposal.members
    ]
    # the members' offices (each serves the region): the pool, and whose team leaders plan
    offices = sorted({problem.consultant_by_id[m.consultant_id].office_id for m in members})
    team_out = TeamOut(
        template=proposal.template,
        consultants_per_shift=proposal.consultants_per_shift,
        cover_hours_per_week=proposal.cover_hours_per_week,
        roster_lower_bound=proposal.roster_lower_bound,
        team_size=proposal.team_size,
        share_hours=proposal.share_hours,
        feasible=proposal.feasible,
        missing=proposal.missing,
        why=list(proposal.why),
        members=members,
        roster_request=TeamRosterRequest(
            case_ids=[case_id],
            start_date=start_day(problem, case),
            template=proposal.template,
            consultants_per_shift=proposal.consultants_per_shift,
            office_ids=offices,
            consultant_ids=[m.consultant_id for m in members],
        ),
    )
    return MatchResult(
        case_id=case_id,
        feasible=proposal.feasible,
        candidates=members,
        support_candidates=[],
        pairs=[],
        exclusions=[_exclusions_out(proposal.exclusions)],
        reshuffle=None,
        coordinator=_coordinator_out(problem, case_id),
        team=team_out,
    )


def _coordinator_out(problem: MatchProblem, case_id: int) -> CoordinatorOut | None:
    from matcher.coordinators import propose_coordinator

    proposal = propose_coordinator(problem, case_id)
    if proposal is None:
        return None
    return CoordinatorOut(
        coordinator_id=proposal.coordinator_id,
        coordinator_ref=problem.coordinator_by_id[proposal.coordinator_id].ref,
        office_id=proposal.office_id,
        caseload=proposal.caseload,
        max_caseload=proposal.max_caseload,
        current=proposal.current,
        reasons=list(proposal.reasons),
    )


def confirm_candidates(
    session: Session,
    cache: SnapshotCache,
    case_id: int,
    body: AssignmentConfirm,
    actor_key_id: int | None,
    today: dt.date,
) -> Confirmation:
    """Reception's confirmation: the chosen consultants (after the reshuffle moves, if
    any) are checked against the rules the match applied — on the snapshot of the
    assignments' first day — and against capacity and versions inside the transaction
    (`api.services.assignments.confirm`); a `Conflict` names what changed."""
    get_or_404(session, Case, case_id, "case")
    problem = cache.get(session, body.start or today, case_id)
    return confirm(session, case_id, body, actor_key_id, static_checker(problem), today)


def static_checker(problem: MatchProblem) -> StaticCheck:
    """A `StaticCheck` on a snapshot: language, intervention type, qualifications,
    exclusions, gender, absence and travel (capacity is checked in the transaction)."""
    from matcher.problem import Role
    from matcher.rules import STATIC_RULES, first_failure

    def check(case_id: int, consultant_id: int, role: AssignmentRole) -> str | None:
        case = problem.case_by_id.get(case_id)
        consultant = problem.consultant_by_id.get(consultant_id)
        if consultant is None:
            return f"consultant {consultant_id} is not active on {problem.as_of.isoformat()}"
        if case is None:
            return f"case {case_id} is neither requested nor running"
        reason = first_failure(problem, case, Role(role.value), consultant, STATIC_RULES)
        if reason is None:
            return None
        return f"consultant {consultant_id} is not a candidate: {reason.text}"

    return check
