"""``python -m kiosk`` (what ``stationnet kiosk`` runs): one kiosk, headless or with its UI."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from sync.logs import configure_logging
from sync.settings import ConfigError, Settings, load_settings

from .runtime import KioskRuntime, kiosk_log_file

app = typer.Typer(add_completion=False, help=__doc__)


@app.command()
def run(
    kiosk_id: Annotated[str, typer.Option("--kiosk-id", "-k", help="kiosk id from config")],
    headless: Annotated[bool, typer.Option(help="sync side only, no window")] = False,
    rate: Annotated[float, typer.Option(help="synthetic applications per second")] = 0.0,
    count: Annotated[int, typer.Option(help="stop generating after this many (0: no limit)")] = 0,
    config: Annotated[Path | None, typer.Option(help="configuration TOML")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="data folder (default from config)")] = None,
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING")] = "INFO",
    idcard_port: Annotated[str | None, typer.Option(help="ID-card reader port (overrides "
                                                         "config)")] = None,
    printer_port: Annotated[str | None, typer.Option(help="receipt printer port")] = None,
    scanner_port: Annotated[str | None, typer.Option(help="code scanner port")] = None,
    idle_timeout: Annotated[float, typer.Option(help="seconds without a touch that end a "
                                                     "visit")] = 90.0,
    idle_warning: Annotated[float, typer.Option(help="countdown shown for the last N s")] = 20.0,
    windowed: Annotated[bool, typer.Option(help="a window instead of fullscreen "
                                                "(development only)")] = False,
) -> None:
    """Run kiosk KIOSK_ID until SIGTERM or Ctrl-C."""
    configure_logging(log_level, name=kiosk_id)
    try:
        settings = _with_ports(load_settings(config), kiosk_id, idcard_port=idcard_port,
                               printer_port=printer_port, scanner_port=scanner_port)
    except ConfigError as exc:
        typer.echo(f"stationnet kiosk: {exc}", err=True)
        raise typer.Exit(2) from None
    # The log file is what a technician's fetch-log command reads (personal data masked).
    configure_logging(log_level, file=kiosk_log_file(settings, kiosk_id, data_dir),
                      name=kiosk_id)
    if not headless:
        from .app import UiOptions, run_app  # imports Kivy: only when a window is wanted

        if not 0 <= idle_warning < idle_timeout:
            typer.echo("stationnet kiosk: --idle-warning must be shorter than --idle-timeout",
                       err=True)
            raise typer.Exit(2)
        run_app(settings, kiosk_id, data_dir=data_dir,
                options=UiOptions(idle_timeout, idle_warning, fullscreen=not windowed))
        return
    _run_headless(settings, kiosk_id, data_dir, rate, count)


def _with_ports(settings: Settings, kiosk_id: str, **ports: str | None) -> Settings:
    """Return ``settings`` with kiosk ``kiosk_id``'s device ports overridden where given."""
    kiosk = settings.kiosk(kiosk_id)
    changed = {name: value for name, value in ports.items() if value is not None}
    if not changed:
        return settings
    kiosks = [k.model_copy(update=changed) if k.id == kiosk.id else k for k in settings.kiosks]
    return settings.model_copy(update={"kiosks": kiosks})


def _run_headless(settings: Settings, kiosk_id: str, data_dir: Path | None, rate: float,
                  count: int) -> None:
    runtime = KioskRuntime(settings, kiosk_id, data_dir=data_dir)
    runtime.stop_on_signals()
    runtime.start()
    print(f"READY kiosk {kiosk_id}", flush=True)
    if rate > 0:
        # Synthetic load measures the network, so it starts once the kiosk is connected.
        agent = runtime.agent
        agent.link.wait_connected(30)
        generator = threading.Thread(
            target=agent.generate, args=(rate, count or None), daemon=True, name="generator")
        generator.start()
    runtime.wait()
    runtime.stop()
    runtime.restart_if_asked()
    sys.exit(0)


def main() -> None:
    """Console-script entry point (``stationnet-kiosk``); imports nothing of the controller."""
    app()


if __name__ == "__main__":
    main()
