"""Whether a kiosk can handle a service now, given the station's mode and device faults."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from .service import Service
from .text import LocalizedText
from .vocabulary import MODES, DeviceName, ModeName

__all__ = ["ServiceAvailability", "availability"]

_MODE_REASONS: dict[ModeName, LocalizedText] = {
    # Why a service is unavailable in a mode it is not offered in, keyed by that mode.
    "self_service": LocalizedText(zh="仅在有民警值守时办理", en="Only when officers are on duty"),
    "staffed": LocalizedText(zh="仅在自助时段办理", en="Only during self-service hours"),
}

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
    """Return whether ``service`` can be handled in ``mode`` with ``faulty_devices`` down.

    A service is unavailable in a mode it is not offered in, or when a device it needs is
    faulty. The card reader is not needed while the service accepts QR identification
    and the scanner works. Device names outside the catalogue's vocabulary are ignored.
    Raises ValueError for a mode other than "staffed" or "self_service".
    """
    known_mode = _known_mode(mode)
    if not service.offered_in(known_mode):
        return ServiceAvailability(service, _MODE_REASONS[known_mode])
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


def _known_mode(mode: str) -> ModeName:
    for known in MODES:
        if known == mode:  # == so a str-valued enum from the schedule module matches too
            return known
    raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
