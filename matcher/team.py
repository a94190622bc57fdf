"""Team placement: a døgnindsats is covered by a team, not by one 168-hour seat.

`propose_team(problem, case_id, template_name)` says how many people the roster will
need, why, and which consultants could form the team. Each member must pass, as one
seat of the team would:

- every hard rule of a seat (`matcher.rules.HARD_RULES`): the family's language at
  working level or better (the seed: the same language is decisive in the home), takes
  døgnindsats, not excluded, present on the start day, within reach, case maximum;
- **office serves the region** (`office_rule`): the roster's pool is the consultants of
  the offices serving the family's region (`api.services.roster_params.offices_serving`);
- **free hours for the share** (the capacity rule on the member's share): the week's
  cover spread evenly over the team, `cover hours ÷ team size`.

The size comes from the hours arithmetic the roster itself bounds the team with
(`roster.model_terms.add_team`: each member's minutes ≤ their limit, so the team is at
least the cover over the largest limit): the template's cover (e.g. 3x8, one consultant per shift:
168 h a week) over what one member may carry. The roster's legal limit is the contract
(`RosterRules.within_contract`) and the 48-hour average; matching plans family hours
only (`MatchSettings.family_hours`: the contract less the reserved share) and never
more than a member has free, so the team is the smallest n for which n members each
have `cover ÷ n` hours free — 6 of 28 h for 3x8 when everyone has a free 37-hour
contract (31.45 family hours), where the roster's own bound is 5 (168 ÷ 37).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from matcher.problem import CaseData, ConsultantData, MatchProblem, Role
from matcher.rank import Candidate, Exclusions, rank_seat
from matcher.rules import Reason, RuleName
from roster.problem import RosterRules
from roster.templates import template as shift_template

#: The contract assumed when the snapshot holds no consultant at all.
STANDARD_CONTRACT_HOURS = 37.0


@dataclass(frozen=True)
class TeamProposal:
    """The team a døgnindsats needs and the consultants proposed for it."""

    case_id: int
    template: str
    consultants_per_shift: int
    #: Hours of presence the template covers per week (the contract count).
    cover_hours_per_week: float
    #: The roster's own lower bound: cover ÷ the largest legal load of one member.
    roster_lower_bound: int
    #: People the roster will need, as matching plans them (family hours).
    team_size: int
    #: Hours a week each member must have free: cover ÷ team size.
    share_hours: float
    members: tuple[Candidate, ...]
    #: Who was not a member and why (the seat's rules, the office and the share).
    exclusions: Exclusions
    why: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return len(self.members) >= self.team_size

    @property
    def missing(self) -> int:
        return max(0, self.team_size - len(self.members))


def cover_hours_per_week(template_name: str, per_shift: int = 1) -> float:
    """Hours a week the template covers with `per_shift` consultants on each shift, as
    the contract counts them (a sleep-in night counts its counted hours)."""
    return sum(s.minutes for s in shift_template(template_name)) * 7 * per_shift / 60


def legal_weekly_hours(contract_hours: float, rules: RosterRules | None = None) -> float:
    """The most a member may work a week in the roster: the contract (with the allowed
    overtime) and the 48-hour average, the stricter."""
    rules = rules or RosterRules()
    limits = [math.inf]
    if rules.within_contract:
        limits.append(contract_hours * (100 + rules.contract_overtime_percent) / 100)
    if rules.max_average_weekly_minutes is not None:
        limits.append(rules.max_average_weekly_minutes / 60)
    return min(limits)


def office_rule(problem: MatchProblem, case: CaseData, consultant: ConsultantData) -> Reason | None:
    """The member's office serves the family's region (the roster's pool)."""
    if problem.office_serves(consultant.office_id, case.region):
        return None
    office = problem.office_by_id.get(consultant.office_id)
    name = office.name if office is not None and office.name else f"office {consultant.office_id}"
    return Reason(RuleName.OFFICE_REGION, f"{name} does not serve the family's region")


def _qualified(
    problem: MatchProblem, case: CaseData, share: float
) -> tuple[list[Candidate], Exclusions]:
    """The consultants who pass every team rule with `share` hours a week, best first,
    and who did not and why."""
    seat = dataclasses.replace(case, hours_per_week=share)
    ranked, excluded = rank_seat(problem, seat, Role.PRIMARY, len(problem.consultants))
    members = [
        c
        for c in ranked
        if office_rule(problem, case, problem.consultant_by_id[c.consultant_id]) is None
    ]
    counts = dict(excluded.counts)
    if len(ranked) > len(members):
        counts[RuleName.OFFICE_REGION.value] = len(ranked) - len(members)
    return members, dataclasses.replace(excluded, counts=counts)


def propose_team(
    problem: MatchProblem, case_id: int, template_name: str = "3x8", per_shift: int = 1
) -> TeamProposal:
    """The team for døgnindsats `case_id` (see the module docstring). Raises `KeyError`
    if the case is not in the problem, `ValueError` for an unknown template."""
    case = problem.case_by_id[case_id]
    cover = cover_hours_per_week(template_name, per_shift)
    shortest = min(s.minutes for s in shift_template(template_name)) / 60
    largest_contract = max(
        (c.capacity_hours for c in problem.consultants), default=STANDARD_CONTRACT_HOURS
    )
    bound = math.ceil(cover / legal_weekly_hours(largest_contract) - 1e-9)
    planned = max(bound, math.ceil(cover / problem.settings.family_hours(largest_contract) - 1e-9))
    # A member carries at least one shift a week: beyond that the team only grows.
    largest_team = max(planned, math.ceil(cover / shortest))
    # Fewer qualify at a larger share: at the smallest share `most` do, so no team larger
    # than `most` can be found (and none at all when `most` < `planned`).
    most = len(_qualified(problem, case, cover / largest_team)[0])
    first: tuple[int, float, list[Candidate], Exclusions] | None = None
    chosen = None
    for size in range(planned, max(planned, min(largest_team, most)) + 1):
        members, excluded = _qualified(problem, case, cover / size)
        if first is None:
            first = (size, cover / size, members, excluded)
        if len(members) >= size:
            chosen = (size, cover / size, members[:size], excluded)
            break
    assert first is not None
    # Too few qualify at any share: the plan stays the first size, short of people.
    size, share, members, excluded = chosen or first
    why = _why(template_name, per_shift, cover, largest_contract, bound, size, share, members)
    return TeamProposal(
        case_id=case_id,
        template=template_name,
        consultants_per_shift=per_shift,
        cover_hours_per_week=round(cover, 2),
        roster_lower_bound=bound,
        team_size=size,
        share_hours=round(share, 2),
        members=tuple(members),
        exclusions=excluded,
        why=why,
    )


def _why(
    template_name: str,
    per_shift: int,
    cover: float,
    contract: float,
    bound: int,
    size: int,
    share: float,
    members: list[Candidate],
) -> tuple[str, ...]:
    lines = [
        f"{template_name} with {per_shift} consultant(s) per shift covers {cover:g} h a week",
        f"the roster's own bound: {cover:g} h ÷ at most {legal_weekly_hours(contract):g} h "
        f"a week per member (contract and 48-hour average) = at least {bound} people",
        f"matching plans family hours only: {size} people with {share:.1f} h free each",
    ]
    if len(members) < size:
        lines.append(
            f"only {len(members)} consultant(s) qualify: {size - len(members)} more needed"
        )
    return tuple(lines)
