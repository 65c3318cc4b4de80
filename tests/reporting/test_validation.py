"""The validation engine: definitions (checked when a version is saved) and answers
(checked when a municipality submits), with bad input of every kind."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from reporting.seed_forms import SEED_FORMS
from reporting.validation import definition_errors, validate_answers, validate_definition


def options(*values):
    return [{"value": v, "label": v.title()} for v in values]


DEFINITION = {
    "sections": [
        {
            "key": "a",
            "title": "Alt",
            "fields": [
                {
                    "key": "antall",
                    "type": "integer",
                    "label": "Antall",
                    "required": True,
                    "min": 0,
                    "max": 1000,
                },
                {
                    "key": "andel",
                    "type": "decimal",
                    "label": "Andel",
                    "unit": "%",
                    "min": 0,
                    "max": 100,
                },
                {"key": "kort", "type": "short_text", "label": "Kort", "max_length": 10},
                {"key": "lang", "type": "long_text", "label": "Lang"},
                {"key": "valg", "type": "choice", "label": "Valg", "options": options("ja", "nei")},
                {
                    "key": "flere",
                    "type": "multiple_choice",
                    "label": "Flere",
                    "options": options("a", "b", "c"),
                },
                {"key": "tid", "type": "datetime", "label": "Tid"},
                {"key": "vann", "type": "sector_status", "label": "Vann", "required": True},
                {"key": "ikt", "type": "sector_status", "label": "IKT"},
            ],
        }
    ]
}


@pytest.fixture(autouse=True)
def english():
    """The messages are checked by their English msgids; one test checks Norwegian."""
    with translation.override("en"):
        yield


VALID = {"antall": 5, "vann": {"status": "green"}}


def check(**answers):
    return validate_answers(DEFINITION, {**VALID, **answers})


# --- definitions -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_FORMS, ids=lambda s: s[0])
def test_the_seeded_definitions_are_valid(seed):
    assert definition_errors(seed[-1]) == []


def test_the_example_definition_is_valid():
    validate_definition(DEFINITION)


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (None, "object with a list of sections"),
        ({"sections": []}, "at least one section"),
        ({"sections": [{"key": "a", "title": "A", "fields": []}]}, "needs a list of fields"),
        (
            {
                "sections": [
                    {
                        "key": "A b",
                        "title": "A",
                        "fields": [{"key": "x", "type": "integer", "label": "X"}],
                    }
                ]
            },
            "key must be",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {"key": "x", "type": "integer", "label": "X"},
                            {"key": "x", "type": "integer", "label": "Y"},
                        ],
                    }
                ]
            },
            "used twice",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [{"key": "x", "type": "photo", "label": "X"}],
                    }
                ]
            },
            "unknown type",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [{"key": "x", "type": "integer", "label": ""}],
                    }
                ]
            },
            "label is required",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {"key": "x", "type": "integer", "label": "X", "min": 5, "max": 1}
                        ],
                    }
                ]
            },
            "min is greater than max",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [{"key": "x", "type": "integer", "label": "X", "min": 0.5}],
                    }
                ]
            },
            "min must be",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [{"key": "x", "type": "integer", "label": "X", "unit": "kg"}],
                    }
                ]
            },
            "not allowed",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {"key": "x", "type": "choice", "label": "X", "options": options("ja")}
                        ],
                    }
                ]
            },
            "at least two options",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {
                                "key": "x",
                                "type": "choice",
                                "label": "X",
                                "options": options("ja", "ja"),
                            }
                        ],
                    }
                ]
            },
            "value is used twice",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {"key": "x", "type": "integer", "label": "X", "required": "yes"}
                        ],
                    }
                ]
            },
            "required must be",
        ),
        (
            {
                "sections": [
                    {
                        "key": "a",
                        "title": "A",
                        "fields": [
                            {"key": "x", "type": "short_text", "label": "X", "max_length": 0}
                        ],
                    }
                ]
            },
            "max_length",
        ),
    ],
)
def test_bad_definitions_are_refused_with_the_place_named(definition, expected):
    errors = definition_errors(definition)
    assert any(expected in e for e in errors), errors
    with pytest.raises(ValidationError):
        validate_definition(definition)


# --- answers ---------------------------------------------------------------------------


def test_valid_answers_are_cleaned_to_python_values():
    cleaned, errors = validate_answers(
        DEFINITION,
        {
            "antall": "1 000",
            "andel": "12,5",
            "kort": "  hei  ",
            "lang": "Lang tekst",
            "valg": "nei",
            "flere": ["c", "a", "c"],
            "tid": "2026-11-26T12:00",
            "vann": {"status": "yellow", "comment": " Lav trykk "},
            "ikt": {"status": "", "comment": ""},
        },
    )
    assert errors == {}
    assert cleaned["antall"] == 1000
    assert cleaned["andel"] == Decimal("12.5")
    assert cleaned["kort"] == "hei"
    assert cleaned["flere"] == ["a", "c"]  # the form's order, no duplicates
    assert cleaned["tid"] == timezone.make_aware(datetime(2026, 11, 26, 12, 0))
    assert str(cleaned["tid"].tzinfo) == "Europe/Oslo"
    assert cleaned["vann"] == {"status": "yellow", "comment": "Lav trykk"}
    assert "ikt" not in cleaned  # optional and unanswered


def test_numbers_from_json_are_accepted():
    cleaned, errors = check(antall=7.0, andel=99)
    assert errors == {} and cleaned["antall"] == 7 and cleaned["andel"] == Decimal("99")


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"antall": None}, "antall", "This field is required."),
        ({"antall": "   "}, "antall", "This field is required."),
        ({"antall": -1}, "antall", "Must be at least 0."),
        ({"antall": 1001}, "antall", "Must be at most 1000."),
        ({"antall": "tolv"}, "antall", "Enter a whole number."),
        ({"antall": "1,5"}, "antall", "Enter a whole number."),
        ({"antall": 2.5}, "antall", "Enter a whole number."),
        ({"antall": True}, "antall", "Enter a whole number."),
        ({"antall": [1]}, "antall", "Enter a whole number."),
        ({"andel": "mye"}, "andel", "Enter a number."),
        ({"andel": "NaN"}, "andel", "Enter a number."),
        ({"andel": "Infinity"}, "andel", "Enter a number."),
        ({"andel": "100,5"}, "andel", "Must be at most 100 %."),
        ({"andel": {"v": 1}}, "andel", "Enter a number."),
        ({"kort": "x" * 11}, "kort", "At most 10 characters (it has 11)."),
        ({"kort": 12}, "kort", "Enter text."),
        ({"valg": "kanskje"}, "valg", "“kanskje” is not one of the options."),
        ({"valg": ["ja"]}, "valg", "Choose one of the options."),
        ({"flere": ["a", "z"]}, "flere", "“z” is not one of the options."),
        ({"flere": [1, 2]}, "flere", "Choose one or more of the options."),
        ({"tid": "i går"}, "tid", "Enter a valid date and time, e.g. 2026-11-26 12:00."),
        ({"tid": "2026-13-45T25:00"}, "tid", "Enter a valid date and time, e.g. 2026-11-26 12:00."),
        ({"tid": 1700000000}, "tid", "Enter a valid date and time, e.g. 2026-11-26 12:00."),
        ({"vann": {"status": "blue"}}, "vann", "The status must be green, yellow or red."),
        ({"vann": "purple"}, "vann", "The status must be green, yellow or red."),
        ({"vann": None}, "vann", "Choose a status: green, yellow or red."),
        ({"vann": {"status": "red", "comment": 5}}, "vann", "The comment must be text."),
        ({"vann": {"status": "red", "extra": 1}}, "vann", "Give a status"),
        ({"ikt": {"comment": "uten status"}}, "ikt", "Choose a status for the comment"),
    ],
)
def test_bad_answers_get_a_message_on_their_field(answers, field, message):
    cleaned, errors = check(**answers)
    assert field in errors, errors
    assert any(e.startswith(message) for e in errors[field]), errors[field]
    assert field not in cleaned
    assert set(errors) == {field}  # nothing else is blamed


def test_unknown_fields_and_non_objects_are_refused():
    _, errors = check(finnes_ikke=1)
    assert errors == {"__all__": ["“finnes_ikke” is not a field of this form."]}
    assert validate_answers(DEFINITION, ["antall", 5]) == (
        {},
        {"__all__": ["The answers must be an object of field keys and values."]},
    )


def test_every_error_is_reported_at_once():
    _, errors = validate_answers(DEFINITION, {"andel": "x"})
    assert set(errors) == {"antall", "andel", "vann"}


def test_messages_are_in_norwegian():
    with translation.override("nb"):
        _, errors = validate_answers(
            DEFINITION, {"antall": 5000, "andel": "x", "vann": {"status": "blå"}}
        )
    assert errors == {
        "antall": ["Må være høyst 1000."],
        "andel": ["Skriv inn et tall."],
        "vann": ["Status må være grønn, gul eller rød."],
    }
    with translation.override("nb"):
        _, errors = validate_answers(DEFINITION, {})
    assert errors["antall"] == ["Dette feltet er påkrevd."]
