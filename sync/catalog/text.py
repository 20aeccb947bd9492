"""Bilingual text as published in the catalogue."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .vocabulary import resolve_language

__all__ = ["LocalizedText"]


class LocalizedText(BaseModel):
    """A text in Chinese and English; both are required and non-blank."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the text in ``lang``; any language other than English falls back to zh."""
        return self.en if resolve_language(lang) == "en" else self.zh

    @classmethod
    def joined(cls, parts: list[LocalizedText]) -> LocalizedText:
        """Return the parts joined into one text, with each language's own separator."""
        return cls(zh="；".join(p.zh for p in parts), en="; ".join(p.en for p in parts))
