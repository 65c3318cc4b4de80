"""Every write to report forms: one transaction each, attributable (pghistory context;
versions carry who published them). Views, the API and the seed command call these."""

from __future__ import annotations

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import ReportForm, ReportFormVersion
from reporting.validation import field_types, validate_definition


def _context(user, action):
    return pghistory.context(user=user.pk if user is not None else None, action=action)


def _require_owner(owner, acting_user):
    """``acting_user`` None is the seed command (reference data); views and the API always
    pass the request's user, which is never None (anonymous is ``AnonymousUser``)."""
    from reporting.rules import form_owner_orgs

    if acting_user is not None and (owner is None or owner.pk not in form_owner_orgs(acting_user)):
        raise PermissionDenied


def do_create_form(
    *, owner, acting_user, title, track, kind, definition, description=""
) -> ReportForm:
    """A new report form owned by a State Administrator office (its officers) or a
    national body (its analysts), published at once as version 1."""
    with transaction.atomic(), _context(acting_user, "report_form.create"):
        _require_owner(owner, acting_user)
        form = ReportForm(
            owner=owner,
            title=(title or "").strip(),
            description=description or "",
            track=track,
            kind=kind,
        )
        form.full_clean()
        form.save()
        do_publish_form_version(form, acting_user=acting_user, definition=definition)
        return form


def do_publish_form_version(form: ReportForm, *, acting_user, definition) -> ReportFormVersion:
    """Publish ``definition`` as the form's next version (n + 1). Earlier versions stay as
    they were: rounds issued with them keep using them. A field key keeps its type across
    versions, so answers stay comparable from round to round; a removed key may come back
    only with the same type."""
    with transaction.atomic(), _context(acting_user, "report_form.publish"):
        form = ReportForm.objects.select_for_update().get(pk=form.pk)
        _require_owner(form.owner, acting_user)
        validate_definition(definition)
        earlier: dict[str, str] = {}
        for old in form.versions.order_by("number").values_list("definition", flat=True):
            earlier.update(field_types(old))
        changed = sorted(
            key
            for key, kind in field_types(definition).items()
            if key in earlier and earlier[key] != kind
        )
        if changed:
            raise ValidationError(
                {
                    "definition": _(
                        "A field keeps its type across versions; give a new key to the "
                        "changed fields: %(keys)s."
                    )
                    % {"keys": ", ".join(changed)}
                }
            )
        number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return ReportFormVersion.objects.create(
            form=form,
            number=number,
            definition=definition,
            published_at=timezone.now(),
            created_by=acting_user,
        )
