"""The API side's kit: the scoped viewset mixin, the visible-uuid field, and the one
mapping from action errors to answers. Pagination is portal.pagination. The input check every
request passes is portal.api_input; the schema class that documents the answers every
operation can give is portal.api_schema (DRF imports the classes its settings name while
it defines its own views, so those modules must not import this one).

The one mapping from what an action raises to what the API answers (:func:`action_errors`,
:func:`run_action`):

- a ``ValidationError`` → 400 with the errors per field (``non_field_errors`` for the rest);
- a :class:`portal.history.VersionConflict` → 412 with ``detail`` and ``current_version``;
- ``PermissionDenied`` → 403 (DRF's own handling), an invisible object → 404 as before."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from portal.access import acting_organisation
from portal.history import VersionConflict


class ScopedViewSetMixin:
    """API viewsets get their queryset from ``Model.objects.visible_to(user)`` — the same
    access layer as the pages. Subclasses set ``model`` and may refine with
    ``scope_queryset``."""

    model: Any = None
    request: Any

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.model.objects.visible_to(self.request.user)
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset


@extend_schema_field(OpenApiTypes.UUID)
class VisibleUUIDField(serializers.RelatedField):
    """An object given by its uuid, looked up in ``Model.objects.visible_to(user)``. An
    object that does not exist and one the user may not see get the same answer."""

    default_error_messages = {
        "does_not_exist": _("Nothing with the id {value} that you can see."),
        "invalid": _("Not a valid id."),
    }

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Any:
        try:
            value = uuid.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("invalid")
        obj = self.get_queryset().filter(uuid=value).first()
        if obj is None:
            self.fail("does_not_exist", value=value)
        return obj

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


# --- what an action raises, as the API answers it ----------------------------------------


class VersionConflictError(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Someone else saved since the version you sent.")
    default_code = "version_conflict"


#: The schema's word for a 412 (operations that take ``version`` / ``If-Match``).
CONFLICT = OpenApiResponse(description="Someone else saved in between (version conflict)")


def api_errors(error: DjangoValidationError) -> dict[str, Any]:
    """A Django ValidationError from an action as DRF field errors."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def conflict_error(error: VersionConflict) -> VersionConflictError:
    answer = VersionConflictError()
    detail: Any = {"detail": error.messages[0], "current_version": error.current_version}
    answer.detail = detail  # DRF renders the dict as it is (its stubs want ErrorDetail values)
    return answer


@contextmanager
def action_errors() -> Iterator[None]:
    """Run the ``do_*`` action inside: its errors become the API's answers (above)."""
    try:
        yield
    except VersionConflict as error:
        raise conflict_error(error) from error
    except DjangoValidationError as error:
        raise serializers.ValidationError(api_errors(error)) from error


def run_action(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``action(*args, **kwargs)`` with :func:`action_errors` around it."""
    with action_errors():
        return action(*args, **kwargs)


def create_as_owner(
    request: Any,
    serializer_class: type[serializers.Serializer],
    roles: Any,
    action: Callable[..., Any],
    *,
    field: str = "owner",
) -> Any:
    """The API's create for an object an organisation owns: ``request.data`` validated by
    ``serializer_class``, the organisation in ``field`` resolved by
    :func:`portal.access.acting_organisation` (the one the caller named, else the only
    one; several → 400 on ``field``, none → 403), then ``action(owner, acting_user=…,
    **data)`` with the errors mapped as :func:`action_errors` does."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    with action_errors():
        owner = acting_organisation(request.user, roles, data.pop(field, None), field=field)
        return action(**{field: owner}, acting_user=request.user, **data)


def require(perm: str, user: Any, obj: Any = None) -> None:
    """PermissionDenied (403) unless ``user`` has ``perm`` (a rules permission) on ``obj``."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied
