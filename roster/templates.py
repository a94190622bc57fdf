"""Shift types as data, and the standard døgnindsats templates.

Times are minutes. A shift type starts `start_minute` after midnight of the day it is
assigned to and lasts `duration_minutes`; a night shift such as 23–07 therefore ends at
07:00 of the *next* day, which is what the rest and hours rules use (see `ShiftType.span`).
"""

from __future__ import annotations

from dataclasses import dataclass

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class ShiftType:
    """One kind of shift, e.g. the 23–07 night shift.

    `counted_minutes` is the working time the shift counts for in hours rules and KPIs
    (a sleep-in night counts only partly); it defaults to the duration.
    `forbidden_next` lists shift types that may not be worked on the following day in
    addition to what the rest rule forbids (the benchmark's rotation rule).
    """

    id: str
    start_minute: int
    duration_minutes: int
    night: bool = False
    sleep_in: bool = False
    counted_minutes: int | None = None
    forbidden_next: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("ShiftType.id: must not be empty")
        if not 0 <= self.start_minute < MINUTES_PER_DAY:
            raise ValueError(f"ShiftType {self.id!r}.start_minute: must be in [0, 1440)")
        if self.duration_minutes <= 0:
            raise ValueError(f"ShiftType {self.id!r}.duration_minutes: must be positive")
        if self.counted_minutes is not None and self.counted_minutes < 0:
            raise ValueError(f"ShiftType {self.id!r}.counted_minutes: must be >= 0")

    @property
    def minutes(self) -> int:
        """Working time counted for hours rules."""
        return self.duration_minutes if self.counted_minutes is None else self.counted_minutes

    def span(self, day: int) -> tuple[int, int]:
        """[start, end) in minutes from the horizon start when worked on `day`."""
        start = day * MINUTES_PER_DAY + self.start_minute
        return start, start + self.duration_minutes

    @property
    def crosses_midnight(self) -> bool:
        return self.start_minute + self.duration_minutes > MINUTES_PER_DAY


def _hours(h: int, m: int = 0) -> int:
    return h * 60 + m


#: Three 8-hour shifts: day 07–15, evening 15–23, night 23–07 (ends next morning).
TEMPLATE_3X8: tuple[ShiftType, ...] = (
    ShiftType("D", _hours(7), _hours(8)),
    ShiftType("E", _hours(15), _hours(8)),
    ShiftType("N", _hours(23), _hours(8), night=True),
)

#: Two 12-hour shifts: day 07–19, night 19–07.
TEMPLATE_2X12: tuple[ShiftType, ...] = (
    ShiftType("D", _hours(7), _hours(12)),
    ShiftType("N", _hours(19), _hours(12), night=True),
)

#: Day 07–15, evening 15–22 and a sleep-in night 22–07 (9 h on site, of which the
#: sleeping hours count one third: 3 h of working time). Being a sleep-in it may exceed
#: the 12 h shift-length limit in other variants; here it is 9 h.
TEMPLATE_SLEEP_IN: tuple[ShiftType, ...] = (
    ShiftType("D", _hours(7), _hours(8)),
    ShiftType("E", _hours(15), _hours(7)),
    ShiftType("S", _hours(22), _hours(9), night=True, sleep_in=True, counted_minutes=_hours(3)),
)

TEMPLATES: dict[str, tuple[ShiftType, ...]] = {
    "3x8": TEMPLATE_3X8,
    "2x12": TEMPLATE_2X12,
    "sleep-in": TEMPLATE_SLEEP_IN,
}


def template(name: str) -> tuple[ShiftType, ...]:
    """The shift types of a named template (`3x8`, `2x12`, `sleep-in`)."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise ValueError(f"template: unknown {name!r}; choose one of {sorted(TEMPLATES)}") from None
