"""Domain tables: geography, consultants, coordinators, cases, assignments.

Revision ID: 0001_domain
Revises:
Create Date: 2026-11-23

Generated with ``alembic revision --autogenerate`` against data/models.py, then checked
by hand: tables owned by the API (data/ops_models.py) moved to 0002_*, SQLModel's
AutoString replaced by plain ``sa.String`` (same DDL), and timezone-aware datetimes
spelt out. Enum columns store the member *names* (SQLModel/SQLAlchemy default); on
PostgreSQL they become native enum types, ``gender`` shared by two tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_domain"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENDER = sa.Enum("FEMALE", "MALE", name="gender")


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "municipality",
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("region_code", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_municipality_name", "municipality", ["name"], unique=True)
    op.create_index("ix_municipality_region_code", "municipality", ["region_code"])

    op.create_table(
        "office",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("serves_regions", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_code"], ["municipality.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_office_name", "office", ["name"], unique=True)

    op.create_table(
        "consultant",
        sa.Column("employee_ref", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("home_municipality_code", sa.Integer(), nullable=False),
        sa.Column("home_lat", sa.Float(), nullable=False),
        sa.Column("home_lon", sa.Float(), nullable=False),
        sa.Column("gender", GENDER, nullable=False),
        sa.Column("qualifications", sa.JSON(), nullable=False),
        sa.Column("intervention_types", sa.JSON(), nullable=False),
        sa.Column("cultural_countries", sa.JSON(), nullable=False),
        sa.Column("competence_tags", sa.JSON(), nullable=False),
        sa.Column("contracted_hours_per_week", sa.Float(), nullable=False),
        sa.Column("max_cases", sa.Integer(), nullable=False),
        sa.Column("takes_night_shifts", sa.Boolean(), nullable=False),
        sa.Column("has_driving_licence", sa.Boolean(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["home_municipality_code"], ["municipality.code"]),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consultant_employee_ref", "consultant", ["employee_ref"], unique=True)
    op.create_index("ix_consultant_office_id", "consultant", ["office_id"])

    op.create_table(
        "coordinator",
        sa.Column("employee_ref", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("max_caseload", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_coordinator_employee_ref", "coordinator", ["employee_ref"], unique=True)
    op.create_index("ix_coordinator_office_id", "coordinator", ["office_id"])

    op.create_table(
        "absence",
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum("VACATION", "SICK", "TRAINING", "OTHER", name="absencereason"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["consultant_id"], ["consultant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_absence_consultant_id", "absence", ["consultant_id"])

    op.create_table(
        "consultantlanguage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=35), nullable=False),
        sa.Column(
            "level", sa.Enum("NATIVE", "FLUENT", "WORKING", name="languagelevel"), nullable=False
        ),
        sa.ForeignKeyConstraint(["consultant_id"], ["consultant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consultant_id", "tag"),
    )
    op.create_index("ix_consultantlanguage_consultant_id", "consultantlanguage", ["consultant_id"])
    op.create_index("ix_consultantlanguage_tag", "consultantlanguage", ["tag"])

    op.create_table(
        "family_case",
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column(
            "intervention_type",
            sa.Enum(
                "FAMILY_TREATMENT",
                "INTENSIVE_FAMILY_TREATMENT",
                "SUPPORT_PERSON",
                "CONTACT_PERSON",
                "COORDINATING_CONSULTANT",
                "DOGNINDSATS",
                name="interventiontype",
            ),
            nullable=False,
        ),
        sa.Column("needs_support_person", sa.Boolean(), nullable=False),
        sa.Column("support_hours_per_week", sa.Float(), nullable=False),
        sa.Column("cultural_countries", sa.JSON(), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("visits_per_week", sa.Float(), nullable=False),
        sa.Column("requested_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_end", sa.Date(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("gender", GENDER, nullable=True),
        sa.Column(
            "gender_rule", sa.Enum("REQUIRED", "PREFERRED", name="genderrule"), nullable=True
        ),
        sa.Column("preferred_consultant_id", sa.Integer(), nullable=True),
        sa.Column("excluded_consultant_ids", sa.JSON(), nullable=False),
        sa.Column("required_qualifications", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("REQUESTED", "ACTIVE", "ENDED", name="casestatus"),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_code"], ["municipality.code"]),
        sa.ForeignKeyConstraint(["preferred_consultant_id"], ["consultant.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_family_case_municipality_code", "family_case", ["municipality_code"])
    op.create_index("ix_family_case_reference", "family_case", ["reference"], unique=True)

    op.create_table(
        "caselanguage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_group", sa.Enum("PARENTS", "CHILD", name="persongroup"), nullable=False),
        sa.Column("tag", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["family_case.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "person_group", "tag"),
    )
    op.create_index("ix_caselanguage_case_id", "caselanguage", ["case_id"])
    op.create_index("ix_caselanguage_tag", "caselanguage", ["tag"])

    op.create_table(
        "assignment",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=True),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column(
            "role",
            sa.Enum("PRIMARY", "SUPPORT", "COORDINATOR", name="assignmentrole"),
            nullable=False,
        ),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("PROPOSED", "CONFIRMED", "ENDED", name="assignmentstatus"),
            nullable=False,
        ),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["family_case.id"]),
        sa.ForeignKeyConstraint(["consultant_id"], ["consultant.id"]),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinator.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_assignment_case_id", "assignment", ["case_id"])
    op.create_index("ix_assignment_consultant_id", "assignment", ["consultant_id"])
    op.create_index("ix_assignment_coordinator_id", "assignment", ["coordinator_id"])


def downgrade() -> None:
    for table in (
        "assignment",
        "caselanguage",
        "family_case",
        "consultantlanguage",
        "absence",
        "coordinator",
        "consultant",
        "office",
        "municipality",
        "region",
    ):
        op.drop_table(table)  # indexes go with their table
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for enum in (
            "assignmentstatus",
            "assignmentrole",
            "persongroup",
            "casestatus",
            "genderrule",
            "interventiontype",
            "languagelevel",
            "absencereason",
            "gender",
        ):
            op.execute(f"DROP TYPE IF EXISTS {enum}")
