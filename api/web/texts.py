"""Texts the templates show for enum values (``_(case.status.value)``), listed here so
that Babel extracts them into the catalogue."""


def _(text: str) -> str:
    return text


ENUM_TEXTS = (
    # roles
    _("reception"),
    _("team_leader"),
    _("admin"),
    # intervention types
    _("family_treatment"),
    _("intensive_family_treatment"),
    _("support_person"),
    _("contact_person"),
    _("coordinating_consultant"),
    _("dognindsats"),
    # person groups, genders, gender rules
    _("parents"),
    _("child"),
    _("female"),
    _("male"),
    _("required"),
    _("preferred"),
    # case, assignment and roster statuses; assignment roles
    _("requested"),
    _("active"),
    _("ended"),
    _("proposed"),
    _("confirmed"),
    _("primary"),
    _("support"),
    _("coordinator"),
    _("pending"),
    _("failed"),
    _("draft"),
    _("published"),
    _("superseded"),
    # job statuses
    _("queued"),
    _("running"),
    _("succeeded"),
    # kinds of follow-ups (`data.models.FollowUpKind`)
    _("municipal_follow_up"),
    _("status_report"),
    _("network_meeting"),
    _("after_end_call"),
    # kinds of batch moves
    _("new"),
    _("move"),
    _("unassigned"),
    # the key figures of a batch re-optimisation (`matcher.plans.kpi_rows`)
    _("exact dialect %"),
    _("fallback languages"),
    _("mean travel min"),
    _("p95 travel min"),
    _("utilisation spread (sd %)"),
    _("unplaced"),
    _("over contract (consultants)"),
)
