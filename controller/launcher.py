"""``stationnet``: run the controller, a kiosk, the broker, a device emulator, or everything.

``kiosk`` and ``emulate`` run in their own processes (``python -m kiosk``,
``python -m devices.emulate``): the controller package never imports the kiosk's.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from sync.logs import configure_logging
from sync.settings import ConfigError, Settings, load_settings

from .broker import BrokerError, Mosquitto
from .contract_cli import contract_app

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

ConfigOption = Annotated[Path | None, typer.Option(help="configuration TOML "
                                                        "(default: config/stationnet.toml)")]


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        typer.echo(f"stationnet: {exc}", err=True)
        raise typer.Exit(2) from None


def _wait_for_signal() -> None:
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    stopping.wait()


_STOP_DEADLINE_S = 10.0


def _exit_if_stop_hangs(deadline_s: float) -> None:
    """Leave with every thread's stack in the log if a clean stop takes over ``deadline_s``.

    Nothing is lost by leaving: messages are acknowledged only after their commit, so
    whatever was not yet acknowledged stays with the broker for the next start.
    """
    def give_up() -> None:
        print(f"controller: stopping took over {deadline_s:g} s; leaving now (unacknowledged "
              "messages stay with the broker). Threads at that moment:", file=sys.stderr,
              flush=True)
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        os._exit(1)

    timer = threading.Timer(deadline_s, give_up)
    timer.daemon = True
    timer.start()


@app.command()
def controller(config: ConfigOption = None, log_level: str = "INFO") -> None:
    """Run the controller: ingest, fleet registry, documents, HTTP API."""
    configure_logging(log_level, name="controller")
    settings = _settings(config)
    from .service import ControllerService

    service = ControllerService(settings)
    service.start()
    cfg = settings.controller
    broker = f"{settings.broker.host}:{settings.broker.port}"
    if not service.wait_ready():
        print(f"controller: broker {broker} not reachable yet; serving the API and retrying",
              file=sys.stderr, flush=True)
    print(f"READY controller api=http://{cfg.http_host}:{cfg.http_port}/api/v1 broker={broker}",
          flush=True)
    _wait_for_signal()
    _exit_if_stop_hangs(_STOP_DEADLINE_S)
    service.stop()
    # Everything is committed, acknowledged and disconnected: leave now. Interpreter
    # finalisation (tearing down the modules and C extensions of a large process) took
    # seconds under load and served nothing; a supervisor waits for this exit.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@app.command()
def broker(config: ConfigOption = None) -> None:
    """Run the embedded Mosquitto with the generated configuration, in the foreground."""
    configure_logging("INFO", name="broker")
    settings = _settings(config)
    mosquitto = Mosquitto(settings.broker, settings.data_path() / "broker")
    try:
        mosquitto.start()
    except BrokerError as exc:
        typer.echo(f"stationnet broker: {exc}", err=True)
        raise typer.Exit(1) from None
    print(f"READY broker {settings.broker.host}:{mosquitto.port} "
          f"config={mosquitto.folder / 'mosquitto.conf'}", flush=True)
    _wait_for_signal()
    mosquitto.stop()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def kiosk(ctx: typer.Context) -> None:
    """Run one kiosk (see `stationnet kiosk --help`): python -m kiosk …"""
    os.execv(sys.executable, [sys.executable, "-m", "kiosk", *ctx.args])


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def emulate(ctx: typer.Context) -> None:
    """Run a device emulator (idcard, printer, scanner): python -m devices.emulate …"""
    os.execv(sys.executable, [sys.executable, "-m", "devices.emulate", *ctx.args])


@app.command()
def demo(
    config: ConfigOption = None,
    rate: Annotated[float, typer.Option(help="synthetic applications per second per kiosk")] = 0.2,
    data_dir: Annotated[Path | None, typer.Option(help="data folder (default var/demo)")] = None,
    window: Annotated[bool, typer.Option(help="open the touch kiosk window")] = True,
) -> None:
    """Bring up a whole station network on this machine; Ctrl-C stops all of it."""
    from .demo import run_demo

    run_demo(_settings(config), config, rate=rate, data_dir=data_dir, window=window)


app.add_typer(contract_app, name="contract")


def main() -> None:
    """Console-script entry point (``stationnet``)."""
    app()


def controller_main() -> None:
    """Console-script entry point of a controller machine (``stationnet-controller``)."""
    typer.run(controller)


if __name__ == "__main__":
    main()
