"""Whether a kiosk can handle a service now, given the station's mode and device faults."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from .service import Service
from .text import LocalizedText
from .vocabulary import DeviceName

__all__ = ["STATION_MODES", "ServiceAvailability", "availability"]

# The station modes the schedule evaluates to (its Mode enum's values).
STATION_MODES = ("staffed", "self_service", "closed")

_CLOSED = LocalizedText(zh="服务站已关闭", en="The station is closed now")
_STAFFED_ONLY = LocalizedText(zh="仅在有民警值守时办理", en="Only when officers are on duty")

_DEVICE_REASONS: dict[DeviceName, LocalizedText] = {
    "idcard": LocalizedText(
        zh="身份证阅读器故障，暂停办理", en="ID card reader fault: not available now"
    ),
    "printer": LocalizedText(zh="打印机故障，暂停办理", en="Printer fault: not available now"),
    "scanner": LocalizedText(zh="扫码器故障，暂停办理", en="Scanner fault: not available now"),
}


@dataclass(frozen=True, slots=True)
class ServiceAvailability:
    """A service and, when it cannot be handled now, the bilingual reason why."""

    service: Service
    reason: LocalizedText | None = None

    @property
    def available(self) -> bool:
        """True when the kiosk can handle the service now."""
        return self.reason is None


def availability(service: Service, mode: str, faulty_devices: Set[str]) -> ServiceAvailability:
    """Return whether ``service`` can be handled in station ``mode`` with ``faulty_devices``.

    While a station is staffed its kiosk works too, so every service is available then;
    in "self_service" mode only services listing "self_service"; in "closed" mode none.
    A service is also unavailable while a device it needs is faulty, except that the
    card reader is not needed while the service accepts QR identification and the
    scanner works. Device names outside the catalogue's vocabulary are ignored.
    Raises ValueError for a mode other than "staffed", "self_service" or "closed".
    """
    if mode not in STATION_MODES:  # `in` compares with ==, so a StrEnum member matches
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(STATION_MODES)}")
    if mode == "closed":
        return ServiceAvailability(service, _CLOSED)
    if mode == "self_service" and "self_service" not in service.modes:
        return ServiceAvailability(service, _STAFFED_ONLY)
    blocking = [d for d in service.devices if d in faulty_devices]
    if (
        "idcard" in blocking
        and service.allows_qr_identification
        and ("scanner" not in faulty_devices)
    ):
        blocking.remove("idcard")
    if not blocking:
        return ServiceAvailability(service)
    return ServiceAvailability(
        service, LocalizedText.joined([_DEVICE_REASONS[d] for d in blocking])
    )
