"""Form fields every form shares: local date-times (the browser's ``datetime-local`` or
ISO 8601 with an offset, turned into Europe/Oslo) and several files in one input."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

#: How <input type="datetime-local"> sends its value (with or without seconds).
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def local_input_value(value: datetime | None) -> str:
    """A datetime as the value of a datetime-local input, in Europe/Oslo."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


#: The widest offsets from UTC in use anywhere (UTC−12 to UTC+14). Python takes anything
#: below 24 h, PostgreSQL only below 16 h: a wider one is a client's mistake.
MAX_UTC_OFFSET = timedelta(hours=14)


class LocalDateTimeField(forms.DateTimeField):
    """A time as the user's browser sends it, or ISO 8601 with an offset (a client's
    ``2026-01-01T10:00:00+02:00``), turned into local time. An offset no place has
    (beyond ±14 h) or a time that leaves the calendar on the way (year 1, year 9999) is
    an invalid input, not a server error."""

    widget = DateTimeLocalInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", LOCAL_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is None or timezone.is_naive(result):
            return result
        offset = result.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return timezone.localtime(result)
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``<input type="file" multiple>``)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]
