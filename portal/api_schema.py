"""The schema class: drf-spectacular's, plus the error answers every operation can give,
with one component for each error body."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: what went wrong, in the user's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Field errors: each field that was refused (``non_field_errors`` for the input as "
        "a whole) with a list of messages, or, for nested input, the errors of its parts "
        "in the same form. A body that cannot be parsed at all gets ``detail`` instead."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema class, plus the error answers every operation can give,
    so that a client (and schemathesis) finds each status code it can get documented:

    - 400 for every operation: every request's parameters and body pass the input check
      (:class:`portal.api_input.InputCheckingNegotiation`), and bodies their serializers;
    - 401 and 403 for every operation: all need an authenticated user, and an
      authenticated one may still lack a role, the second factor or a CSRF token;
    - 404 where the path names an object (outsiders get 404, never 403) or the list is
      paginated (a page or cursor past the end);
    - 415 where the operation reads a body (DRF's answer to a media type it cannot parse).

    Codes only some views answer (409, 412) are documented by those views with
    ``extend_schema``; what a view documents itself for a code is kept."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        standard = {
            "400": ("FieldErrors", VALIDATION_ERROR_SCHEMA, "Invalid input."),
            "401": ("Error", ERROR_SCHEMA, "Not authenticated."),
            "403": ("Error", ERROR_SCHEMA, "Not allowed."),
        }
        if "{" in self.path or self._paginated():
            standard["404"] = ("Error", ERROR_SCHEMA, "Not found (or not visible to you).")
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer():
            standard["415"] = ("Error", ERROR_SCHEMA, "A body of a media type not listed here.")
        for code, (name, schema, description) in standard.items():
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
            )
            self.registry.register_on_missing(component)
            response = responses.setdefault(code, {"description": description})
            if "content" not in response:
                response["content"] = {"application/json": {"schema": component.ref}}
        return dict(sorted(responses.items()))

    def _paginated(self):
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
