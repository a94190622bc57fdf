"""The audit log: who confirmed, applied, published or repaired what, and when (ids and
numbers; the one text is the reason reception gives for ending a døgnindsats at short
notice, which the municipality's decision needs on record)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from data.ops_models import AuditAction, AuditEvent


def record(
    session: Session,
    actor_key_id: int | None,
    action: AuditAction,
    entity_type: str,
    entity_ids: Iterable[int],
    **related_ids: int | list[int] | str | None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change)."""
    event = AuditEvent(
        actor_key_id=actor_key_id,
        action=action,
        entity_type=entity_type,
        entity_ids=[int(i) for i in entity_ids],
        related_ids={k: v for k, v in related_ids.items() if v is not None},
    )
    session.add(event)
    return event
