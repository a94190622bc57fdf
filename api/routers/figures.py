"""PNG figures: a roster's grid and supply vs demand (the report's plot functions)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import select

from api.deps import AS_OF_HELP, AnyUser, PlannerUser, PlanningDateDep, SessionDep
from api.problems import ApiProblem
from api.report import figure_png
from api.report_builder import figure_of
from api.report_data import contract_hours_of, load_capacity, roster_view_from_rows
from api.routers.common import NoNul
from api.schemas.common import MAX_ID, PlanningDate
from data.capacity import balances
from data.ops_models import Roster, RosterShift
from data.plotting import plot_supply_demand
from roster.plotting import plot_roster_grid

router = APIRouter(tags=["figures"])
PNG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}}, "description": "A PNG image."}
}


@router.get("/rosters/{roster_id}/grid.png", response_class=Response, responses=PNG)
def roster_grid_png(
    roster_id: Annotated[int, Path(ge=1, le=MAX_ID, description="Roster id.", examples=[3])],
    session: SessionDep,
    principal: PlannerUser,
) -> Response:
    """The roster as a grid: days across, shifts down, one colour per consultant."""
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise ApiProblem(404, f"roster {roster_id} not found")
    if not (principal.is_admin or principal.may_act_for_offices(set(roster.office_ids))):
        raise ApiProblem(403, "this roster belongs to another office")
    shifts = list(session.exec(select(RosterShift).where(RosterShift.roster_id == roster_id)))
    people = sorted({s.consultant_id for s in shifts if s.consultant_id is not None})
    view = roster_view_from_rows(roster, shifts, contract_hours_of(session, people))
    return Response(figure_png(figure_of(plot_roster_grid(view))), media_type="image/png")


@router.get("/kpis/supply.png", response_class=Response, responses=PNG)
def supply_png(
    session: SessionDep,
    _principal: AnyUser,
    planning_day: PlanningDateDep,
    as_of: Annotated[PlanningDate | None, Query(description=AS_OF_HELP)] = None,
    region: Annotated[
        str | None, Query(max_length=40, description="One region, e.g. Sjælland."), NoNul
    ] = None,
) -> Response:
    """Running cases, open requests and free consultant hours per language."""
    day = as_of or planning_day
    snapshot = load_capacity(session, day)
    cells = balances(snapshot.consultants, snapshot.demands, on=day)
    if region is not None and region not in {cell.region for cell in cells}:
        raise ApiProblem(422, f"region {region!r}: no demand or supply there")
    axes = plot_supply_demand(cells, region=region)
    return Response(figure_png(figure_of(axes)), media_type="image/png")
