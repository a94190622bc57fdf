"""The sick-call repair form of a published roster: what was typed, its field errors,
and the change it asks for (`RepairCreate`, the body of ``POST /v1/rosters/{id}/repair``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from api.schemas.rosters import RepairCreate
from api.services.errors import Invalid

KINDS = ("sick", "leaves_team", "extend")
FIELDS = ("consultant_id", "start", "end", "from_date", "extra_days", "time_limit_seconds")
#: Which fields each kind sends (the others stay in the form but are not read).
KIND_FIELDS = {
    "sick": ("consultant_id", "start", "end"),
    "leaves_team": ("consultant_id", "from_date"),
    "extend": ("extra_days",),
}
#: A page's default repair time: short, the team leader waits for it.
DEFAULT_TIME_LIMIT = "5"
_REPAIR = TypeAdapter[RepairCreate](RepairCreate)


@dataclass
class RepairForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def blank(cls, today: dt.date) -> RepairForm:
        day = today.isoformat()
        return cls(
            {
                "kind": "sick",
                "consultant_id": "",
                "start": day,
                "end": day,
                "from_date": day,
                "extra_days": "7",
                "time_limit_seconds": DEFAULT_TIME_LIMIT,
            }
        )

    @classmethod
    def typed(cls, form: Mapping[str, object]) -> RepairForm:
        values = {name: str(form.get(name) or "").strip() for name in ("kind", *FIELDS)}
        return cls(values)

    def change(self) -> RepairCreate | None:
        """The change asked for, or None with `errors` naming each wrong field."""
        kind = self.values["kind"]
        if kind not in KINDS:
            self.errors["kind"] = "choose what happened"
            return None
        body: dict[str, object] = {"kind": kind}
        for name in (*KIND_FIELDS[kind], "time_limit_seconds"):
            if self.values[name]:
                body[name] = self.values[name]
            elif name != "time_limit_seconds":
                self.errors[name] = "Field required"
        if self.errors:
            return None
        try:
            return _REPAIR.validate_python(body)
        except ValidationError as error:
            for problem in error.errors():
                self._note(problem["loc"], str(problem["msg"]))
            return None

    def refused(self, error: Invalid) -> None:
        """The service's field errors (``body.start``) put at their fields."""
        for problem in error.problems:
            self._note(tuple(problem.field.split(".")), problem.message)

    def _note(self, location: tuple[int | str, ...], message: str) -> None:
        message = message.removeprefix("Value error, ")
        named, _, rest = message.partition(": ")
        if named in FIELDS and rest:  # a model validator names its field
            self.errors.setdefault(named, rest)
            return
        names = [part for part in location if isinstance(part, str) and part in FIELDS]
        self.errors.setdefault(names[-1] if names else "kind", message)
