"""The real kiosk (the command line of ``python -m kiosk``) with a test-control channel.

Window tests and the UI benchmark start ``python tests/kiosk_under_test.py --kiosk-id K …``
with $STATIONNET_KIOSK_TEST_CONTROL set to a loopback port; a production kiosk has no
such channel. A technician's restart re-executes this same command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

CONTROL_PORT_ENV = "STATIONNET_KIOSK_TEST_CONTROL"


def main() -> None:
    """Run the kiosk and serve test commands on 127.0.0.1:$STATIONNET_KIOSK_TEST_CONTROL."""
    from kiosk import __main__ as kiosk_cli
    from kiosk.app import on_window

    port = int(os.environ[CONTROL_PORT_ENV])

    def start_control(app: Any) -> None:
        from kiosk_control import TestControl  # imports Kivy: only once it is configured

        TestControl(app, port).start()

    on_window(start_control)
    kiosk_cli.main()


if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path, where the tests' own devices/
    # and kiosk/ folders would pass for the packages of those names: the checkout first,
    # this folder (kiosk_control) last.
    tests = sys.path.pop(0)
    sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
    sys.path.append(tests)
    main()
