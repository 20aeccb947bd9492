"""Command and rollout timestamps become timezone-aware datetime columns.

They were ISO 8601 UTC strings ending in 'Z'. PostgreSQL converts them in place to
``timestamptz``. SQLite has no such type: its tables are rebuilt with DATETIME columns
and each value is rewritten to the form SQLAlchemy reads there (UTC wall time,
``YYYY-MM-DD HH:MM:SS.ffffff``), which sorts in time order as the strings did.

Revision ID: 0006_command_times
Revises: 0004_remote
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_command_times"
down_revision = "0004_remote"
branch_labels = None
depends_on = None

_NOT_NULL = {
    "remote_commands": ["created_at", "expires_at"],
    "remote_command_history": ["ts"],
    "rollouts": ["created_at"],
}
_NULLABLE = {
    "remote_commands": ["sent_at", "delivered_at", "finished_at"],
    "remote_command_history": [],
    "rollouts": ["finished_at"],
}
_WIRE_FORM = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'


def _columns(table: str) -> list[tuple[str, bool]]:
    return [(c, False) for c in _NOT_NULL[table]] + [(c, True) for c in _NULLABLE[table]]


def _rebuild_sqlite(type_: sa.types.TypeEngine, expression: str) -> None:
    """Rebuild the tables with timestamp columns of ``type_``, each value set to
    ``expression`` of itself ({0})."""
    # The history is held aside while its parent table is dropped and rebuilt: foreign
    # keys are enforced and cannot be switched off inside the migration's transaction.
    op.execute("CREATE TEMP TABLE held_command_history AS SELECT * FROM remote_command_history")
    op.execute("DELETE FROM remote_command_history")
    for table in _NOT_NULL:
        # Declaring the new type in reflect_args rebuilds the table with it and copies the
        # text as is; an ALTER would CAST it, and SQLite casts a date to a number.
        columns = [sa.Column(name, type_, nullable=nullable)
                   for name, nullable in _columns(table)]
        with op.batch_alter_table(table, recreate="always", reflect_args=columns):
            pass
    op.execute("INSERT INTO remote_command_history SELECT * FROM held_command_history")
    op.execute("DROP TABLE held_command_history")
    for table in _NOT_NULL:
        for name, _nullable in _columns(table):
            op.execute(f"UPDATE {table} SET {name} = {expression.format(name)} "
                       f"WHERE {name} IS NOT NULL")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(sa.DateTime(timezone=True), "replace(replace({0}, 'T', ' '), 'Z', '')")
        return
    for table in _NOT_NULL:
        for name, nullable in _columns(table):
            op.alter_column(table, name, type_=sa.DateTime(timezone=True),
                            existing_type=sa.String(32), existing_nullable=nullable,
                            postgresql_using=f"{name}::timestamptz")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(sa.String(32), "replace({0}, ' ', 'T') || 'Z'")
        return
    for table in _NOT_NULL:
        for name, nullable in _columns(table):
            op.alter_column(table, name, type_=sa.String(32),
                            existing_type=sa.DateTime(timezone=True), existing_nullable=nullable,
                            postgresql_using=f"to_char({name} AT TIME ZONE 'UTC', "
                                             f"'{_WIRE_FORM}')")
