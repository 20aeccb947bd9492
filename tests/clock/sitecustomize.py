"""Moves this Python process's wall clock when the test runner asks for another date.

``scripts/test`` puts this folder on PYTHONPATH and sets STATIONNET_TEST_CLOCK_OFFSET
(seconds) when STATIONNET_TEST_CLOCK names a moment; every Python process of the run
(pytest and each controller, kiosk and emulator it starts) then starts its clock at the
same offset from real time and lets it tick, so they agree with each other. Monotonic
clocks are untouched. Nothing here is loaded outside the test runner.
"""

import os

_offset = os.environ.get("STATIONNET_TEST_CLOCK_OFFSET")
if _offset:
    import datetime as _datetime
    import time as _time

    import time_machine as _time_machine

    _moment = _datetime.datetime.fromtimestamp(_time.time() + float(_offset), _datetime.UTC)
    _time_machine.travel(_moment, tick=True).start()
