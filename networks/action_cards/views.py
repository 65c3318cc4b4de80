"""Pages of action cards in use (tiltakskort): the cards (library documents of kind
action card) the user sees, a card's steps, the step editor and applying a card to an
incident.

Every card comes from a scoped queryset (``Document.objects.visible_to``): an outsider
gets 404; one who sees but may not edit gets 403. Every write goes through
``networks.action_cards.actions``. Forms re-render in place with their errors (HTMX, 400).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from incidents.log.models import Task
from networks.action_cards import actions
from networks.action_cards.forms import ApplyCardForm
from networks.library.models import Document, DocumentKind, DocumentVersion
from networks.library.rules import writes_for
from portal.web import ScopedMixin, add_action_errors, redirect_htmx, render_page


def document_url(document) -> str:
    """The library's page of the card."""
    return reverse("networks:document-detail", kwargs={"uuid": document.uuid})


def cards_for(user):
    return (
        Document.objects.visible_to(user)
        .filter(kind=DocumentKind.ACTION_CARD)
        .select_related("owner")
    )


def get_card(request, uuid):
    return get_object_or_404(cards_for(request.user), uuid=uuid)


def card_version(card, number=None):
    versions = card.versions.all()
    version = (
        versions.filter(number=number).first() if number else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404
    return version


def with_time_labels(steps):
    for step in steps:
        step["time_label"] = actions.format_minutes(step["time_frame_minutes"])
    return steps


class ActionCardListView(ScopedMixin, View):
    """Tiltakskort — the action cards the user sees, with their number of steps (one
    query)."""

    model = Document

    def get(self, request):
        cards = list(
            cards_for(request.user)
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=DocumentVersion.objects.order_by("-number"),
                    to_attr="all_versions",
                )
            )
            .order_by("title", "id")
        )
        for card in cards:
            latest = card.all_versions[0] if card.all_versions else None
            card.step_count = len(actions.card_steps(latest)) if latest else 0
            card.latest = latest
        return render_page(
            request,
            "networks/cards/card_list.html",
            {"cards": cards, "nav_section": "library"},
        )


def card_context(request, card, version, apply_form=None):
    user = request.user
    applied = list(
        Task.objects.visible_to(user)
        .filter(card_version__document=card)
        .values("incident__uuid", "incident__title", "card_version__number")
        .annotate(count=Count("id"))
        .order_by("incident__title", "card_version__number")
    )
    return {
        "card": card,
        "version": version,
        "is_latest": version.number == card.current_number,
        "steps": with_time_labels(actions.card_steps(version)),
        "can_edit": writes_for(user, card.owner_id),
        "apply_form": apply_form or ApplyCardForm(user=user),
        "applied": applied,
        "document_url": document_url(card),
        "nav_section": "library",
    }


class ActionCardDetailView(ScopedMixin, View):
    """A card's steps (the latest version, or ``?versjon=n``), where it has been applied
    (in incidents the user sees), and the form to apply it."""

    model = Document

    def get(self, request, uuid):
        card = get_card(request, uuid)
        number = request.GET.get("versjon")
        version = card_version(card, int(number) if (number or "").isdigit() else None)
        return render_page(
            request, "networks/cards/card_detail.html", card_context(request, card, version)
        )


class ActionCardApplyView(ScopedMixin, View):
    """Apply the card's latest version to an incident the user writes to."""

    model = Document

    def post(self, request, uuid):
        card = get_card(request, uuid)
        version = card_version(card)
        form = ApplyCardForm(request.POST, user=request.user)
        if form.is_valid():
            incident = form.cleaned_data["incident"]
            try:
                tasks = actions.do_apply_card(version, incident, acting_user=request.user)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The action card is applied: %(count)d tasks in %(incident)s.")
                    % {"count": len(tasks), "incident": incident.title},
                )
                return redirect_htmx(
                    request, reverse("incidents:task-list", kwargs={"uuid": incident.uuid})
                )
        context = card_context(request, card, version, apply_form=form)
        response = render_page(
            request,
            "networks/cards/card_detail.html",
            context,
            partial="apply_form" if request.htmx else "content",
        )
        if not request.htmx:
            response = render_page(request, "networks/cards/card_detail.html", context)
        response.status_code = 400
        return response


def rows_from_post(post) -> list[dict]:
    titles = post.getlist("title")
    roles = post.getlist("role")
    times = post.getlist("time_frame")
    units = post.getlist("unit")
    rows = []
    for i, title in enumerate(titles):
        rows.append(
            {
                "title": title,
                "role": roles[i] if i < len(roles) else "",
                "time_frame": times[i] if i < len(times) else "",
                "unit": units[i] if i < len(units) else "minutes",
            }
        )
    return rows


def rows_from_steps(steps) -> list[dict]:
    rows = []
    for step in steps:
        minutes = step["time_frame_minutes"]
        if minutes and minutes % 60 == 0:
            rows.append(
                {"title": step["title"], "role": step["role"], "time_frame": minutes // 60,
                 "unit": "hours"}
            )  # fmt: skip
        else:
            rows.append(
                {"title": step["title"], "role": step["role"], "time_frame": minutes or "",
                 "unit": "minutes"}
            )  # fmt: skip
    return rows


def steps_from_rows(rows) -> list[dict]:
    steps = []
    for row in rows:
        key = "time_frame_hours" if row["unit"] == "hours" else "time_frame_minutes"
        steps.append({"title": row["title"], "role": row["role"], key: row["time_frame"]})
    return steps


class ActionCardEditView(ScopedMixin, View):
    """Edit the card's steps: add, remove and reorder rows (HTMX re-renders the editor;
    without JavaScript the same buttons post the whole form), then save them as a new
    version."""

    model = Document

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.card = get_card(request, kwargs["uuid"])
        if not writes_for(request.user, self.card.owner_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_editor(self, rows, *, expected, errors=(), change_note="", status=200, focus=None):
        response = render_page(
            self.request,
            "networks/cards/card_edit.html",
            {
                "card": self.card,
                "rows": rows,
                "expected": expected,
                "errors": list(errors),
                "change_note": change_note,
                "focus": focus,
                "units": [("minutes", _("minutes")), ("hours", _("hours"))],
                "nav_section": "library",
            },
            partial="editor",
        )
        response.status_code = status
        return response

    def get(self, request, uuid):
        version = card_version(self.card)
        rows = rows_from_steps(actions.card_steps(version)) or [
            {"title": "", "role": "", "time_frame": "", "unit": "minutes"}
        ]
        return self.render_editor(rows, expected=version.number)

    def post(self, request, uuid):
        rows = rows_from_post(request.POST)
        op = request.POST.get("op", "save")
        expected = request.POST.get("expected_number") or None
        change_note = request.POST.get("change_note", "")
        verb, _sep, arg = op.partition(":")
        index = int(arg) if arg.isdigit() else -1
        if verb != "save":
            focus = None
            if verb == "add":
                rows.append({"title": "", "role": "", "time_frame": "", "unit": "minutes"})
                focus = len(rows) - 1
            elif verb == "remove" and 0 <= index < len(rows):
                rows.pop(index)
                focus = min(index, len(rows) - 1) if rows else None
            elif verb == "up" and 0 < index < len(rows):
                rows[index - 1], rows[index] = rows[index], rows[index - 1]
                focus = index - 1
            elif verb == "down" and 0 <= index < len(rows) - 1:
                rows[index + 1], rows[index] = rows[index], rows[index + 1]
                focus = index + 1
            return self.render_editor(rows, expected=expected, change_note=change_note, focus=focus)
        try:
            version = actions.do_save_checklist(
                self.card,
                acting_user=request.user,
                steps=steps_from_rows(rows),
                change_note=change_note,
                expected_number=expected,
            )
        except ValidationError as error:
            errors = []
            if hasattr(error, "error_dict"):
                for messages_ in error.message_dict.values():
                    errors.extend(messages_)
            else:
                errors = error.messages
            return self.render_editor(
                rows, expected=expected, errors=errors, change_note=change_note, status=400
            )
        messages.success(
            request, _("The steps are saved as version %(number)s.") % {"number": version.number}
        )
        return redirect_htmx(request, reverse("networks:action-card-detail", args=[self.card.uuid]))
