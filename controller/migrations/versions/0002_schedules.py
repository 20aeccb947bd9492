"""Schedule versions, administrator calendar years, calendar snapshots, appointments.

Revision ID: 0002_schedules
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_schedules"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("calendar_fingerprint", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.UniqueConstraint("station_id", "version", name="ux_schedule_versions"),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("official", sa.Boolean, nullable=False),
        sa.Column("loaded_at", sa.String(32), nullable=False),
        sa.Column("loaded_by", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "calendar_snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(80), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("years", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("slot_start", sa.String(32), nullable=False),
        sa.Column("slot_end", sa.String(32), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("masked_name", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("cancelled_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_appointments_slot", "appointments",
                    ["station_id", "service_id", "slot_start"])
    op.create_table(
        "appointment_seats",
        sa.Column("station_id", sa.String(64), primary_key=True),
        sa.Column("service_id", sa.String(64), primary_key=True),
        sa.Column("slot_start", sa.String(32), primary_key=True),
        sa.Column("seat", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("appointment_id", sa.Integer, sa.ForeignKey("appointments.id"),
                  nullable=False, unique=True),
    )


def downgrade() -> None:
    for table in ("appointment_seats", "appointments", "calendar_snapshots", "calendar_years",
                  "schedule_versions"):
        op.drop_table(table)
