"""The form of one service: which fields it asks, what was typed, and what is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sync.catalog import DELIVERY_METHODS, VEHICLE_TYPES, FieldError, Service, validate_field

__all__ = ["FormState", "KEYPADS", "CHOICES", "MAX_LENGTH"]

# Which on-screen keyboard types each field (choices have none).
KEYPADS: Mapping[str, str] = MappingProxyType({
    "phone": "numeric", "licence_file_no": "numeric", "violation_ref": "numeric",
    "plate": "plate",
})
CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "delivery": tuple(DELIVERY_METHODS), "vehicle_type": tuple(VEHICLE_TYPES),
})
MAX_LENGTH: Mapping[str, int] = MappingProxyType({
    "phone": 11, "licence_file_no": 12, "violation_ref": 16, "plate": 8,
})


@dataclass(slots=True)
class FormState:
    """What the citizen entered for one service; the postal address comes from the card."""

    fields: tuple[str, ...]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)
    active: str | None = None

    @classmethod
    def for_service(cls, service: Service) -> FormState:
        """Return an empty form with the fields ``service`` asks the citizen to fill in."""
        shown = tuple(f for f in service.form_fields if f != "postal_address")
        typed = [f for f in shown if f in KEYPADS]
        form = cls(shown, active=typed[0] if typed else None)
        if "delivery" in shown:
            form.values["delivery"] = "pickup"
        return form

    def focus(self, name: str) -> None:
        """Send keypad input to field ``name``."""
        if name in self.fields and name in KEYPADS:
            self.active = name

    def key(self, char: str) -> None:
        """Append ``char`` to the active field, up to that field's length."""
        if self.active is None or len(char) != 1:
            return
        value = self.values.get(self.active, "")
        if len(value) < MAX_LENGTH.get(self.active, 64):
            self.values[self.active] = value + char
            self.errors.pop(self.active, None)

    def backspace(self) -> None:
        """Remove the active field's last character."""
        if self.active is not None:
            self.values[self.active] = self.values.get(self.active, "")[:-1]

    def clear(self) -> None:
        """Empty the active field."""
        if self.active is not None:
            self.values[self.active] = ""

    def choose(self, name: str, value: str) -> None:
        """Set a choice field (delivery, plate type) to one of its options."""
        if name in self.fields and value in CHOICES.get(name, ()):
            self.values[name] = value
            self.errors.pop(name, None)

    def validate(self, has_card_address: bool) -> dict[str, str] | None:
        """Return the normalized values, or None after recording each field's error."""
        self.errors.clear()
        clean: dict[str, str] = {}
        for name in self.fields:
            try:
                clean[name] = validate_field(name, self.values.get(name, ""))  # type: ignore[arg-type]
            except FieldError as exc:
                self.errors[name] = exc
        if clean.get("delivery") == "mail" and not has_card_address:
            self.errors["delivery"] = FieldError(
                "delivery", "邮寄须刷身份证以读取地址，请选择到站领取",
                "Mailing needs the address from your ID card; choose pick up")
        return None if self.errors else clean

    def wipe(self) -> None:
        """Forget everything typed."""
        self.values.clear()
        self.errors.clear()
        self.active = None
