"""Applications and their status history.

Revision ID: 0003_applications
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_applications"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("tracking_no", sa.String(40), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.String(32), nullable=False),
        sa.Column("submitted_day", sa.String(10), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("applicant_masked", sa.String(40), nullable=False),
        sa.Column("applicant_ref", sa.String(64), nullable=False),
        sa.Column("id_number", sa.String(32), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("visits", sa.Integer, nullable=False),
    )
    op.create_index("ix_applications_applicant", "applications", ["applicant_ref"])
    op.create_index("ix_applications_day", "applications", ["submitted_day", "station_id"])
    op.create_table(
        "application_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tracking_no", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
    )
    op.create_index("ix_application_history_tracking", "application_history", ["tracking_no"])


def downgrade() -> None:
    op.drop_index("ix_application_history_tracking", "application_history")
    op.drop_table("application_history")
    op.drop_index("ix_applications_day", "applications")
    op.drop_index("ix_applications_applicant", "applications")
    op.drop_table("applications")
