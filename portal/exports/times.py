"""Times in exports are Norwegian time (Europe/Oslo), whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import overload
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


@overload
def oslo(value: datetime) -> datetime: ...
@overload
def oslo(value: datetime | None) -> datetime | None: ...
def oslo(value: datetime | None) -> datetime | None:
    """``value`` in Oslo time (``None`` stays ``None``)."""
    return timezone.localtime(value, OSLO) if value else None


def iso(value: datetime | None) -> str:
    """ISO 8601 to the second with the offset (``2026-03-01T08:00:00+01:00``), "" for none.
    Also EDXL's DateTime: no fractional seconds, an explicit offset, never "Z"."""
    return oslo(value).isoformat(timespec="seconds") if value else ""


def norwegian(value: datetime | None) -> str:
    """``01.03.2026 08:00``, "" for none."""
    return oslo(value).strftime("%d.%m.%Y %H:%M") if value else ""


def oslo_date(value: datetime) -> date:
    """The Norwegian calendar day of ``value``."""
    return timezone.localtime(value, OSLO).date()


def today() -> date:
    return timezone.localdate(timezone=OSLO)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The half-open interval [start 00:00, the day after end 00:00) in Oslo time: a
    period of dates, both inclusive."""
    lower = timezone.make_aware(datetime.combine(start, time.min), OSLO)
    upper = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), OSLO)
    return lower, upper
