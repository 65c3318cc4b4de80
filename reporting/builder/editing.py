"""Edits of a draft definition (pure functions: a definition in, a new one out) and the
draft's problems by part, for the form builder's pages and API.

A draft need not be valid while it is written; :func:`draft_problems` says what stops it
from being published, by section and field, in the active language, including the rule
that a published key keeps its type (``reporting.actions.do_publish_form_version``)."""

from __future__ import annotations

import copy
import re

from django.utils.translation import gettext as _

from reporting.validation import definition_problems, field_types

EMPTY: dict[str, list] = {"sections": []}
PLACE_RE = re.compile(r"^sections\[(\d+)\](?:\.fields\[(\d+)\])?")


def normalised(draft) -> dict:
    """A copy of ``draft`` with the shape the editor needs (a dict with a list of
    sections, each with a list of fields)."""
    result = copy.deepcopy(draft) if isinstance(draft, dict) else {}
    sections = result.get("sections")
    result["sections"] = (
        [s for s in sections if isinstance(s, dict)] if isinstance(sections, list) else []
    )
    for section in result["sections"]:
        if not isinstance(section.get("fields"), list):
            section["fields"] = []
    return result


def _move(items: list, index: int, step: int) -> None:
    target = index + step
    if 0 <= index < len(items) and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def _get(items: list, index: int):
    if not 0 <= index < len(items):
        raise IndexError(index)
    return items[index]


def add_section(draft, section) -> dict:
    result = normalised(draft)
    result["sections"].append({**section, "fields": []})
    return result


def update_section(draft, index, section) -> dict:
    result = normalised(draft)
    current = _get(result["sections"], index)
    current.update(section)
    for key in ("description",):
        if key in section and not section[key]:
            current.pop(key)
    return result


def remove_section(draft, index) -> dict:
    result = normalised(draft)
    _get(result["sections"], index)
    del result["sections"][index]
    return result


def move_section(draft, index, step) -> dict:
    result = normalised(draft)
    _move(result["sections"], index, step)
    return result


def add_field(draft, section_index, spec) -> dict:
    result = normalised(draft)
    _get(result["sections"], section_index)["fields"].append(spec)
    return result


def update_field(draft, section_index, index, spec) -> dict:
    result = normalised(draft)
    fields = _get(result["sections"], section_index)["fields"]
    _get(fields, index)
    fields[index] = spec
    return result


def remove_field(draft, section_index, index) -> dict:
    result = normalised(draft)
    fields = _get(result["sections"], section_index)["fields"]
    _get(fields, index)
    del fields[index]
    return result


def move_field(draft, section_index, index, step) -> dict:
    """Up or down within its section; past the section's edge into the neighbouring
    section (last there when moving up, first when moving down)."""
    result = normalised(draft)
    sections = result["sections"]
    fields = _get(sections, section_index)["fields"]
    spec = _get(fields, index)
    target = index + step
    if 0 <= target < len(fields):
        _move(fields, index, step)
    elif 0 <= section_index + step < len(sections):
        del fields[index]
        neighbour = sections[section_index + step]["fields"]
        if step < 0:
            neighbour.append(spec)
        else:
            neighbour.insert(0, spec)
    return result


def published_types(form) -> dict[str, str]:
    """Field key → type over every published version of ``form``."""
    earlier: dict[str, str] = {}
    for definition in (
        form.versions.filter(published_at__isnull=False)
        .order_by("number")
        .values_list("definition", flat=True)
    ):
        earlier.update(field_types(definition))
    return earlier


def draft_problems(draft, earlier_types: dict[str, str]) -> dict[str, list[str]]:
    """The draft's problems by place: ``""`` (the form), ``"s0"`` (a section), ``"s0f1"``
    (a field of it). Empty when the draft can be published."""
    problems: dict[str, list[str]] = {}
    for where, message in definition_problems(draft):
        match = PLACE_RE.match(where)
        if match is None:
            place = ""
        elif match.group(2) is None:
            place = f"s{match.group(1)}"
        else:
            place = f"s{match.group(1)}f{match.group(2)}"
        problems.setdefault(place, []).append(message)
    if isinstance(draft, dict) and isinstance(draft.get("sections"), list):
        for s, section in enumerate(draft["sections"]):
            fields = section.get("fields") if isinstance(section, dict) else None
            for f, spec in enumerate(fields if isinstance(fields, list) else []):
                if not isinstance(spec, dict):
                    continue
                key, kind = spec.get("key"), spec.get("type")
                if key in earlier_types and earlier_types[key] != kind:
                    problems.setdefault(f"s{s}f{f}", []).append(
                        _(
                            "The key “%(key)s” was published as another type; a field keeps "
                            "its type across versions, so give the changed field a new key."
                        )
                        % {"key": key}
                    )
    return problems
