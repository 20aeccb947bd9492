"""Errors shared by every device driver: the port is gone, busy or silent."""

from __future__ import annotations

__all__ = ["DeviceBusy", "DeviceError", "DeviceLost", "DeviceTimeout"]


class DeviceError(Exception):
    """Base of every device error; the message tells an operator what to do next."""


class DeviceLost(DeviceError):
    """The device is unplugged, powered off or its port vanished; the driver reconnects."""


class DeviceBusy(DeviceError):
    """Another process holds the port's exclusive lock."""


class DeviceTimeout(DeviceError):
    """The device did not answer a complete frame before the frame's deadline."""
