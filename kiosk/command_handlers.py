"""The commands every kiosk answers, headless or not; the touch UI adds ``screenshot``.

Each handler takes the verified :class:`~sync.commands.Command` and its arguments as
parsed by the command's schema (:mod:`sync.command_args`), and returns its result dict, or
raises :class:`~kiosk.command_base.CommandFailed` with a reason for the technician.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from devices.printer import Receipt
from sync import __version__
from sync.command_args import FetchLogArgs, LockArgs, SetLogLevelArgs
from sync.commands import Command
from sync.envelope import format_utc, parse_utc, utc_now
from sync.logs import mask_personal_data
from sync.messages import DeviceHealth, DeviceState

from .command_base import CommandFailed, CommandHost, DeviceProvider, Handler
from .session.codes import progress_payload
from .store import Application

__all__ = ["register_builtin"]

log = logging.getLogger(__name__)

NO_DEVICES = "no devices attached to this kiosk"
MAX_LOG_BYTES = 200_000
RELOAD_SETTLE_S = 1.0


def register_builtin(executor: CommandHost) -> None:
    """Register the built-in handlers on ``executor``."""
    h = _Builtin(executor)
    builtin: dict[str, Handler] = {
        "ping": h.ping, "set_log_level": h.set_log_level, "fetch_log": h.fetch_log,
        "reload": h.reload, "restart": h.restart, "selftest": h.selftest,
        "test_print": h.test_print, "reprint": h.reprint, "lock": h.lock, "unlock": h.unlock,
        "screenshot": h.screenshot}
    for name, handler in builtin.items():
        executor.register(name, handler)


def _devices_json(found: list[DeviceHealth]) -> list[dict[str, Any]]:
    return [d.model_dump(mode="json") for d in found]


class _Builtin:
    """Handlers bound to one executor and its agent."""

    def __init__(self, executor: CommandHost) -> None:
        self.executor = executor
        self.agent = executor.agent

    def _devices(self) -> DeviceProvider:
        if self.executor.devices is None:
            raise CommandFailed(NO_DEVICES)
        return self.executor.devices

    def ping(self, _command: Command, _args: object) -> dict[str, Any]:
        """Return that the kiosk is alive, its software and uptime."""
        return {"pong": True, "software": __version__, "now": format_utc(utc_now()),
                "uptime_s": round((utc_now() - self.agent.started_at).total_seconds(), 1)}

    def set_log_level(self, _command: Command, args: SetLogLevelArgs) -> dict[str, Any]:
        """Set the root log level (kept across restarts)."""
        level = args.level
        logging.getLogger().setLevel(level)
        self.executor.set_setting("log_level", level)
        return {"level": level}

    def fetch_log(self, _command: Command, args: FetchLogArgs) -> dict[str, Any]:
        """Return the last lines of the kiosk log with personal data masked."""
        path = self.executor.log_file
        if path is None or not Path(path).exists():
            raise CommandFailed("this kiosk writes no log file; start it with `python -m kiosk`")
        with open(path, encoding="utf-8", errors="replace") as handle:
            tail = deque(handle, maxlen=args.lines)
        lines = [mask_personal_data(line.rstrip("\n")) for line in tail]
        while lines and sum(len(line) for line in lines) > MAX_LOG_BYTES:
            lines.pop(0)
        return {"lines": lines}

    def reload(self, _command: Command, _args: object) -> dict[str, Any]:
        """Ask the broker for every followed document again; return the versions held."""
        self.agent.refresh_documents()
        time.sleep(RELOAD_SETTLE_S)  # retained documents arrive right after the subscribe
        self.agent.publish_presence()
        return {"documents": self.agent.documents.versions()}

    def restart(self, _command: Command, _args: object) -> dict[str, Any]:
        """Restart the kiosk process once this result is delivered."""
        self.executor.restart_requested.set()
        return {"restarting": True}

    def selftest(self, _command: Command, _args: object) -> dict[str, Any]:
        """Check every device now; fail if any cannot serve."""
        found = self._devices().self_test()
        bad = [f"{d.name}: {d.state.value} ({d.reason})" for d in found
               if d.state in (DeviceState.FAULT, DeviceState.ABSENT)]
        if bad:
            raise CommandFailed("devices not ready: " + "; ".join(bad))
        return {"devices": _devices_json(found)}

    def test_print(self, _command: Command, _args: object) -> dict[str, Any]:
        """Print a test receipt."""
        receipt = Receipt(station=self._station_name(), service="测试打印 Test print",
                          tracking_number="TEST", issued_at=datetime.now().astimezone(),
                          masked_name="", next_steps=(), qr_payload="stationnet:test")
        self._print(receipt)
        return {"printed": "TEST"}

    def reprint(self, _command: Command, _args: object) -> dict[str, Any]:
        """Print the receipt of this station day's last application again."""
        devices = self._devices()
        day = utc_now().strftime("%Y%m%d")  # the store's station day
        with self.agent.store.sessions() as session:
            last = session.scalars(select(Application).where(Application.station_day == day)
                                   .order_by(Application.id.desc()).limit(1)).first()
        if last is None:
            raise CommandFailed("no application has been submitted at this kiosk today")
        receipt = Receipt(station=self._station_name(), service=last.service_id,
                          tracking_number=last.tracking_no,
                          issued_at=parse_utc(last.created_ts).astimezone(), masked_name="",
                          next_steps=(), qr_payload=progress_payload(last.tracking_no),
                          heading="业务受理回执（补打）")
        self._print(receipt, devices)
        return {"reprinted": last.tracking_no}

    def lock(self, command: Command, args: LockArgs) -> dict[str, Any]:
        """Put the kiosk out of service with a message for citizens."""
        state = self.executor.change_lock(True, args.message, command_id=command.id)
        return {"locked": True, "message": state.message}

    def unlock(self, command: Command, _args: object) -> dict[str, Any]:
        """Put the kiosk back in service."""
        self.executor.change_lock(False, command_id=command.id)
        return {"locked": False}

    def screenshot(self, _command: Command, _args: object) -> dict[str, Any]:
        """Fail: a headless kiosk has no screen (the touch UI registers its own handler)."""
        raise CommandFailed("this kiosk runs headless and has no screen")

    def _station_name(self) -> str:
        try:
            return self.agent.settings.station(self.agent.config.station).name
        except Exception:
            return self.agent.config.station

    def _print(self, receipt: Receipt, devices: DeviceProvider | None = None) -> None:
        try:
            (devices or self._devices()).print_receipt(receipt)
        except CommandFailed:
            raise
        except Exception as exc:
            raise CommandFailed(f"printer: {exc}") from None
