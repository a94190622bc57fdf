"""The parameters of a døgnindsats roster, built in one place.

`POST /v1/rosters` (`roster_params`), `famplan roster` and the report
(`case_roster_params`) all store the same dict on the job and the `Roster` row, from
which `api.services.roster_problem.build_problem` builds the problem (again, for a repair).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.schemas.rosters import RosterCreate
from api.services.errors import FieldProblem, Invalid, NotFound
from data.models import Case, InterventionType, Municipality, Office

#: The stored parameters: JSON (ids, numbers, ISO dates, strings).
StoredParams = dict[str, object]


def require_dognindsats_cases(session: Session, case_ids: Sequence[int]) -> list[Case]:
    """The cases of a roster; each must exist and be a døgnindsats (else `Invalid`,
    naming ``body.case_ids.<index>``)."""
    cases = []
    for index, case_id in enumerate(case_ids):
        case = session.get(Case, case_id)
        if case is None:
            raise Invalid.field(f"body.case_ids.{index}", f"unknown case id {case_id}")
        if case.intervention_type is not InterventionType.DOGNINDSATS:
            raise Invalid.field(f"body.case_ids.{index}", f"case {case_id} is not a døgnindsats")
        cases.append(case)
    return cases


def roster_params(
    session: Session,
    request: RosterCreate,
    office_ids: Sequence[int],
    *,
    default_time_limit: float,
    work_per_second: float | None,
) -> StoredParams:
    """The stored parameters of a roster for `request`, whose consultants come from
    `office_ids` (already checked against the caller's scope).

    `default_time_limit` applies when the request names none; `work_per_second` is the
    work rate of a reproducible search, kept so that the roster's repairs follow it.
    """
    require_dognindsats_cases(session, request.case_ids)
    return {
        **request.model_dump(mode="json", exclude={"office_ids", "time_limit_seconds"}),
        "office_ids": list(office_ids),
        "time_limit_seconds": request.time_limit_seconds or default_time_limit,
        "work_per_second": work_per_second,
    }


def offices_serving(session: Session, case_id: int) -> list[int]:
    """Every office serving the region of the case's municipality (a case's pool)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    town = session.get(Municipality, case.municipality_code)
    region = town.region_code if town else ""
    return sorted(
        office.id
        for office in session.exec(select(Office).order_by(col(Office.id)))
        if office.id is not None and region in office.serves_regions
    )


def case_roster_params(
    session: Session,
    case_id: int,
    start: dt.date,
    days: int,
    template_name: str,
    per_shift: int = 1,
    time_limit: float = 20.0,
    seed: int = 0,
    *,
    reproducible: bool = True,
    work_per_second: float | None = None,
    office_ids: Sequence[int] | None = None,
    consultant_ids: Sequence[int] = (),
) -> StoredParams:
    """`roster_params` for one døgnindsats with the pool of every office serving its
    region (the report, which acts for no office in particular), or with `office_ids`
    and only `consultant_ids` of them (`famplan roster`: the match's proposed team)."""
    try:
        request = RosterCreate.model_validate(
            {
                "case_ids": [case_id],
                "start_date": start,
                "days": days,
                "template": template_name,
                "consultants_per_shift": per_shift,
                "seed": seed,
                "reproducible": reproducible,
                "consultant_ids": list(consultant_ids),
            }
        )
    except ValidationError as error:
        raise Invalid(
            [
                FieldProblem(".".join(str(part) for part in problem["loc"]), problem["msg"])
                for problem in error.errors()
            ]
        ) from None
    return roster_params(
        session,
        request,
        offices_serving(session, case_id) if office_ids is None else office_ids,
        default_time_limit=time_limit,
        work_per_second=work_per_second,
    )
