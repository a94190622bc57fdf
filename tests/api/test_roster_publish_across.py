"""Publishing re-checks the rules that reach across rosters — the weekly rest, the
48-hour average over the reference period, the runs of days in a row — on each team
member's shifts in every published roster plus the new one (`roster.across`), and
refuses with the consultant, the rule and the other roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.services.roster_publishing import publish_roster
from data.ops_models import Roster, RosterStatus
from tests.api.dognindsats import START, add_homes, draft_roster, refused_publication
from tests.api.world import World

NEXT_WEEK = START + dt.timedelta(days=7)


def _roster(
    session: Session,
    case_id: int,
    office_id: int,
    first_day: dt.date,
    shifts: list[tuple[int, int, str]],
    template_name: str = "3x8",
    **rules: Any,
) -> Roster:
    """A stored draft of two weeks from `first_day`: two weeks, so that a consultant's
    hours per week of two rosters stay within a 37 h contract when publishing writes
    them back as assignments."""
    return draft_roster(
        session,
        case_id,
        office_id,
        shifts,
        start=first_day,
        days=14,
        template_name=template_name,
        **rules,
    )


def _refused_then_published(
    session: Session,
    published: tuple[Roster, int, str],
    case_id: int,
    clash: list[tuple[int, int, str]],
    fine: list[tuple[int, int, str]],
    template_name: str = "3x8",
    **rules: Any,
) -> None:
    """`case_id`'s roster of the week after `published`'s (a published roster, the
    consultant and the rule its shifts meet): with the shifts `clash` its publication is
    refused, naming the consultant, the rule broken and that roster, and it stays a
    draft; with the shifts `fine` instead it is published."""
    earlier, consultant, rule = published
    (office,) = earlier.office_ids
    refused = _roster(session, case_id, office, NEXT_WEEK, clash, template_name, **rules)
    reason = refused_publication(session, refused)
    assert f"consultant {consultant}" in reason and rule in reason
    assert f"published roster {earlier.id}" in reason
    accepted = _roster(session, case_id, office, NEXT_WEEK, fine, template_name, **rules)
    assert publish_roster(session, accepted, None).status is RosterStatus.PUBLISHED


def test_publishing_refuses_a_roster_that_breaks_the_weekly_rest_with_another(
    api_engine: Engine, world: World
) -> None:
    office = world.office_naestved
    (a,), (case_1, case_2) = add_homes(api_engine, office, 1, cases=2)
    with Session(api_engine) as session:
        # case 1's week: a works the day shift 07–15 on days 3..6
        first = _roster(session, case_1, office, START, [(a, d, "D") for d in range(3, 7)])
        publish_roster(session, first, None)
        # case 2's week after it: day shifts on its days 0 and 1 are legal in its week,
        # but the 7 days 2..8 then hold no 35 h rest (31 h before day 3, 16 h between
        # shifts, 9 h after day 8); the daily rest holds (16 h after case 1's last).
        # On its days 1 and 2 instead: 40 h free from 15:00 on day 6: published
        _refused_then_published(
            session,
            (first, a, "weekly rest"),
            case_2,
            clash=[(a, 0, "D"), (a, 1, "D")],
            fine=[(a, 1, "D"), (a, 2, "D")],
        )


def test_publishing_refuses_a_roster_that_breaks_the_48_hour_average_with_another(
    api_engine: Engine, world: World
) -> None:
    office = world.office_naestved
    (a,), (case_1, case_2) = add_homes(api_engine, office, 1, cases=2)
    with Session(api_engine) as session:
        # a 7-day reference period: 48 h in any 7 days. Case 1's week: three 12 h day
        # shifts on days 4..6
        days = [(a, d, "D") for d in range(4, 7)]
        first = _roster(session, case_1, office, START, days, "2x12")
        publish_roster(session, first, None)
        # case 2's next week, its days 1 and 2 (days 8, 9): the 7 days 3..9 hold 60 h;
        # the weekly rest holds (36 h free from day 6 at 19:00). Its days 3 and 4
        # (10, 11) instead: at most 48 h in any 7 days: published
        _refused_then_published(
            session,
            (first, a, "48-hour average"),
            case_2,
            clash=[(a, 1, "D"), (a, 2, "D")],
            fine=[(a, 3, "D"), (a, 4, "D")],
            template_name="2x12",
            reference_period_days=7,
        )


def test_the_next_roster_of_the_same_case_continues_the_run_of_days(
    api_engine: Engine, world: World
) -> None:
    office = world.office_naestved
    (a, b), (case_id,) = add_homes(api_engine, office, 2)
    with Session(api_engine) as session:
        # the case's week: a works the night 23–07 on days 3..6 (four in a row, the
        # limit); its next week's roster starts the day after
        first = _roster(session, case_id, office, START, [(a, d, "N") for d in range(3, 7)])
        publish_roster(session, first, None)
        # a night on its day 0 is the 5th night in a row (the daily rest of 16 h after
        # 07:00 and the weekly rest hold): refused, naming the earlier roster of the
        # case. b instead on day 0, a on day 1 (a night off after four): published
        _refused_then_published(
            session,
            (first, a, "consecutive"),
            case_id,
            clash=[(a, 0, "N"), (b, 1, "N")],
            fine=[(b, 0, "N"), (a, 1, "N")],
        )
        # the new roster is of the same case, no re-plan of the first: both stay published
        assert session.get(Roster, first.id).status is RosterStatus.PUBLISHED  # type: ignore[union-attr]
