"""Errors shared by every device driver: the port is gone, busy or silent."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DeviceBusy", "DeviceError", "DeviceLost", "DeviceTimeout", "FaultCode"]


class FaultCode(StrEnum):
    """What is wrong with a device, for machines (alarms), beside the sentence for people.

    The kiosk carries these on the wire as ``sync.messages.DeviceFault``, which has the
    same values (this package imports nothing of ours, so it names them itself).
    """

    PAPER_OUT = "paper_out"
    PAPER_NEAR_END = "paper_near_end"
    COVER_OPEN = "cover_open"
    CUTTER_ERROR = "cutter_error"
    PRINTER_ERROR = "printer_error"
    OFFLINE = "offline"
    NOT_ANSWERING = "not_answering"
    SAM_FAILURE = "sam_failure"
    ABSENT = "absent"
    BUSY = "busy"
    DEVICE_ERROR = "device_error"
    PROBE_CRASHED = "probe_crashed"


class DeviceError(Exception):
    """Base of every device error; the message tells an operator what to do next."""

    code: FaultCode = FaultCode.DEVICE_ERROR


class DeviceLost(DeviceError):
    """The device is unplugged, powered off or its port vanished; the driver reconnects."""

    code = FaultCode.ABSENT


class DeviceBusy(DeviceError):
    """Another process holds the port's exclusive lock."""

    code = FaultCode.BUSY


class DeviceTimeout(DeviceError):
    """The device did not answer a complete frame before the frame's deadline."""

    code = FaultCode.NOT_ANSWERING
