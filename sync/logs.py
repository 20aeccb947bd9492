"""Logging set up the same way in every process, with personal data masked on the way out.

Code should never log a citizen's details in the first place; this filter is the second
line of defence: anything shaped like a resident ID number or a mainland mobile number is
masked before a record reaches any handler.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

__all__ = ["configure_logging", "PersonalDataFilter", "mask_personal_data", "mask_name",
           "masked_excerpt"]

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    """Return ``text`` with ID-number- and mobile-number-shaped runs masked."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


# Runs of CJK characters are names and addresses as often as not: keep the first of each.
_CJK_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])[\u3400-\u9fff\uf900-\ufaff]+")
_LONG_DIGITS = re.compile(r"\d{8,}")


def masked_excerpt(payload: bytes, limit: int = 160) -> str:
    """Return the start of ``payload`` as text a technician may see: personal data masked.

    ID and mobile numbers are masked as in logs, any other run of eight or more digits
    too, and every run of Chinese characters keeps only its first character, so no name
    or address survives. Undecodable bytes show as U+FFFD.
    """
    text = payload[: limit * 4].decode("utf-8", "replace")[:limit]
    text = _LONG_DIGITS.sub(lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 2),
                            mask_personal_data(text))
    return _CJK_RUN.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 1), text)


def mask_name(name: str) -> str:
    """Return a name with all but its first character masked ("张三丰" → "张**")."""
    text = name.strip()
    return (text[:1] + "*" * min(len(text) - 1, 10)) if text else ""


class PersonalDataFilter(logging.Filter):
    """Masks personal-data-shaped text in every record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: str = "INFO", file: Path | None = None, name: str = "") -> None:
    """Send logs to stderr (and ``file``) with timestamps, masking personal data."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(file, encoding="utf-8"))
    fmt = logging.Formatter(f"%(asctime)s {name + ' ' if name else ''}%(levelname)s "
                            "%(name)s: %(message)s")
    root = logging.getLogger()
    root.handlers.clear()
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
    root.setLevel(level.upper())
