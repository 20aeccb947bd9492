"""The command state machine: facts in, steps out, no clock and no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controller.remote.command_states import (
    EXPIRY_GRACE_S,
    LATE,
    CommandFacts,
    CommandState,
    after_response,
    after_sweep,
)
from sync.commands import CommandResponse, RefusalReason

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def _facts(state: CommandState, delivered: datetime | None = None) -> CommandFacts:
    return CommandFacts(state, T0 + timedelta(seconds=60), 30.0, delivered)


def _states(outcome: object) -> list[str]:
    return [step.state for step in outcome.steps]  # type: ignore[attr-defined]


def test_a_result_overtaking_the_brokers_ack_steps_through_every_state_in_order() -> None:
    done = after_response(_facts(CommandState.QUEUED),
                          CommandResponse("c", "k-1", "result", result={"pong": True}))
    assert _states(done) == ["SENT", "DELIVERED", "SUCCEEDED"]
    assert done.final and done.result == {"pong": True} and done.error is None


def test_delivered_is_not_final_and_a_failure_keeps_its_error() -> None:
    delivered = after_response(_facts(CommandState.SENT),
                               CommandResponse("c", "k-1", "delivered"))
    assert _states(delivered) == ["DELIVERED"] and not delivered.final
    failed = after_response(_facts(CommandState.DELIVERED),
                            CommandResponse("c", "k-1", "result", ok=False, error="printer: out"))
    assert _states(failed) == ["FAILED"] and failed.error == "printer: out"


def test_late_and_replayed_answers_are_only_noted() -> None:
    late = after_response(_facts(CommandState.SUCCEEDED),
                          CommandResponse("c", "k-1", "result", ok=False, error="x"))
    replayed = after_response(_facts(CommandState.DELIVERED), CommandResponse(
        "c", "k-1", "result", ok=False, refused=RefusalReason.REPLAYED.value))
    for outcome in (late, replayed):
        assert _states(outcome) == [LATE] and not outcome.final


def test_an_unsent_command_is_resent_until_it_expires() -> None:
    assert after_sweep(_facts(CommandState.QUEUED), T0, acked=False).resend
    acked = after_sweep(_facts(CommandState.QUEUED), T0, acked=True)
    assert _states(acked) == ["SENT"] and not acked.resend
    at_expiry = T0 + timedelta(seconds=60 + EXPIRY_GRACE_S)
    assert not after_sweep(_facts(CommandState.SENT), at_expiry, acked=False).final
    expired = after_sweep(_facts(CommandState.QUEUED), at_expiry + timedelta(seconds=1), False)
    assert _states(expired) == ["EXPIRED"] and "expired" in (expired.error or "")


def test_a_delivered_command_without_result_times_out() -> None:
    facts = _facts(CommandState.DELIVERED, delivered=T0)
    assert after_sweep(facts, T0 + timedelta(seconds=30), acked=False).steps == ()
    timed_out = after_sweep(facts, T0 + timedelta(seconds=31), acked=False)
    assert _states(timed_out) == ["TIMED_OUT"] and "30 s" in (timed_out.error or "")
