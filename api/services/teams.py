"""A døgnindsats's team as assignments: one primary, the others support.

The match proposes a team (`api.services.matching.team_match_result`) and publishing a
roster writes one (`api.services.roster_publishing.write_team_assignments`); both give the roles
the same way, here.
"""

from __future__ import annotations

from collections.abc import Sequence

from data.models import AssignmentRole


def team_roles(members: Sequence[int], primary: int | None = None) -> dict[int, AssignmentRole]:
    """Consultant id → role for a team listed best first: `primary` stays primary while
    on the team (a running team keeps its primary), otherwise the first member is; every
    other member is support."""
    if primary not in members:
        primary = members[0] if members else None
    return {
        member: AssignmentRole.PRIMARY if member == primary else AssignmentRole.SUPPORT
        for member in members
    }
