"""One mode's hours in OpenStreetMap `opening_hours` form: the value, export and merge.

The supported subset is described in README.md beside this file; parsing lives in
opening_hours_parser.py.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .errors import OpeningHoursExportError
from .model import DayHours, HolidayHours, Mode, SpecialHours, StationSchedule, Weekday, WeeklyHours
from .prevalidated import prevalidated, updated
from .timespan import MINUTES_PER_DAY, TimeSpan, merge_spans

__all__ = [
    "DatedHours",
    "MONTHS",
    "OpeningHours",
    "apply_opening_hours",
    "export_opening_hours",
    "format_opening_hours",
    "opening_hours_of",
]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


class DatedHours(BaseModel):
    """Hours of one mode on a date range (inclusive), replacing its other hours there."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date
    spans: DayHours
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> DatedHours:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap them")
        return self

    @field_validator("spans", mode="after")
    @classmethod
    def _normalise(cls, spans: DayHours) -> DayHours:
        return merge_spans(spans)


class OpeningHours(BaseModel):
    """What one opening_hours string says: weekly hours, public holidays, dated overrides.

    Comments are kept as notes: per weekday in `weekly.notes`, `holiday_note`, and each
    dated entry's `note`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    weekly: WeeklyHours = WeeklyHours()
    public_holidays: HolidayHours = "regular"
    holiday_note: str = ""
    dated: tuple[DatedHours, ...] = ()


def opening_hours_of(document: StationSchedule, mode: Mode) -> OpeningHours:
    """The part of a document that one mode's opening_hours string can express."""
    if mode is Mode.CLOSED:
        raise ValueError("choose Mode.STAFFED or Mode.SELF_SERVICE; closed has no hours")
    dated = []
    for entry in document.special:
        spans = entry.of(mode)
        if spans is not None:
            dated.append(
                DatedHours(start=entry.start, end=entry.last, spans=spans, note=entry.note)
            )
    return OpeningHours(
        weekly=document.weekly.of(mode),
        public_holidays=document.holidays.of(mode),
        holiday_note=document.holidays.note_of(mode),
        dated=tuple(dated),
    )


def export_opening_hours(document: StationSchedule, mode: Mode, *, strict: bool = False) -> str:
    """One mode of a document as an opening_hours string.

    Time zone, make-up working days (调休) and temporary closures have no place in the
    syntax and are left out; with `strict`, OpeningHoursExportError says so instead.
    """
    if strict:
        lost = []
        if document.makeup_workday_follows != "regular":
            lost.append("make-up working days (set makeup_workday_follows = 'regular')")
        if any(mode in closure.modes for closure in document.closures):
            lost.append("temporary closures (remove them or export without strict)")
        if lost:
            raise OpeningHoursExportError(
                f"{document.station_id}: opening_hours cannot express " + " or ".join(lost)
            )
    return format_opening_hours(opening_hours_of(document, mode))


def format_opening_hours(hours: OpeningHours) -> str:
    """The canonical opening_hours string; parse_opening_hours() gives back equal hours.

    Other readers of opening_hours (opening_hours.js) read it the same way: weekday rules
    come in an order that keeps each span past midnight running into the next day, hours
    with a note say `open "note"` (a bare comment would make them "unknown"), and a date
    range names the year of both ends.
    """
    rules = _weekly_rules(hours.weekly)
    holiday = _holiday_spans(hours)
    if holiday is not None:
        rules.append(f"PH {_body(holiday, hours.holiday_note)}")
    rules.extend(
        f"{_date_range(entry.start, entry.end)} {_body(entry.spans, entry.note)}"
        for entry in hours.dated
    )
    if not rules:
        return "off"
    if rules == ["00:00-24:00"]:
        return "24/7"
    return "; ".join(rules)


_Key = tuple[DayHours, str]


def _weekly_rules(weekly: WeeklyHours) -> list[str]:
    days = [weekly.on(day) for day in Weekday]
    notes = [weekly.notes.on(day) for day in Weekday]
    while True:  # each pass without an order removes a spill, so this ends within 7 passes
        keys: list[_Key | None] = [
            (spans, note) if spans or note else None
            for spans, note in zip(days, notes, strict=True)
        ]
        order = _rule_order(keys, days)
        if order is not None:
            break
        days = _spills_written_out(keys, days)
    if len(order) == 1 and order[0][1] == list(range(7)):
        (spans, note), _ = order[0]
        return [_body(spans, note)]
    return [f"{_day_list(numbers)} {_body(spans, note)}" for (spans, note), numbers in order]


def _crossings(keys: list[_Key | None], days: list[DayHours]) -> list[int]:
    """Days into which the day before spills while a different rule writes them."""
    return [
        number
        for number in range(7)
        if keys[number] is not None
        and keys[number - 1] not in (None, keys[number])
        and any(span.end > MINUTES_PER_DAY for span in days[number - 1])
    ]


def _rule_order(
    keys: list[_Key | None], days: list[DayHours]
) -> list[tuple[_Key, list[int]]] | None:
    """Rules in an order where no rule cuts the night before it, or None if none exists.

    A rule replaces what earlier rules spilled into its days, so the rule of a day must
    come before the rule of the day before whenever that one runs past midnight.
    """
    groups: dict[_Key, list[int]] = {}
    for number, key in enumerate(keys):
        if key is not None:
            groups.setdefault(key, []).append(number)
    before: dict[_Key, set[_Key]] = {key: set() for key in groups}
    for number in _crossings(keys, days):
        later, earlier = keys[number - 1], keys[number]
        assert later is not None and earlier is not None
        before[later].add(earlier)
    order: list[tuple[_Key, list[int]]] = []
    while len(order) < len(groups):
        placed = {key for key, _ in order}
        ready = [k for k in groups if k not in placed and before[k] <= placed]
        if not ready:
            return None
        order.append((ready[0], groups[ready[0]]))
    return order


def _spills_written_out(keys: list[_Key | None], days: list[DayHours]) -> list[DayHours]:
    """The week with the first crossing spill written as the next day's early span."""
    result = list(days)
    number = _crossings(keys, days)[0]
    before = days[number - 1]
    spilled = [TimeSpan(start=0, end=s.end - MINUTES_PER_DAY) for s in before if s.end > 1440]
    result[number - 1] = tuple(
        TimeSpan(start=s.start, end=min(s.end, MINUTES_PER_DAY)) for s in before
    )
    result[number] = merge_spans([*result[number], *spilled])
    return result


def _day_list(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ",".join(
        _DAY_NAMES[run[0]] if len(run) == 1 else f"{_DAY_NAMES[run[0]]}-{_DAY_NAMES[run[-1]]}"
        for run in runs
    )


def _holiday_spans(hours: OpeningHours) -> DayHours | None:
    rule = hours.public_holidays
    if rule == "regular":
        return None
    if rule == "closed":
        return ()
    if isinstance(rule, tuple):
        return rule
    return hours.weekly.on(Weekday(rule))  # "follow Sunday" is Sunday's spans, written out


def _body(spans: DayHours, note: str = "") -> str:
    text = ",".join(span.text for span in spans) if spans else "off"
    if not note:
        return text
    quoted = note.replace('"', "'")
    return f'{text} open "{quoted}"' if spans else f'{text} "{quoted}"'


def _date_range(start: date, end: date) -> str:
    first = f"{start.year} {MONTHS[start.month - 1]} {start.day:02d}"
    if end == start:
        return first
    if end.year == start.year and end.month == start.month:
        return f"{first}-{end.day:02d}"
    return f"{first}-{end.year} {MONTHS[end.month - 1]} {end.day:02d}"


def apply_opening_hours(
    document: StationSchedule, mode: Mode, hours: OpeningHours
) -> StationSchedule:
    """A copy of `document` whose hours for `mode` are exactly `hours`; other modes kept."""
    field = "staffed" if mode is Mode.STAFFED else "self_service"
    if mode is Mode.CLOSED:
        raise ValueError("choose Mode.STAFFED or Mode.SELF_SERVICE; closed has no hours")
    special = []
    for entry in document.special:  # drop this mode's old overrides, keep the other mode's
        kept = updated(entry, **{field: None})
        if kept.staffed is not None or kept.self_service is not None:
            special.append(kept)
    special += [  # a DatedHours is valid as a SpecialHours of one mode
        prevalidated(SpecialHours, start=d.start, end=d.end, note=d.note, **{field: d.spans})
        for d in hours.dated
    ]
    holidays = {field: hours.public_holidays, f"{field}_note": hours.holiday_note}
    return updated(  # parts valid already, and valid together: no validation again
        document,
        weekly=updated(document.weekly, **{field: hours.weekly}),
        holidays=updated(document.holidays, **holidays),
        special=tuple(special),
    )
