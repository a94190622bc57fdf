"""API keys as the admin routes show them (never the hash; the key itself only once)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from sqlmodel import SQLModel

from api.schemas.common import DbId, RequestModel, with_examples
from data.ops_models import Role


class ApiKeyCreate(RequestModel):
    model_config = with_examples(
        {"role": "team_leader", "office_ids": [6], "label": "Næstved team leaders"}
    )

    role: Role
    #: Offices a team leader may plan for; required for (and only for) team leaders.
    office_ids: list[DbId] = Field(default_factory=list, max_length=20)
    label: str = Field(default="", max_length=80)


class ApiKeyPublic(SQLModel):
    model_config = with_examples(
        {
            "id": 2,
            "prefix": "k3x9a0qz",
            "role": "team_leader",
            "office_ids": [6],
            "label": "Næstved team leaders",
            "created_at": "2026-03-01T08:00:00",
            "revoked_at": None,
        }
    )

    id: int
    prefix: str
    role: Role
    office_ids: list[int]
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """The new key. `key` is shown this once; only its hash is stored."""

    model_config = with_examples(
        {
            "id": 2,
            "prefix": "k3x9a0qz",
            "role": "team_leader",
            "office_ids": [6],
            "label": "Næstved team leaders",
            "created_at": "2026-03-01T08:00:00",
            "revoked_at": None,
            "key": "fp_k3x9a0qz_6oX…",
        }
    )

    key: str
