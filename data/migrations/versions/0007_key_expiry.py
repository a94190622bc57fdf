"""API keys that expire by themselves: the session key of `famplan serve`.

Revision ID: 0007_key_expiry
Revises: 0006_users
Create Date: 2026-12-04

Adds `data.ops_models.ApiKey.expires_at` (nullable). `famplan serve` gives its session
admin key an expiry a few minutes ahead and renews it while the server runs, so a key
left behind by a killed server stops working by itself. Keys created before this
revision (and by `famplan keys create` or the API) keep no expiry.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_key_expiry"
down_revision: str | None = "0006_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.drop_column("expires_at")
