"""Parsing the supported subset of OpenStreetMap `opening_hours` into OpeningHours.

A hand-written scanner: every failure is an OpeningHoursSyntaxError naming the
1-based column and what was expected there; no other exception escapes, whatever the
input (a value that is not a str included). Only ASCII digits are digits: a fullwidth or
other Unicode digit is an error at its own column. Weekday rules are combined as
opening_hours combines them (opening_hours_rules.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, NoReturn

from .errors import OpeningHoursSyntaxError
from .model import DayHours, HolidayHours
from .opening_hours import MONTHS, DatedHours, OpeningHours
from .opening_hours_rules import WeekdayRule, weekly_hours_of
from .prevalidated import prevalidated
from .timespan import MINUTES_PER_DAY, TimeSpan, merge_spans

__all__ = ["parse_opening_hours"]

_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_YEAR = re.compile(r"[0-9]{4}(?![0-9:])")
_DAY = re.compile(r"[0-9]{1,2}(?![0-9:])")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?![0-9])")
# The common shapes in one match each; whatever they do not take (or take out of range)
# goes the step-by-step way, which reads it the same or reports the precise error.
_SPAN = re.compile(r"([0-9]{1,2}):([0-9]{2})[ \t]*-[ \t]*([0-9]{1,2}):([0-9]{2})(?![0-9])")
_DAY_NAME = "(Mo|Tu|We|Th|Fr|Sa|Su)(?![A-Za-z])"
_DAY_ITEM = re.compile(rf"[ \t]*{_DAY_NAME}(?:[ \t]*-[ \t]*{_DAY_NAME}|(?![ \t]*-))[ \t]*")
_WORD = re.compile(r"[A-Za-z]+")
_KEYWORD_OFF = re.compile(r"(off|closed)(?![A-Za-z0-9])")
_KEYWORD_OPEN = re.compile(r"open(?![A-Za-z0-9])")
_TOKEN_END = frozenset(' \t;,"')
_ALWAYS = "24/7"
_WHOLE_DAY = (TimeSpan(start=0, end=MINUTES_PER_DAY),)
# Rules must come in this order: a later weekday rule would override PH or dated rules in
# opening_hours, but in a schedule document those always beat the weekly hours.
_WEEKLY, _HOLIDAY, _DATED = 0, 1, 2
_PHASE_NAMES = ("weekday", "PH", "dated")


class _Minutes(NamedTuple):
    """A span's (start, end) minutes, before merge_spans makes it a TimeSpan."""

    start: int
    end: int


@dataclass
class _Result:
    weekday_rules: list[WeekdayRule] = field(default_factory=list)
    holidays: HolidayHours = "regular"
    holiday_note: str = ""
    holiday_rule_at: int | None = None
    dated: list[DatedHours] = field(default_factory=list)
    phase: int = _WEEKLY


def parse_opening_hours(text: str) -> OpeningHours:
    """The hours one opening_hours string describes; OpeningHoursSyntaxError if it can't."""
    if not isinstance(text, str):
        raise OpeningHoursSyntaxError(
            repr(text)[:80],
            1,
            "opening_hours text (a str)",
            f"a value of type {type(text).__name__}",
        )
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, expected: str, *, at: int | None = None, found: str | None = None) -> NoReturn:
        where = self.pos if at is None else at
        foreign = _foreign_digit(self.text, where)
        if foreign is not None:
            char = self.text[foreign]
            raise OpeningHoursSyntaxError(
                self.text,
                foreign + 1,
                f"{expected}, written with ASCII digits 0-9",
                f"the non-ASCII digit {char!r} (U+{ord(char):04X})",
            )
        raise OpeningHoursSyntaxError(self.text, where + 1, expected, found)

    def skip_space(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        self.pos = pos

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def take_literal(self, literal: str) -> bool:
        if self.text.startswith(literal, self.pos):
            self.pos += len(literal)
            return True
        return False

    def parse(self) -> OpeningHours:
        result = _Result()
        while True:
            self.skip_space()
            self.rule(result)
            self.skip_space()
            if self.pos >= len(self.text):
                break
            if not self.take_literal(";"):
                self.fail("';' before the next rule, or the end of the text")
        # Every part is valid already (spans merged, weekly hours canonical): no revalidation.
        return prevalidated(
            OpeningHours,
            weekly=weekly_hours_of(result.weekday_rules),
            public_holidays=result.holidays,
            holiday_note=result.holiday_note,
            dated=tuple(result.dated),
        )

    def rule(self, result: _Result) -> None:
        start = self.pos
        if _YEAR.match(self.text, self.pos):
            first, last = self.date_range()
            self.enter_phase(result, _DATED, start)
            spans, note = self.body(allow_always=False)
            # Checked already: last on or after first, spans merged.
            result.dated.append(
                prevalidated(DatedHours, start=first, end=last, spans=spans, note=note)
            )
            return
        days, holiday = self.weekday_selector()
        self.enter_phase(result, _HOLIDAY if holiday else _WEEKLY, start)
        spans, note = self.body(allow_always=not days and not holiday)
        if holiday:
            self.holiday_rule(result, start, spans, note, mixed=bool(days))
        if days or not holiday:
            selected = frozenset(days) if days else None
            result.weekday_rules.append(WeekdayRule(selected, spans, note))

    def holiday_rule(
        self, result: _Result, start: int, spans: DayHours, note: str, *, mixed: bool
    ) -> None:
        if result.holiday_rule_at is not None:
            self.fail(
                "PH in one rule only (a second PH rule would leave the first one's spans "
                "past midnight in force); merge them",
                at=start,
                found=f"PH again after the rule at column {result.holiday_rule_at + 1}",
            )
        if mixed and any(span.end > MINUTES_PER_DAY for span in spans):
            self.fail(
                "PH in a rule of its own when its spans run past midnight (with weekdays in "
                "the same rule, a weekday's night would run into a holiday); write e.g. "
                "'Su 20:00-03:00; PH 20:00-03:00'",
                at=start,
            )
        result.holiday_rule_at = start
        result.holidays = spans if spans else "closed"
        result.holiday_note = note

    def enter_phase(self, result: _Result, phase: int, start: int) -> None:
        if phase < result.phase:
            self.fail(
                f"{_PHASE_NAMES[phase]} rules before any {_PHASE_NAMES[result.phase]} rule "
                "(order: weekday rules, then PH, then dated rules, since a later weekday rule "
                "would override PH and dates in opening_hours)",
                at=start,
                found=f"a {_PHASE_NAMES[phase]} rule after a {_PHASE_NAMES[result.phase]} rule",
            )
        result.phase = phase

    def weekday_selector(self) -> tuple[list[int], bool]:
        days: list[int] = []
        holiday = False
        word = _WORD.match(self.text, self.pos)
        if word is None or (word.group() not in _WEEKDAYS and word.group() != "PH"):
            return days, holiday
        while True:
            item = self.take(_DAY_ITEM)
            self.skip_space()
            if item is None and self.take_literal("PH"):
                holiday = True
            else:
                first, last = self.day_range(item)
                days.extend((first + i) % 7 for i in range((last - first) % 7 + 1))
            if not self.take_literal(","):
                return days, holiday

    def day_range(self, item: re.Match[str] | None) -> tuple[int, int]:
        """A weekday or range of them, from `item` when _DAY_ITEM took it, else step by step."""
        if item is not None:
            first = _WEEKDAYS.index(item.group(1))
            return first, first if item.group(2) is None else _WEEKDAYS.index(item.group(2))
        first = self.weekday()
        self.skip_space()
        last = self.weekday() if self.take_literal("-") else first
        self.skip_space()
        return first, last

    def weekday(self) -> int:
        self.skip_space()
        match = _WORD.match(self.text, self.pos)
        if match is None or match.group() not in _WEEKDAYS:
            self.fail("a weekday (Mo Tu We Th Fr Sa Su) or PH")
        self.pos = match.end()
        return _WEEKDAYS.index(match.group())

    def date_range(self) -> tuple[date, date]:
        first = self.full_date()
        self.skip_space()
        if not self.take_literal("-"):
            return first, first
        self.skip_space()
        at = self.pos
        year = int(m.group()) if (m := self.take(_YEAR)) else first.year
        self.skip_space()
        month = (
            self.month() if year != first.year or _WORD.match(self.text, self.pos) else first.month
        )
        last = self.day_of(year, month)
        if last < first:
            self.fail(f"a date on or after {first}", at=at, found=str(last))
        return first, last

    def full_date(self) -> date:
        year = self.take(_YEAR)
        if year is None:
            self.fail("a year such as 2026")
        self.skip_space()
        return self.day_of(int(year.group()), self.month())

    def month(self) -> int:
        self.skip_space()
        match = _WORD.match(self.text, self.pos)
        if match is None or match.group() not in MONTHS:
            self.fail("a month (Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)")
        self.pos = match.end()
        return MONTHS.index(match.group()) + 1

    def day_of(self, year: int, month: int) -> date:
        self.skip_space()
        at = self.pos
        match = self.take(_DAY)
        if match is None:
            self.fail("a day of the month such as 01")
        try:
            return date(year, month, int(match.group()))
        except ValueError:
            self.fail(
                "a day that exists in that month",
                at=at,
                found=f"{year}-{month:02d}-{match.group()}",
            )

    def body(self, *, allow_always: bool) -> tuple[DayHours, str]:
        """The rule's spans (() for off) and its comment; 'open' before a comment is allowed."""
        self.skip_space()
        if self.take(_KEYWORD_OFF):
            return (), self.comment()
        if allow_always and self.take_literal(_ALWAYS):
            spans: DayHours = _WHOLE_DAY
        else:
            spans = self.spans(allow_always=allow_always)
        self.skip_space()
        self.take(_KEYWORD_OPEN)
        return spans, self.comment()

    def spans(self, *, allow_always: bool) -> DayHours:
        if not _CLOCK.match(self.text, self.pos):
            self.fail(
                "a time span such as 08:00-12:00, or 'off'"
                + (", or '24/7'" if allow_always else "")
            )
        spans = [self.span()]
        while self.take_literal(","):
            self.skip_space()
            spans.append(self.span())
        return merge_spans(spans)

    def span(self) -> _Minutes:
        """One span as (start, end) minutes; merge_spans makes the TimeSpans once."""
        match = _SPAN.match(self.text, self.pos)
        if match is not None:
            start_h, start_m, end_h, end_m = map(int, match.groups())
            start, end = start_h * 60 + start_m, end_h * 60 + end_m
            if (
                _clock_ok(start_h, start_m, False)
                and _clock_ok(end_h, end_m, True)
                and end != start
            ):
                self.pos = match.end()
                return _Minutes(start, end if end > start else end + MINUTES_PER_DAY)
        at = self.pos
        start = self.clock(extended=False)
        self.skip_space()
        if not self.take_literal("-"):
            self.fail("'-' and the closing time")
        self.skip_space()
        end_at = self.pos
        end = self.clock(extended=True)
        if end == start:
            self.fail("an end different from the start (a whole day is 00:00-24:00)", at=end_at)
        if end < start:
            end += MINUTES_PER_DAY  # "20:00-02:00" closes at 02:00 the next morning
        if end - start > 2 * MINUTES_PER_DAY or end > 2 * MINUTES_PER_DAY:
            self.fail("a span of at most 48 hours", at=at)
        return _Minutes(start, end)

    def clock(self, *, extended: bool) -> int:
        at = self.pos
        match = self.take(_CLOCK)
        if match is None:
            self.fail("a time HH:MM")
        hours, minutes = int(match.group(1)), int(match.group(2))
        limit = 48 if extended else 23
        if not _clock_ok(hours, minutes, extended):
            self.fail(
                f"a time from 00:00 to {limit}:{'00' if extended else '59'}",
                at=at,
                found=match.group(),
            )
        return hours * 60 + minutes

    def comment(self) -> str:
        self.skip_space()
        if not self.take_literal('"'):
            return ""
        close = self.text.find('"', self.pos)
        if close < 0:
            self.fail("a closing '\"' for the comment", at=len(self.text))
        note = self.text[self.pos : close]
        self.pos = close + 1
        return note


def _clock_ok(hours: int, minutes: int, extended: bool) -> bool:
    """True for 00:00-23:59, and with `extended` (an end) up to 48:00."""
    limit = 48 if extended else 23
    return minutes <= 59 and hours <= limit and not (hours == 48 and minutes)


def _foreign_digit(text: str, start: int) -> int | None:
    """Where the token at `start` has a non-ASCII digit (fullwidth '０' and the like)."""
    at = start
    while at < len(text) and text[at] not in _TOKEN_END:
        if not text[at].isascii() and text[at].isnumeric():
            return at
        at += 1
    return None
