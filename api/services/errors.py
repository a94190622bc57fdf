"""Domain errors of the application services.

Services raise these; each front end translates them once: the API into a problem
document (`api.problems`), the CLI into a message and an exit code, the web pages into
a flash message. No service imports an HTTP type.

Messages are written by the services and never carry personal values (a field's name,
an id and the rule it breaks, not what was typed).
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A use case refused its input; `detail` says why in words meant for the user."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The entity does not exist (or the caller may not know that it does)."""

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(f"{entity} {entity_id} does not exist")
        self.entity = entity
        self.entity_id = entity_id


class Conflict(DomainError):
    """The request is valid but the current state refuses it (a stale version, a lock,
    a full consultant, a roster in the wrong state)."""


class Forbidden(DomainError):
    """The caller's role or offices do not allow this."""


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: its JSON-style path (``body.start``) and the rule it breaks."""

    field: str
    message: str


class Invalid(DomainError):
    """One or more fields of the input break a rule; each names its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        if not problems:
            raise ValueError("Invalid needs at least one field problem")
        if len(problems) == 1:
            detail = f"{problems[0].field}: {problems[0].message}"
        else:
            detail = f"{len(problems)} fields invalid"
        super().__init__(detail)
        self.problems = problems

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        return cls([FieldProblem(field, message)])
