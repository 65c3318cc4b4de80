"""Writes of the form builder: a new form started as a draft, the draft saved, published
as the form's next immutable version (through ``reporting.actions``), a form copied as the
start of a new one. Each in one transaction with its history context."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.history import history_context
from reporting.actions import _require_owner, do_publish_form_version
from reporting.builder.editing import EMPTY, draft_problems, normalised, published_types
from reporting.models import ReportForm, ReportFormVersion

DRAFT_MAX_FIELDS = 300


def _check_size(draft) -> None:
    count = sum(len(s["fields"]) for s in normalised(draft)["sections"])
    if count > DRAFT_MAX_FIELDS:
        raise ValidationError(
            {"draft": _("A form has at most %(max)d fields.") % {"max": DRAFT_MAX_FIELDS}}
        )


def _check_shape(draft) -> None:
    if not isinstance(draft, dict) or not isinstance(draft.get("sections"), list):
        raise ValidationError(
            {"draft": _("The definition must be an object with a list of sections.")}
        )


def do_create_draft_form(
    *, owner, acting_user, title, track, kind, description="", draft=None
) -> ReportForm:
    """A new form owned by ``owner`` with only a draft (no version yet: it is published
    from the builder)."""
    with transaction.atomic(), history_context(acting_user, "report_form.create_draft"):
        _require_owner(owner, acting_user)
        draft = EMPTY if draft is None else draft
        _check_shape(draft)
        _check_size(draft)
        form = ReportForm(
            owner=owner,
            title=(title or "").strip(),
            description=description or "",
            track=track,
            kind=kind,
            draft=draft,
            draft_updated_at=timezone.now(),
        )
        form.full_clean()
        form.save()
        return form


def latest_version(form) -> ReportFormVersion | None:
    return form.versions.filter(published_at__isnull=False).order_by("-number").first()


def do_save_draft(form, *, acting_user, draft=None, title=None, description=None, **meta):
    """Replace the draft (and, when given, the title, description, track and kind). A
    form without a draft starts one from its latest version when ``draft`` is None."""
    with transaction.atomic(), history_context(acting_user, "report_form.save_draft"):
        form = ReportForm.objects.select_for_update().get(pk=form.pk)
        _require_owner(form.owner, acting_user)
        if draft is None:
            if form.draft is None:
                latest = latest_version(form)
                draft = latest.definition if latest else EMPTY
            else:
                draft = form.draft
        _check_shape(draft)
        _check_size(draft)
        form.draft = draft
        form.draft_updated_at = timezone.now()
        if title is not None:
            form.title = title.strip()
        if description is not None:
            form.description = description
        for name in ("track", "kind"):
            if meta.get(name) is not None:
                setattr(form, name, meta[name])
        form.full_clean()
        form.save()
        return form


def do_publish_draft(form, *, acting_user) -> ReportFormVersion:
    """Publish the draft as the form's next version and clear it. Every problem of the
    draft (per field) is a ValidationError and nothing is published."""
    with transaction.atomic(), history_context(acting_user, "report_form.publish_draft"):
        form = ReportForm.objects.select_for_update().get(pk=form.pk)
        _require_owner(form.owner, acting_user)
        if form.draft is None:
            raise ValidationError({"draft": _("There is no draft to publish.")})
        problems = draft_problems(form.draft, published_types(form))
        if problems:
            raise ValidationError(
                {"draft": [message for messages in problems.values() for message in messages]}
            )
        version = do_publish_form_version(form, acting_user=acting_user, definition=form.draft)
        form.draft = None
        form.draft_updated_at = None
        form.save(update_fields=["draft", "draft_updated_at"])
        return version


def do_copy_form(source, *, owner, acting_user, title) -> ReportForm:
    """A new draft form owned by ``owner`` that starts from ``source``: its own draft when
    the user may edit it, else its latest published version (another owner's draft is
    theirs)."""
    own = source.owner_id == owner.pk and source.draft is not None
    if own:
        definition = source.draft
    else:
        latest = latest_version(source)
        if latest is None:
            raise PermissionDenied  # a form without versions is its owner's draft only
        definition = latest.definition
    return do_create_draft_form(
        owner=owner,
        acting_user=acting_user,
        title=title,
        track=source.track,
        kind=source.kind,
        description=source.description,
        draft=definition,
    )
