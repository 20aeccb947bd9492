"""Tables of remote management (migrations ``0004_remote``, ``0006_command_times``):
commands, alarms, rollouts, and the operators' audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from controller.db import Base, UtcDateTime

__all__ = ["RemoteCommand", "CommandHistory", "Alarm", "AlarmHistory", "Rollout",
           "AuditEntry"]


class RemoteCommand(Base):
    """A signed command to one kiosk and where it is: QUEUED … SUCCEEDED/FAILED/…"""

    __tablename__ = "remote_commands"
    __table_args__ = (Index("ix_remote_commands_state", "state"),
                      Index("ix_remote_commands_rollout", "rollout_id"),
                      Index("ix_remote_commands_kiosk", "kiosk_id"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(40))
    args: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(16))
    operator: Mapped[str] = mapped_column(String(100))
    rollout_id: Mapped[int | None] = mapped_column(Integer, default=None)
    payload: Mapped[str] = mapped_column(Text)  # the signed wire payload, resent as is
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    result_timeout_s: Mapped[float] = mapped_column(Float)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    result: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class CommandHistory(Base):
    """Every state change and every response of a command, in order."""

    __tablename__ = "remote_command_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    command_id: Mapped[str] = mapped_column(String(36), ForeignKey("remote_commands.id"),
                                            index=True)
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")


class Alarm(Base):
    """One occurrence of a condition on a kiosk (or the network): raised until cleared."""

    __tablename__ = "alarms"
    __table_args__ = (Index("ix_alarms_active", "cleared_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64))  # a kiosk id, or "network"
    kiosk_id: Mapped[str | None] = mapped_column(String(64), default=None)
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[str] = mapped_column(String(32))
    last_seen: Mapped[str] = mapped_column(String(32))
    cleared_at: Mapped[str | None] = mapped_column(String(32), default=None)
    acked_at: Mapped[str | None] = mapped_column(String(32), default=None)
    acked_by: Mapped[str | None] = mapped_column(String(100), default=None)
    ack_comment: Mapped[str | None] = mapped_column(Text, default=None)


class AlarmHistory(Base):
    """What happened to an alarm: raised, changed, acknowledged, cleared."""

    __tablename__ = "alarm_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alarm_id: Mapped[int] = mapped_column(Integer, ForeignKey("alarms.id"), index=True)
    ts: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")


class Rollout(Base):
    """A command run over many kiosks at a limited rate, aborted if too many fail."""

    __tablename__ = "rollouts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40))
    args: Mapped[str] = mapped_column(Text, default="{}")
    selector: Mapped[str] = mapped_column(Text)  # how the operator chose the kiosks
    targets: Mapped[str] = mapped_column(Text)  # JSON list of kiosk ids, in order
    rate_per_s: Mapped[float] = mapped_column(Float)
    abort_pct: Mapped[float] = mapped_column(Float)
    abort_first: Mapped[int] = mapped_column(Integer)
    expiry_s: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # running | completed | aborted | cancelled
    operator: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class AuditEntry(Base):
    """One operator action: who, what, on what, when, and how it ended. Never changed."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(String(32), index=True)
    operator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    result: Mapped[str] = mapped_column(Text)
