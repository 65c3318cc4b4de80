"""Report form definitions and the answers to them.

A definition (``ReportFormVersion.definition``) is a JSON document::

    {"sections": [
        {"key": "vann", "title": "Vann og avløp", "description": "…",
         "fields": [
            {"key": "vann_status", "type": "sector_status", "label": "…", "required": true},
            {"key": "berorte", "type": "integer", "label": "…", "min": 0, "max": 1000000},
            {"key": "andel", "type": "decimal", "label": "…", "unit": "%", "min": 0, "max": 100,
             "aggregate": "weighted_mean"},
            {"key": "kort", "type": "short_text", "label": "…", "max_length": 200},
            {"key": "lang", "type": "long_text", "label": "…"},
            {"key": "valg", "type": "choice", "label": "…",
             "options": [{"value": "ja", "label": "Ja"}, {"value": "nei", "label": "Nei"}]},
            {"key": "flere", "type": "multiple_choice", "label": "…", "options": […]},
            {"key": "tid", "type": "datetime", "label": "…"}
         ]}
    ]}

Field keys are unique in the whole form and stable across versions (answers are keyed by
them, and a round's answers are compared with earlier rounds by key). Labels are data, in
Norwegian. ``help`` is an optional explanation under a field. A number field may name its
``aggregate`` over municipalities — ``sum``, ``weighted_mean`` (weighted by population),
``median`` or ``none``; without one, :func:`default_aggregate` infers it from the unit and
type.

:func:`validate_definition` checks a definition (on save of a version);
:func:`validate_answers` checks a municipality's answers against one and returns the
cleaned values and the errors per field, in the user's language.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TypeGuard

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INTEGER = "integer"
DECIMAL = "decimal"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
CHOICE = "choice"
MULTIPLE_CHOICE = "multiple_choice"
DATETIME = "datetime"
SECTOR_STATUS = "sector_status"

FIELD_TYPES = {
    INTEGER: gettext_lazy("Whole number"),
    DECIMAL: gettext_lazy("Decimal number"),
    SHORT_TEXT: gettext_lazy("Short text"),
    LONG_TEXT: gettext_lazy("Long text"),
    CHOICE: gettext_lazy("Single choice"),
    MULTIPLE_CHOICE: gettext_lazy("Multiple choice"),
    DATETIME: gettext_lazy("Date and time"),
    SECTOR_STATUS: gettext_lazy("Sector status"),
}

#: The sector status scale (green: normal, yellow: strained, red: critical).
STATUSES = {
    "green": gettext_lazy("Green"),
    "yellow": gettext_lazy("Yellow"),
    "red": gettext_lazy("Red"),
}

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10000
COMMENT_MAX = 2000

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
NUMBER_TYPES = (INTEGER, DECIMAL)
OPTION_TYPES = (CHOICE, MULTIPLE_CHOICE)


# --- definitions -----------------------------------------------------------------------


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def definition_problems(definition) -> list[tuple[str, str]]:
    """What is wrong with a definition, as ``(place, message)`` pairs (empty when it is
    valid). The place names the part (``""`` for the whole form, ``sections[1]``,
    ``sections[1].fields[2]``, ``sections[1].fields[2].options[0]``) so that an editor can
    show each message by its part; messages are in the active language."""
    if not isinstance(definition, dict) or not isinstance(definition.get("sections"), list):
        return [("", _("The definition must be an object with a list of sections."))]
    errors: list[tuple[str, str]] = []
    if not definition["sections"]:
        errors.append(("", _("A form needs at least one section.")))
    section_keys: set[str] = set()
    field_keys: set[str] = set()
    for s, section in enumerate(definition["sections"]):
        where = f"sections[{s}]"
        if not isinstance(section, dict):
            errors.append((where, _("must be an object.")))
            continue
        key = section.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            errors.append((where, _("key must be lower-case letters, digits and _.")))
        elif key in section_keys:
            errors.append((where, _("the section key %(key)r is used twice.") % {"key": key}))
        else:
            section_keys.add(key)
        if not isinstance(section.get("title"), str) or not section["title"].strip():
            errors.append((where, _("a title is required.")))
        if "description" in section and not isinstance(section["description"], str):
            errors.append((where, _("description must be text.")))
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            errors.append((where, _("a section needs a list of fields.")))
            continue
        for f, spec in enumerate(fields):
            errors.extend(_field_errors(spec, f"{where}.fields[{f}]", field_keys))
    unknown = set(definition) - {"sections"}
    if unknown:
        errors.append(
            ("", _("Unknown keys in the definition: %(keys)s.") % {"keys": sorted(unknown)})
        )
    return errors


def definition_errors(definition) -> list[str]:
    """What is wrong with a definition (empty when it is valid). Messages name the place
    (``sections[1].fields[2]``), for whoever writes the definition."""
    return [
        f"{where}: {message}" if where else message
        for where, message in definition_problems(definition)
    ]


FIELD_KEYS_BY_TYPE = {
    INTEGER: {"min", "max", "aggregate"},
    DECIMAL: {"min", "max", "unit", "aggregate"},
    SHORT_TEXT: {"max_length"},
    LONG_TEXT: {"max_length"},
    CHOICE: {"options"},
    MULTIPLE_CHOICE: {"options"},
    DATETIME: set(),
    SECTOR_STATUS: set(),
}
COMMON_FIELD_KEYS = {"key", "type", "label", "help", "required"}

#: How a number field's answers are put together over municipalities (issue 13's
#: compilation reads it through :func:`field_aggregate`).
SUM = "sum"
WEIGHTED_MEAN = "weighted_mean"
MEDIAN = "median"
NO_AGGREGATE = "none"
AGGREGATES = {
    SUM: gettext_lazy("Sum"),
    WEIGHTED_MEAN: gettext_lazy("Mean weighted by population"),
    MEDIAN: gettext_lazy("Median"),
    NO_AGGREGATE: gettext_lazy("Not aggregated"),
}


def default_aggregate(spec) -> str:
    """The aggregate a number field gets when its definition names none: a percentage is
    weighted by population, any other decimal (a rate, a level) is a median, a whole
    number (people, households, buildings) is summed."""
    if spec.get("unit", "").strip() == "%":
        return WEIGHTED_MEAN
    return SUM if spec.get("type") == INTEGER else MEDIAN


def field_aggregate(spec) -> str | None:
    """A number field's aggregate (given or the default); None for other fields."""
    if spec.get("type") not in NUMBER_TYPES:
        return None
    return spec.get("aggregate") or default_aggregate(spec)


def _field_errors(spec, where, field_keys) -> list[tuple[str, str]]:
    if not isinstance(spec, dict):
        return [(where, _("must be an object."))]
    errors: list[tuple[str, str]] = []

    def add(message, place=where):
        errors.append((place, message))

    key = spec.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        add(_("key must be lower-case letters, digits and _."))
    elif key in field_keys:
        add(_("the field key %(key)r is used twice.") % {"key": key})
    else:
        field_keys.add(key)
    kind = spec.get("type")
    if kind not in FIELD_TYPES:
        return [*errors, (where, _("unknown type %(type)r.") % {"type": kind})]
    unknown = set(spec) - COMMON_FIELD_KEYS - FIELD_KEYS_BY_TYPE[kind]
    if unknown:
        add(_("keys not allowed for %(type)s: %(keys)s.") % {"type": kind, "keys": sorted(unknown)})
    if not isinstance(spec.get("label"), str) or not spec["label"].strip():
        add(_("a label is required."))
    if "help" in spec and not isinstance(spec["help"], str):
        add(_("help must be text."))
    if "required" in spec and not isinstance(spec["required"], bool):
        add(_("required must be true or false."))
    if kind in NUMBER_TYPES:
        for bound in ("min", "max"):
            value = spec.get(bound)
            if value is None:
                continue
            if not _is_number(value) or (kind == INTEGER and not isinstance(value, int)):
                add(_("%(bound)s must be a number of the field's kind.") % {"bound": bound})
        low, high = spec.get("min"), spec.get("max")
        if _is_number(low) and _is_number(high) and low > high:
            add(_("min is greater than max."))
        if "unit" in spec and (not isinstance(spec["unit"], str) or not spec["unit"].strip()):
            add(_("unit must be text."))
        if "aggregate" in spec and spec["aggregate"] not in AGGREGATES:
            add(
                _("aggregate must be one of %(choices)s.")
                % {"choices": ", ".join(sorted(AGGREGATES))}
            )
    if kind in (SHORT_TEXT, LONG_TEXT) and "max_length" in spec:
        limit = spec["max_length"]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            add(_("max_length must be a positive whole number."))
    if kind in OPTION_TYPES:
        options = spec.get("options")
        if not isinstance(options, list) or len(options) < 2:
            add(_("a choice needs at least two options."))
        else:
            values = set()
            for o, option in enumerate(options):
                place = f"{where}.options[{o}]"
                if (
                    not isinstance(option, dict)
                    or not isinstance(option.get("value"), str)
                    or not option["value"]
                    or not isinstance(option.get("label"), str)
                    or not option["label"].strip()
                    or set(option) - {"value", "label"}
                ):
                    add(_("needs a value and a label."), place)
                elif option["value"] in values:
                    add(_("the value is used twice."), place)
                else:
                    values.add(option["value"])
    return errors


def validate_definition(definition) -> None:
    """Raise ``ValidationError`` (every problem at once) unless the definition is valid."""
    errors = definition_errors(definition)
    if errors:
        raise ValidationError({"definition": errors})


def iter_fields(definition):
    """Every field of a (valid) definition, in order."""
    for section in definition.get("sections", []):
        yield from section.get("fields", [])


def field_types(definition) -> dict[str, str]:
    return {field["key"]: field["type"] for field in iter_fields(definition)}


# --- answers ---------------------------------------------------------------------------


class FieldError(Exception):
    pass


def _empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | dict) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _number_text(value: str) -> str:
    # Norwegian users write "1 000" and "12,5"; a no-break space is what spreadsheets paste.
    return value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")


def _clean_integer(spec, value):
    if isinstance(value, bool):
        raise FieldError(_("Enter a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise FieldError(_("Enter a whole number."))
        value = int(value)
    elif isinstance(value, str):
        text = _number_text(value)
        if not re.fullmatch(r"[+-]?\d+", text):
            raise FieldError(_("Enter a whole number."))
        value = int(text)
    elif not isinstance(value, int):
        raise FieldError(_("Enter a whole number."))
    _check_range(spec, value)
    return value


def _clean_decimal(spec, value):
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FieldError(_("Enter a number."))
    text = _number_text(value) if isinstance(value, str) else str(value)
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        raise FieldError(_("Enter a number."))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldError(_("Enter a number.")) from None
    if not number.is_finite():
        raise FieldError(_("Enter a number."))
    _check_range(spec, number)
    return number


def _format_bound(bound, spec):
    text = str(bound).replace(".", ",")
    return f"{text} {spec['unit']}" if spec.get("unit") else text


def _check_range(spec, value):
    low, high = spec.get("min"), spec.get("max")
    if low is not None and value < Decimal(str(low)):
        raise FieldError(_("Must be at least %(min)s.") % {"min": _format_bound(low, spec)})
    if high is not None and value > Decimal(str(high)):
        raise FieldError(_("Must be at most %(max)s.") % {"max": _format_bound(high, spec)})


def _clean_text(spec, value, default_max):
    if not isinstance(value, str):
        raise FieldError(_("Enter text."))
    value = value.strip()
    limit = spec.get("max_length", default_max)
    if len(value) > limit:
        raise FieldError(
            _("At most %(max)d characters (it has %(length)d).")
            % {"max": limit, "length": len(value)}
        )
    return value


def _option_values(spec):
    return [option["value"] for option in spec["options"]]


def _unknown_option(value):
    return FieldError(_("“%(value)s” is not one of the options.") % {"value": value})


def _clean_choice(spec, value):
    if not isinstance(value, str):
        raise FieldError(_("Choose one of the options."))
    if value not in _option_values(spec):
        raise _unknown_option(value)
    return value


def _clean_multiple(spec, value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise FieldError(_("Choose one or more of the options."))
    allowed = _option_values(spec)
    for item in value:
        if item not in allowed:
            raise _unknown_option(item)
    chosen = set(value)
    return [v for v in allowed if v in chosen]  # the form's order, no duplicates


def _clean_datetime(spec, value):
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
        if moment is None:
            raise FieldError(_("Enter a valid date and time, e.g. 2026-11-26 12:00."))
    else:
        raise FieldError(_("Enter a valid date and time, e.g. 2026-11-26 12:00."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the portal's time zone, Europe/Oslo
    return moment


def _clean_status(spec, value):
    if isinstance(value, str):
        value = {"status": value}
    if not isinstance(value, dict) or set(value) - {"status", "comment"}:
        raise FieldError(_("Give a status (green, yellow or red) and an optional comment."))
    status = value.get("status")
    comment = value.get("comment") or ""
    if not isinstance(comment, str):
        raise FieldError(_("The comment must be text."))
    comment = comment.strip()
    if _empty(status):
        if spec.get("required"):
            raise FieldError(_("Choose a status: green, yellow or red."))
        if comment:
            raise FieldError(_("Choose a status for the comment: green, yellow or red."))
        return None
    if status not in STATUSES:
        raise FieldError(_("The status must be green, yellow or red."))
    if len(comment) > COMMENT_MAX:
        raise FieldError(
            _("At most %(max)d characters (it has %(length)d).")
            % {"max": COMMENT_MAX, "length": len(comment)}
        )
    return {"status": status, "comment": comment}


CLEANERS = {
    INTEGER: _clean_integer,
    DECIMAL: _clean_decimal,
    SHORT_TEXT: lambda spec, value: _clean_text(spec, value, SHORT_TEXT_MAX),
    LONG_TEXT: lambda spec, value: _clean_text(spec, value, LONG_TEXT_MAX),
    CHOICE: _clean_choice,
    MULTIPLE_CHOICE: _clean_multiple,
    DATETIME: _clean_datetime,
    SECTOR_STATUS: _clean_status,
}

NON_FIELD = "__all__"


def validate_answers(definition, answers) -> tuple[dict, dict[str, list[str]]]:
    """Check ``answers`` (field key → value, as posted by a browser or an API client)
    against a definition. Returns ``(cleaned, errors)``:

    * ``cleaned``: the answered fields as Python values — ``int``, ``Decimal``, ``str``, a
      list of option values in the form's order, an aware ``datetime`` (a naive one is
      taken as Europe/Oslo), ``{"status", "comment"}`` — ready for a ``JSONField`` with
      Django's encoder. Unanswered optional fields are left out.
    * ``errors``: field key → messages in the active language (``"__all__"`` for what is
      not about one field, e.g. an unknown key). Empty when the answers are valid.

    Numbers accept Norwegian writing (``"1 000"``, ``"12,5"``); an empty value (``None``,
    ``""``, ``[]``) is no answer.
    """
    if not isinstance(answers, dict):
        return {}, {NON_FIELD: [_("The answers must be an object of field keys and values.")]}
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    specs = {field["key"]: field for field in iter_fields(definition)}
    for key in answers:
        if key not in specs:
            errors.setdefault(NON_FIELD, []).append(
                _("“%(key)s” is not a field of this form.") % {"key": key}
            )
    for key, spec in specs.items():
        value = answers.get(key)
        if spec["type"] != SECTOR_STATUS and _empty(value):
            if spec.get("required"):
                errors[key] = [_("This field is required.")]
            continue
        if spec["type"] == SECTOR_STATUS and _empty(value):
            value = {}
        try:
            result = CLEANERS[spec["type"]](spec, value)
        except FieldError as error:
            errors[key] = [str(error)]
            continue
        if result is not None and result != "":
            cleaned[key] = result
        elif spec.get("required"):
            errors[key] = [_("This field is required.")]
    return cleaned, errors
