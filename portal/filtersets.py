"""Filters every FilterSet shares."""

import django_filters

from portal.forms import LocalDateTimeField


class LocalDateTimeFilter(django_filters.DateTimeFilter):
    """A time filter that takes the browser's local time or ISO 8601 with any offset, and
    refuses (as a field error) a time the database cannot hold (see LocalDateTimeField)."""

    field_class = LocalDateTimeField
