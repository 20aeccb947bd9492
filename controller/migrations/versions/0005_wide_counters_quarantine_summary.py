"""Sequence numbers and counters as signed 64-bit; quarantine keeps a masked excerpt.

A kiosk's sequence number is a 64-bit integer on the wire; on PostgreSQL the columns were
32-bit, so one event above 2^31-1 made every batch holding it fail. SQLite's INTEGER is
already 64-bit: there the type change is only declared. The quarantine no longer keeps
the first 4 KiB of each refused payload (personal data); it keeps a short masked excerpt
and counts repeats of the same refusal instead of storing each copy.

Revision ID: 0005_wide_counters
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_wide_counters"
down_revision = "0001"
branch_labels = None
depends_on = None

_INT64 = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_WIDENED = {
    "events": ["seq"],
    "kiosks": ["max_seq", "events_total"],
    "sequence_gaps": ["first_missing", "last_missing"],
    "quarantine": ["size"],
}


def _widen_postgresql() -> None:
    for table, columns in _WIDENED.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.BigInteger, existing_nullable=False)
    # The events' surrogate key and its sequence: a busy network passes 2^31 rows.
    op.alter_column("events", "pk", type_=sa.BigInteger, existing_nullable=False)
    op.execute("ALTER SEQUENCE IF EXISTS events_pk_seq AS bigint")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _widen_postgresql()
    with op.batch_alter_table("quarantine") as batch:
        batch.drop_column("payload_head")
        batch.add_column(sa.Column("excerpt", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("repeats", _INT64, nullable=False, server_default="1"))
        batch.add_column(sa.Column("last_at", sa.String(32), nullable=True))
    op.create_index("ix_quarantine_received", "quarantine", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_quarantine_received", "quarantine")
    with op.batch_alter_table("quarantine") as batch:
        batch.drop_column("last_at")
        batch.drop_column("repeats")
        batch.drop_column("excerpt")
        batch.add_column(sa.Column("payload_head", sa.LargeBinary, nullable=False,
                                   server_default=b""))
