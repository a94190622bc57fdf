"""Reception: the inbox of open requests, a new request, the match and the case."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.schemas.cases import CaseCreate
from api.schemas.common import MAX_ID
from api.schemas.matching import AssignmentConfirm, MatchResult
from api.services.cases import register_case
from api.services.errors import Conflict, DomainError, Invalid, NotFound
from api.services.matching import MatchQuery, SnapshotCache, confirm_candidates, find_candidates
from api.services.planning_date import PlanningDateCache
from api.services.web_views import (
    case_view,
    clock_now,
    consultant_names,
    language_choices,
    municipality_choices,
    open_requests,
)
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import error_page, gettext_for, reason_text, render_page, request_language
from data.models import Gender, GenderRule, InterventionType, PersonGroup
from data.ops_models import Role, utcnow

router = APIRouter()
CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
RECEPTION_ROLES = (Role.RECEPTION, Role.ADMIN)


def _cache(request: Request) -> SnapshotCache:
    cache: SnapshotCache = request.app.state.snapshot_cache
    return cache


def _planning_date(request: Request, session: Session) -> dt.date:
    """`api.services.planning_date.planning_date` through the app's cache (the book's
    recorded date is read at most every few seconds, as for the API)."""
    dates: PlanningDateCache = request.app.state.planning_dates
    return dates.get(session)


def _session(request: Request, user: WebUser | None = None) -> Session:
    return page_session(request.app.state.engine, user.user_id if user else None)


def _not_found(request: Request, error: DomainError) -> Response:

    return error_page(request, 404, error.detail)


# ------------------------------------------------------------------ inbox


@router.get("/inbox")
def inbox(request: Request, user: LoggedIn) -> Response:
    require_role(user, *RECEPTION_ROLES)
    lang = request_language(request)
    with _session(request) as session:
        today = _planning_date(request, session)
        now = clock_now(today, utcnow())
        rows = open_requests(session, now, lang)
    return render_page(
        request, "web/inbox.html", user=user, rows=rows, today=today, now=now, created=None
    )


# ------------------------------------------------------------------ new request

FORM_FIELDS = (
    "reference",
    "municipality_code",
    "intervention_type",
    "language",
    "person_group",
    "hours_per_week",
    "visits_per_week",
    "requested_start",
    "priority",
    "gender",
    "gender_rule",
    "excluded_consultant_ids",
    "needs_support_person",
    "support_hours_per_week",
)


def _form_context(session: Session, lang: str) -> dict[str, Any]:
    return {
        "municipalities": municipality_choices(session),
        "languages": language_choices(session, lang),
        "intervention_types": [t.value for t in InterventionType],
        "person_groups": [g.value for g in PersonGroup],
        "genders": [g.value for g in Gender],
        "gender_rules": [r.value for r in GenderRule],
    }


@router.get("/cases/new")
def new_request_form(request: Request, user: LoggedIn) -> Response:
    require_role(user, *RECEPTION_ROLES)
    lang = request_language(request)
    with _session(request) as session:
        today = _planning_date(request, session)
        context = _form_context(session, lang)
    values = {name: "" for name in FORM_FIELDS}
    values.update(
        {
            "person_group": "parents",
            "priority": "2",
            "visits_per_week": "2",
            "requested_start": f"{today.isoformat()}T09:00",
            "intervention_type": "family_treatment",
        }
    )
    return render_page(request, "web/case_new.html", user=user, values=values, errors={}, **context)


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _case_body(values: dict[str, str]) -> dict[str, object]:
    """The form as the API's `CaseCreate` body (validation happens there)."""
    body: dict[str, object] = {
        "reference": values["reference"].strip(),
        "municipality_code": values["municipality_code"] or None,
        "intervention_type": values["intervention_type"] or None,
        "hours_per_week": values["hours_per_week"] or None,
        "visits_per_week": values["visits_per_week"] or None,
        "requested_start": values["requested_start"] or None,
        "priority": values["priority"] or 2,
        "gender": values["gender"] or None,
        "gender_rule": values["gender_rule"] or None,
        "excluded_consultant_ids": _ids(values["excluded_consultant_ids"]),
        "needs_support_person": values["needs_support_person"] == "on",
        "support_hours_per_week": values["support_hours_per_week"] or 0,
        "languages": (
            [{"person_group": values["person_group"] or "parents", "tag": values["language"]}]
            if values["language"]
            else []
        ),
    }
    return body


def _field_of(location: tuple[int | str, ...], message: str) -> tuple[str, str]:
    """A form field for a validation error of `CaseCreate` (its JSON path)."""
    names = [str(part) for part in location if isinstance(part, str)]
    if names and names[0] in ("languages",):
        return ("language", message)
    if names and names[0] in FORM_FIELDS:
        return (names[0], message)
    # A model-level rule says "field: why".
    text = message.removeprefix("Value error, ")
    field, _, why = text.partition(": ")
    if field in FORM_FIELDS:
        return (field, why)
    if field == "lon":
        return ("municipality_code", why)
    return ("reference", text)


@router.post("/cases/new")
async def new_request(request: Request, user: CsrfChecked) -> Response:
    require_role(user, *RECEPTION_ROLES)
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FORM_FIELDS}
    errors: dict[str, str] = {}
    if not values["language"]:
        errors["language"] = gettext_for(request).gettext("Choose the family's language.")
    return await _register(request, user, values, errors)


async def _register(
    request: Request, user: WebUser, values: dict[str, str], errors: dict[str, str]
) -> Response:
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(_register_sync, request, user, values, errors)


def _register_sync(
    request: Request, user: WebUser, values: dict[str, str], errors: dict[str, str]
) -> Response:
    lang = request_language(request)
    with _session(request, user) as session:
        case_id = None
        try:
            body = CaseCreate.model_validate(_case_body(values))
        except ValidationError as error:
            for problem in error.errors():
                field, message = _field_of(tuple(problem["loc"]), problem["msg"])
                errors.setdefault(field, message)
        else:
            if not errors:
                try:
                    case_id = register_case(session, body).id
                except Invalid as error:
                    for p in error.problems:
                        errors.setdefault(p.field.removeprefix("body."), p.message)
                except DomainError as error:
                    errors.setdefault("reference", error.detail)
        if case_id is not None:
            return RedirectResponse(f"/cases/{case_id}/match", status_code=303)
        context = _form_context(session, lang)
    return render_page(
        request,
        "web/case_new.html",
        status_code=422,
        user=user,
        values=values,
        errors=errors,
        **context,
    )


# ------------------------------------------------------------------ match


def _match(request: Request, session: Session, case_id: int) -> MatchResult:
    today = _planning_date(request, session)
    return find_candidates(session, _cache(request), case_id, MatchQuery(as_of=today, top=5))


def _match_page(
    request: Request,
    user: WebUser,
    case_id: int,
    status_code: int = 200,
    message: str | None = None,
    partial: bool = False,
) -> Response:
    lang = request_language(request)
    with _session(request) as session:
        try:
            view = case_view(session, case_id, lang)
            result: MatchResult | None = _match(request, session, case_id)
        except NotFound as error:
            return _not_found(request, error)
        except Conflict as error:
            result, message = None, error.detail
        ids = set()
        if result is not None:
            ids |= {c.consultant_id for c in result.candidates + result.support_candidates}
            for exclusion in result.exclusions:
                ids |= {m.consultant_id for m in exclusion.nearest_misses}
            if result.reshuffle is not None:
                for move in result.reshuffle.moves:
                    ids |= {move.from_consultant_id, move.to_consultant_id}
        names = consultant_names(session, sorted(ids))
    template = "web/_ranking.html" if partial else "web/match.html"
    return render_page(
        request,
        template,
        status_code=status_code,
        user=user,
        view=view,
        result=result,
        names=names,
        message=message,
    )


@router.get("/cases/{case_id}/match")
def match_page(request: Request, user: LoggedIn, case_id: CaseId) -> Response:
    require_role(user, *RECEPTION_ROLES)
    return _match_page(request, user, case_id)


@router.post("/cases/{case_id}/confirm")
async def confirm(request: Request, user: CsrfChecked, case_id: CaseId) -> Response:
    require_role(user, *RECEPTION_ROLES)
    form = await request.form()
    body = {
        "seats": [
            {
                "consultant_id": form.get("consultant_id"),
                "role": form.get("role") or "primary",
                "consultant_version": form.get("consultant_version") or None,
            }
        ],
        "moves": [
            {"assignment_id": a, "to_consultant_id": t}
            for a, t in zip(form.getlist("move_assignment"), form.getlist("move_to"), strict=False)
        ],
    }
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(_confirm_sync, request, user, case_id, body)


def _confirm_sync(
    request: Request, user: WebUser, case_id: int, body: dict[str, object]
) -> Response:
    _ = gettext_for(request).gettext
    partial = bool(request.headers.get("HX-Request"))
    try:
        choice = AssignmentConfirm.model_validate(body)
    except ValidationError:
        return _match_page(request, user, case_id, 422, _("The choice was not valid."), partial)
    with _session(request, user) as session:
        try:
            today = _planning_date(request, session)
            confirm_candidates(session, _cache(request), case_id, choice, None, today)
        except NotFound as error:
            return _not_found(request, error)
        except DomainError as error:
            session.rollback()
            _cache(request).invalidate()
            message = _(
                "Someone else changed this meanwhile: %(reason)s. Here is the fresh ranking."
            ) % {"reason": reason_text(request, error.detail)}
            return _match_page(request, user, case_id, 409, message, partial)
    target = f"/cases/{case_id}?confirmed=1"
    if partial:
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


# ------------------------------------------------------------------ case


@router.get("/cases/{case_id}")
def case_page(request: Request, user: LoggedIn, case_id: CaseId) -> Response:
    lang = request_language(request)
    with _session(request) as session:
        try:
            view = case_view(session, case_id, lang)
        except NotFound as error:
            return _not_found(request, error)
    return render_page(
        request,
        "web/case.html",
        user=user,
        view=view,
        confirmed=request.query_params.get("confirmed") == "1",
    )
