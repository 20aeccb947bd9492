"""Each command's argument schema: what is signed, what is refused and how it is said."""

from __future__ import annotations

import pytest

from sync.command_args import COMMAND_ARGS, InvalidCommandArgs, parse_command_args
from sync.commands import COMMAND_NAMES


def test_every_command_name_has_exactly_one_schema() -> None:
    assert set(COMMAND_ARGS) == set(COMMAND_NAMES)


def test_arguments_are_signed_in_their_normalised_form() -> None:
    assert parse_command_args("set_log_level", {"level": "debug"}).wire() == {"level": "DEBUG"}
    assert parse_command_args("lock", {"message": "  暂停服务 "}).wire() == {"message": "暂停服务"}
    assert parse_command_args("fetch_log", {}).wire() == {}
    assert parse_command_args("fetch_log", {"lines": 20}).wire() == {"lines": 20}


@pytest.mark.parametrize(("name", "args", "says"), [
    ("lock", {}, "lock needs --message: 1-200"),
    ("lock", {"message": "   "}, "lock needs --message"),
    ("lock", {"message": "x" * 201}, "1-200 characters"),
    ("ping", {"x": 1}, "ping takes no argument"),
    ("reboot_now", {}, "unknown command 'reboot_now'; use one of ping"),
    ("fetch_log", {"lines": 5000}, "--lines 1-1000"),
    ("fetch_log", {"lines": 0}, "--lines 1-1000"),
    ("set_log_level", {"level": "LOUD"}, "one of DEBUG, INFO, WARNING, ERROR"),
])
def test_arguments_outside_their_schema_are_refused_saying_what_to_pass(
        name: str, args: dict[str, object], says: str) -> None:
    with pytest.raises(InvalidCommandArgs, match=says):
        parse_command_args(name, args)


def test_a_refusal_never_repeats_the_value_it_refused() -> None:
    with pytest.raises(InvalidCommandArgs) as refused:
        parse_command_args("lock", {"message": "330106198503120011" * 20})
    assert "330106" not in str(refused.value)
