"""The catalogue's exceptions: a bad document, an unknown service, a bad form entry."""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import resolve_language

__all__ = ["CatalogError", "CatalogIssue", "FieldError", "UnknownServiceError"]


@dataclass(frozen=True, slots=True)
class CatalogIssue:
    """One problem in a catalogue document: which service, which field, what to fix."""

    service_id: str | None
    field: str
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"service {self.service_id!r}" if self.service_id else "catalogue"
        field = f" field {self.field!r}" if self.field else ""
        fix = f" -- {self.fix}" if self.fix else ""
        return f"{where}{field}: {self.problem}{fix}"


class CatalogError(ValueError):
    """The service catalogue document is invalid; ``issues`` lists every problem found."""

    def __init__(self, source: str, issues: tuple[CatalogIssue, ...]) -> None:
        self.source = source
        self.issues = issues
        lines = "\n".join(f"  - {issue}" for issue in issues)
        count = len(issues)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source}: {count} {noun} in the service catalogue:\n{lines}")

    @classmethod
    def whole_document(cls, source: str, problem: str, fix: str) -> CatalogError:
        """Return an error about the document as a whole (unreadable, not TOML/JSON)."""
        return cls(source, (CatalogIssue(None, "", problem, fix),))


class UnknownServiceError(LookupError):
    """No service with the requested id is in this catalogue."""

    def __init__(self, service_id: str, version: int) -> None:
        self.service_id = service_id
        super().__init__(
            f"no service {service_id!r} in catalogue version {version}; "
            "the kiosk may hold an older catalogue -- check the id or wait for the next sync"
        )


class FieldError(ValueError):
    """A form entry is invalid; ``zh`` and ``en`` tell the citizen what to fix."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        self.field = field
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")

    def message(self, lang: str) -> str:
        """Return the message in ``lang`` (``en`` -> English, anything else -> Chinese)."""
        return self.en if resolve_language(lang) == "en" else self.zh
