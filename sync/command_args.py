"""The arguments of each technician command: one schema, checked at both ends.

The controller checks a command's arguments before it signs anything and signs the
normalised form; the kiosk checks them again before a handler runs, so a handler only
ever sees arguments that fit its schema. A command name without a schema here is not a
command (:data:`sync.commands.COMMAND_NAMES` lists the same names).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .commands import COMMAND_NAMES, LOG_LEVELS

__all__ = [
    "CommandArgs",
    "NoArgs",
    "LockArgs",
    "SetLogLevelArgs",
    "FetchLogArgs",
    "COMMAND_ARGS",
    "InvalidCommandArgs",
    "parse_command_args",
]

DEFAULT_LOG_LINES = 200
MAX_LOG_LINES = 1000
MAX_LOCK_MESSAGE = 200


class InvalidCommandArgs(ValueError):
    """Arguments that do not fit their command's schema; the message says what to pass."""


class CommandArgs(BaseModel):
    """Base of every command's arguments: unknown arguments are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    usage: ClassVar[str] = "takes no arguments"

    def wire(self) -> dict[str, Any]:
        """Return the normalised arguments as they are signed and sent."""
        return self.model_dump(mode="json", exclude_unset=True)


class NoArgs(CommandArgs):
    """A command that takes no arguments."""


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class LockArgs(CommandArgs):
    """``lock``: the message citizens see while the kiosk is out of service."""

    usage: ClassVar[str] = (f"needs --message: 1-{MAX_LOCK_MESSAGE} characters shown to "
                            "citizens")
    message: Annotated[str, BeforeValidator(_stripped),
                       Field(min_length=1, max_length=MAX_LOCK_MESSAGE)]


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class SetLogLevelArgs(CommandArgs):
    """``set_log_level``: the kiosk's root log level, kept across restarts."""

    usage: ClassVar[str] = f"needs a log level, one of {', '.join(LOG_LEVELS)}"
    level: Annotated[LogLevel, BeforeValidator(_upper)]


class FetchLogArgs(CommandArgs):
    """``fetch_log``: how many of the last log lines to return."""

    usage: ClassVar[str] = f"takes --lines 1-{MAX_LOG_LINES} (default {DEFAULT_LOG_LINES})"
    lines: int = Field(DEFAULT_LOG_LINES, ge=1, le=MAX_LOG_LINES)


_TAKING_ARGS: dict[str, type[CommandArgs]] = {
    "lock": LockArgs, "set_log_level": SetLogLevelArgs, "fetch_log": FetchLogArgs}
COMMAND_ARGS: dict[str, type[CommandArgs]] = {
    name: _TAKING_ARGS.get(name, NoArgs) for name in COMMAND_NAMES}


def parse_command_args(name: str, args: dict[str, Any]) -> CommandArgs:
    """Return ``args`` validated against command ``name``'s schema.

    Raises InvalidCommandArgs naming the command and what it takes; the offending values
    are never repeated (a lock message may be anything an operator typed).
    """
    schema = COMMAND_ARGS.get(name)
    if schema is None:
        raise InvalidCommandArgs(f"unknown command {name[:40]!r}; use one of "
                                 f"{', '.join(COMMAND_NAMES)}")
    try:
        return schema.model_validate(args)
    except ValidationError as exc:
        extra = sorted(str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden")
        if extra:
            raise InvalidCommandArgs(f"{name} takes no argument(s) {', '.join(extra)[:200]}; "
                                     f"it {schema.usage}") from None
        raise InvalidCommandArgs(f"{name} {schema.usage}") from None
