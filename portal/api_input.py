"""The input check every API request passes: text PostgreSQL cannot hold (a NUL byte, a
lone surrogate) in a query parameter, a path parameter or a body is a 400 with a field
error, never a 500. Kept apart from portal.api, which imports drf-spectacular: DRF imports
this class while it defines its views."""

import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation

#: NUL (PostgreSQL text and jsonb refuse it) and lone surrogates (no UTF-8 encoding exists).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = _("Text cannot contain NUL characters or unpaired surrogates.")


def holds_unstorable_text(value) -> bool:
    """Whether a string anywhere in ``value`` (keys too) is one PostgreSQL cannot store."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(holds_unstorable_text(k) or holds_unstorable_text(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_unstorable_text(item) for item in value)
    return False


def check_storable(items):
    """400 with a field error for every name whose value holds unstorable text."""
    errors = {
        str(name) if not holds_unstorable_text(str(name)) else "non_field_errors": [
            UNSTORABLE_MESSAGE
        ]
        for name, value in items
        if holds_unstorable_text(name) or holds_unstorable_text(value)
    }
    if errors:
        raise serializers.ValidationError(errors)


class _CheckedParser:
    """A parser whose result is checked before any serializer or view sees it."""

    def __init__(self, parser):
        self.parser = parser
        self.media_type = parser.media_type

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = self.parser.parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)  # multipart: data and files (files are bytes)
        if hasattr(data, "lists"):
            check_storable(data.lists())
        elif isinstance(data, dict):
            check_storable(data.items())
        else:
            check_storable([("non_field_errors", data)])
        return parsed


class InputCheckingNegotiation(DefaultContentNegotiation):
    """DRF asks the negotiator about every request to every API view (for the renderer,
    before the view reads anything) and about every body (for the parser): the one place
    where all input passes. Query parameters, path parameters and bodies holding a NUL
    byte or a lone surrogate are answered 400 with a field error, instead of reaching
    PostgreSQL as a 500 — whichever view, filter or serializer would have read them."""

    def select_renderer(self, request, renderers, format_suffix=None):
        check_storable(request.query_params.lists())
        check_storable((getattr(request, "parser_context", None) or {}).get("kwargs", {}).items())
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as error:
            # DRF answers a ``?format=`` no renderer has with 404; it is a bad parameter.
            name = self.settings.URL_FORMAT_OVERRIDE
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            message = _("Choose one of: %(formats)s.") % {"formats": formats}
            raise serializers.ValidationError({name: [message]}) from error

    def select_parser(self, request, parsers):
        parser = super().select_parser(request, parsers)
        return _CheckedParser(parser) if parser is not None else None
