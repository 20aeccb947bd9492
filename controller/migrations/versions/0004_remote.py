"""Remote management: commands and their history, alarms and their history, rollouts, and
the append-only audit log.

Revision ID: 0004_remote
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_remote"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.String(32)


def _commands() -> None:
    op.create_table(
        "remote_commands",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("operator", sa.String(100), nullable=False),
        sa.Column("rollout_id", sa.Integer, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("result_timeout_s", sa.Float, nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("delivered_at", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_remote_commands_state", "remote_commands", ["state"])
    op.create_index("ix_remote_commands_rollout", "remote_commands", ["rollout_id"])
    op.create_index("ix_remote_commands_kiosk", "remote_commands", ["kiosk_id"])
    op.create_table(
        "remote_command_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("command_id", sa.String(36), sa.ForeignKey("remote_commands.id"),
                  nullable=False),
        sa.Column("ts", _TS, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_remote_command_history_command_id", "remote_command_history",
                    ["command_id"])


def _alarms() -> None:
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=True),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("first_seen", _TS, nullable=False),
        sa.Column("raised_at", _TS, nullable=False),
        sa.Column("last_seen", _TS, nullable=False),
        sa.Column("cleared_at", _TS, nullable=True),
        sa.Column("acked_at", _TS, nullable=True),
        sa.Column("acked_by", sa.String(100), nullable=True),
        sa.Column("ack_comment", sa.Text, nullable=True),
    )
    op.create_index("ix_alarms_active", "alarms", ["cleared_at"])
    op.create_table(
        "alarm_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alarm_id", sa.Integer, sa.ForeignKey("alarms.id"), nullable=False),
        sa.Column("ts", _TS, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_alarm_history_alarm_id", "alarm_history", ["alarm_id"])


def _rollouts_and_audit() -> None:
    op.create_table(
        "rollouts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("selector", sa.Text, nullable=False),
        sa.Column("targets", sa.Text, nullable=False),
        sa.Column("rate_per_s", sa.Float, nullable=False),
        sa.Column("abort_pct", sa.Float, nullable=False),
        sa.Column("abort_first", sa.Integer, nullable=False),
        sa.Column("expiry_s", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("operator", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ts", _TS, nullable=False),
        sa.Column("operator", sa.String(100), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_ts", "audit_log", ["ts"])


def _append_only_audit() -> None:
    # The database itself refuses to change or delete an audit entry.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    elif dialect == "postgresql":
        op.execute("CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")


def upgrade() -> None:
    _commands()
    _alarms()
    _rollouts_and_audit()
    _append_only_audit()


def downgrade() -> None:
    for table in ("audit_log", "rollouts", "alarm_history", "alarms",
                  "remote_command_history", "remote_commands"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
