"""Fleet registry, events, quarantine, sequence gaps and published documents.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
    )
    op.create_table(
        "kiosks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("station_id", sa.String(64), nullable=True),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.Column("presence_changed", sa.String(32), nullable=True),
        sa.Column("software", sa.String(64), nullable=True),
        sa.Column("devices", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("telemetry", sa.Text, nullable=True),
        sa.Column("max_seq", sa.Integer, nullable=False),
        sa.Column("events_total", sa.Integer, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_events_kiosk_seq", "events", ["kiosk_id", "seq"])
    op.create_index("ix_events_type", "events", ["type"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("payload_head", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "sequence_gaps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kiosk_id", sa.String(64), sa.ForeignKey("kiosks.id"), nullable=False),
        sa.Column("first_missing", sa.Integer, nullable=False),
        sa.Column("last_missing", sa.Integer, nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("closed_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_gaps_kiosk_open", "sequence_gaps", ["kiosk_id", "closed_at"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ux_documents_version", "documents", ["kind", "scope", "version"],
                    unique=True)


def downgrade() -> None:
    for table in ("documents", "sequence_gaps", "quarantine", "events", "kiosks", "stations"):
        op.drop_table(table)
