"""Publishing re-checks the rules that reach across rosters — the weekly rest, the
48-hour average over the reference period, the runs of days in a row — on each team
member's shifts in every published roster plus the new one (`roster.across`), and
refuses with the consultant, the rule and the other roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.services.errors import Conflict
from api.services.rosters import publish_roster
from data.ops_models import Roster, RosterStatus
from tests.api.dognindsats import START, add_dognindsats, add_pool, draft_roster
from tests.api.world import World


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


def _assert_refused(
    session: Session, roster: Roster, consultant: int, rule: str, other: Roster
) -> None:
    """Publishing `roster` is refused, naming the consultant, the rule broken and the
    other roster, and the roster stays a draft."""
    with pytest.raises(Conflict) as refused:
        publish_roster(session, roster, None)
    assert session.get(Roster, roster.id).status is RosterStatus.DRAFT  # type: ignore[union-attr]
    detail = refused.value.detail
    assert f"consultant {consultant}" in detail and rule in detail
    assert f"published roster {other.id}" in detail


NEXT_WEEK = START + dt.timedelta(days=7)


def test_publishing_refuses_a_roster_that_breaks_the_weekly_rest_with_another(
    api_engine: Engine, world: World
) -> None:
    with Session(api_engine) as session:
        (a,) = add_pool(session, world.office_naestved, 1)
        case_1 = add_dognindsats(session, "TEST-DOGN-1")
        case_2 = add_dognindsats(session, "TEST-DOGN-2")
        session.commit()
        office = world.office_naestved
        # case 1's week: a works the day shift 07–15 on days 3..6
        first = _roster(session, case_1, office, START, [(a, d, "D") for d in range(3, 7)])
        publish_roster(session, first, None)
        # case 2's week after it: day shifts on its days 0 and 1 are legal in its week,
        # but the 7 days 2..8 then hold no 35 h rest (31 h before day 3, 16 h between
        # shifts, 9 h after day 8); the daily rest holds (16 h after case 1's last)
        clash = _roster(session, case_2, office, NEXT_WEEK, [(a, 0, "D"), (a, 1, "D")])
        _assert_refused(session, clash, a, "weekly rest", first)
        # on its days 1 and 2 instead: 40 h free from 15:00 on day 6: published
        fine = _roster(session, case_2, office, NEXT_WEEK, [(a, 1, "D"), (a, 2, "D")])
        assert publish_roster(session, fine, None).status is RosterStatus.PUBLISHED


def test_publishing_refuses_a_roster_that_breaks_the_48_hour_average_with_another(
    api_engine: Engine, world: World
) -> None:
    with Session(api_engine) as session:
        (a,) = add_pool(session, world.office_naestved, 1)
        case_1 = add_dognindsats(session, "TEST-DOGN-1")
        case_2 = add_dognindsats(session, "TEST-DOGN-2")
        session.commit()
        office = world.office_naestved
        # a 7-day reference period: 48 h in any 7 days. Case 1's week: three 12 h day
        # shifts on days 4..6
        days = [(a, d, "D") for d in range(4, 7)]
        first = _roster(session, case_1, office, START, days, "2x12")
        publish_roster(session, first, None)
        # case 2's next week, its days 1 and 2 (days 8, 9): the 7 days 3..9 hold 60 h;
        # the weekly rest holds (36 h free from day 6 at 19:00)
        clash = _roster(
            session,
            case_2,
            office,
            NEXT_WEEK,
            [(a, 1, "D"), (a, 2, "D")],
            "2x12",
            reference_period_days=7,
        )
        _assert_refused(session, clash, a, "48-hour average", first)
        # its days 3 and 4 (10, 11): at most 48 h in any 7 days: published
        fine = _roster(
            session,
            case_2,
            office,
            NEXT_WEEK,
            [(a, 3, "D"), (a, 4, "D")],
            "2x12",
            reference_period_days=7,
        )
        assert publish_roster(session, fine, None).status is RosterStatus.PUBLISHED


def test_the_next_roster_of_the_same_case_continues_the_run_of_days(
    api_engine: Engine, world: World
) -> None:
    with Session(api_engine) as session:
        a, b = add_pool(session, world.office_naestved, 2)
        case_id = add_dognindsats(session, "TEST-DOGN-1")
        session.commit()
        office = world.office_naestved
        # the case's week: a works the night 23–07 on days 3..6 (four in a row, the
        # limit); its next week's roster starts the day after
        first = _roster(session, case_id, office, START, [(a, d, "N") for d in range(3, 7)])
        publish_roster(session, first, None)
        # a night on its day 0 is the 5th night in a row (the daily rest of 16 h after
        # 07:00 and the weekly rest hold): refused, naming the earlier roster of the case
        fifth = _roster(session, case_id, office, NEXT_WEEK, [(a, 0, "N"), (b, 1, "N")])
        _assert_refused(session, fifth, a, "consecutive", first)
        # b instead on day 0, a on day 1 (a night off after four): published
        fine = _roster(session, case_id, office, NEXT_WEEK, [(b, 0, "N"), (a, 1, "N")])
        assert publish_roster(session, fine, None).status is RosterStatus.PUBLISHED
        # the new roster is of the same case, no re-plan of the first: both stay published
        assert session.get(Roster, first.id).status is RosterStatus.PUBLISHED  # type: ignore[union-attr]
