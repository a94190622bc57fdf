"""Capacity: the report's supply-and-demand figures on a page (every role)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.services.capacity_view import capacity_figures, language_name
from api.services.planning_date import PlanningDateCache
from api.web.security import LoggedIn, page_session
from api.web.templating import render_page, request_language

router = APIRouter()


@router.get("/capacity")
def capacity_page(request: Request, user: LoggedIn) -> Response:
    dates: PlanningDateCache = request.app.state.planning_dates
    lang = request_language(request)
    with page_session(request.app.state.engine) as session:
        figures = capacity_figures(session, dates.get(session))
    return render_page(
        request,
        "web/capacity.html",
        user=user,
        figures=figures,
        language_name=lambda tag: language_name(tag, lang),
    )
