"""Pages of comment rounds (høring) and action cards in use (tiltakskort).

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404; one
who sees but may not act gets 403. Every write goes through ``networks.comment_rounds.actions``.
Forms re-render in place with their errors (HTMX, 400); lists run a constant number of
queries.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from incidents.models import Incident, IncidentStatus, Task
from networks.comment_rounds import actions
from networks.models import (
    CommentDecision,
    CommentRound,
    Document,
    DocumentComment,
    DocumentKind,
    DocumentVersion,
    Network,
    Organisation,
)
from portal.forms import LocalDateTimeField
from portal.templatetags.portal_markdown import render_markdown
from portal.web import ScopedMixin, add_action_errors, redirect_htmx, render_page


def document_url(document) -> str:
    """The library's page of the document (its route, once the library has one)."""
    try:
        return reverse("networks:document-detail", kwargs={"uuid": document.uuid})
    except NoReverseMatch:
        return ""


# --- forms -----------------------------------------------------------------------------


class OpenRoundForm(forms.Form):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Network"),
        queryset=Network.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=gettext_lazy("Its current members are invited."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Named organisations"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=gettext_lazy("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    deadline = LocalDateTimeField(label=gettext_lazy("Deadline for comments"))

    def __init__(self, *args, document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["organisations"].queryset = (
            Organisation.objects.visible_to(user).exclude(pk=document.owner_id).order_by("name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("network") and not data.get("organisations"):
            self.add_error("network", _("Invite a network or at least one organisation."))
        return data


class CommentForm(forms.Form):
    section = forms.CharField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=actions.COMMENT_MAX_LENGTH,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
    )

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=list(org_ids)
        ).order_by("name")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("", gettext_lazy("Choose …")),
            (CommentDecision.TAKEN_IN, CommentDecision.TAKEN_IN.label),
            (CommentDecision.NOT_TAKEN_IN, CommentDecision.NOT_TAKEN_IN.label),
        ],
    )
    decision_note = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the comment is not taken in."),
    )


class CloseRoundForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=actions.SUMMARY_MAX_LENGTH,
        help_text=gettext_lazy(
            "What the round brought and what you changed. Everyone invited is notified."
        ),
    )


class ApplyCardForm(forms.Form):
    incident = forms.ModelChoiceField(
        label=gettext_lazy("Incident"),
        queryset=Incident.objects.none(),
        to_field_name="uuid",
        error_messages={"invalid_choice": gettext_lazy("Choose an incident you may write to.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = (
            Incident.objects.visible_to(user)
            .filter(pk__in=Incident.objects.editable_by(user).values("pk"))
            .exclude(status=IncidentStatus.CLOSED)
            .select_related("owner")
            .order_by("-started_at", "title")
        )
        self.fields["incident"].label_from_instance = lambda i: f"{i.title} ({i.owner})"


# --- comment rounds --------------------------------------------------------------------


def round_state(round_, now):
    """(key, label, Designsystemet colour) of a round."""
    if round_.closed_at is not None:
        return "closed", _("Ended"), "neutral"
    if now > round_.deadline:
        return "expired", _("Deadline passed"), "warning"
    return "open", _("Open for comments"), "success"


def rounds_for(user):
    return CommentRound.objects.visible_to(user).select_related(
        "document__owner", "version", "network"
    )


class CommentRoundListView(ScopedMixin, View):
    """Høringer — the comment rounds the user takes part in: as owner, invitee or (an
    office) the owner's region. One query for the rounds with their counts, one for the
    named organisations."""

    model = CommentRound

    def get(self, request):
        rounds = list(
            rounds_for(request.user)
            .annotate(
                comment_count=Count("comments", distinct=True),
                pending_count=Count(
                    "comments",
                    filter=Q(comments__decision=CommentDecision.PENDING),
                    distinct=True,
                ),
            )
            .prefetch_related(
                Prefetch("organisations", queryset=Organisation.objects.order_by("name"))
            )
            .order_by("-opened_at", "-id")
        )
        now = timezone.now()
        for round_ in rounds:
            round_.state = round_state(round_, now)
        return render_page(
            request,
            "networks/hearing/round_list.html",
            {"rounds": rounds, "nav_section": "hearings"},
        )


class CommentRoundCreateView(ScopedMixin, View):
    """The document's owner opens its latest version for comments."""

    model = Document

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.document = get_object_or_404(
            self.get_queryset().select_related("owner"), uuid=kwargs["uuid"]
        )
        if not actions.writes_for(request.user, self.document.owner_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "networks/hearing/round_form.html",
            {
                "form": form,
                "document": self.document,
                "document_url": document_url(self.document),
                "nav_section": "hearings",
            },
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request, uuid):
        return self.render_form(OpenRoundForm(document=self.document, user=request.user))

    def post(self, request, uuid):
        form = OpenRoundForm(request.POST, document=self.document, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = actions.do_open_round(
                    self.document,
                    acting_user=request.user,
                    deadline=data["deadline"],
                    network=data["network"],
                    organisations=list(data["organisations"]),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, _("The comment round is open; the invitees are notified.")
                )
                return redirect_htmx(
                    request, reverse("networks:comment-round-detail", args=[round_.uuid])
                )
        return self.render_form(form, status=400)


def get_round(request, uuid):
    return get_object_or_404(rounds_for(request.user), uuid=uuid)


def round_context(request, round_, *, comment_forms=None, decision_forms=None, close_form=None):
    """The round page: the version's text cut into its sections, each with its comments
    (one query) and, for an invitee while the round is open, a comment form."""
    user = request.user
    now = timezone.now()
    is_owner = actions.writes_for(user, round_.document.owner_id)
    is_open = actions.round_is_open(round_, now)
    org_ids = actions.commenting_org_ids(user, round_) if is_open else []
    comments = list(
        DocumentComment.objects.visible_to(user)
        .filter(round=round_)
        .select_related("organisation", "author", "decided_by")
        .order_by("created_at", "id")
    )
    by_section: dict[str, list] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    comment_forms = comment_forms or {}
    decision_forms = decision_forms or {}
    sections = []
    for number, (title, text) in enumerate(actions.split_sections(round_.version.body)):
        section_comments = by_section.get(title, [])
        for comment in section_comments:
            comment.decision_form = decision_forms.get(comment.pk) or DecisionForm(
                initial={"decision": "", "decision_note": comment.decision_note},
                prefix=f"c{comment.pk}",
            )
        sections.append(
            {
                "anchor": f"section-{number}",
                "title": title,
                "label": actions.section_label(title),
                "html": render_markdown(text) if text else "",
                "comments": section_comments,
                "form": comment_forms.get(title)
                or CommentForm(initial={"section": title}, org_ids=org_ids, prefix=f"s{number}"),
            }
        )
    # Comments on a section the version no longer has (should not happen; shown anyway).
    known = {s["title"] for s in sections}
    for title, section_comments in by_section.items():
        if title not in known:
            for comment in section_comments:
                comment.decision_form = DecisionForm(prefix=f"c{comment.pk}")
            sections.append(
                {
                    "anchor": f"section-x{len(sections)}",
                    "title": title,
                    "label": actions.section_label(title),
                    "html": "",
                    "comments": section_comments,
                    "form": None,
                }
            )
    counts = {
        "total": len(comments),
        "taken_in": sum(c.decision == CommentDecision.TAKEN_IN for c in comments),
        "not_taken_in": sum(c.decision == CommentDecision.NOT_TAKEN_IN for c in comments),
    }
    counts["pending"] = counts["total"] - counts["taken_in"] - counts["not_taken_in"]
    return {
        "round": round_,
        "state": round_state(round_, now),
        "sections": sections,
        "counts": counts,
        "is_owner": is_owner,
        "can_comment": bool(org_ids),
        "several_orgs": len(org_ids) > 1,
        "can_decide": is_owner and round_.closed_at is None,
        "close_form": close_form or CloseRoundForm(),
        "invited_names": [o.name for o in round_.organisations.order_by("name")],
        "document_url": document_url(round_.document),
        "nav_section": "hearings",
    }


class CommentRoundDetailView(ScopedMixin, View):
    model = CommentRound

    def get(self, request, uuid):
        round_ = get_round(request, uuid)
        return render_page(
            request, "networks/hearing/round_detail.html", round_context(request, round_)
        )


class CommentCreateView(ScopedMixin, View):
    """An invitee's comment on one section (HTMX: the section's form re-renders with its
    errors; on success the page reloads at the section)."""

    model = CommentRound

    def post(self, request, uuid):
        round_ = get_round(request, uuid)
        if not actions.commenting_org_ids(request.user, round_):
            raise PermissionDenied
        section = (request.POST.get("section") or "").strip()
        names = actions.section_names(round_.version.body)
        number = names.index(section) if section in names else 0
        prefix = f"s{number}"
        form = CommentForm(
            request.POST,
            prefix=prefix,
            org_ids=actions.commenting_org_ids(request.user, round_),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = actions.do_comment(
                    round_,
                    acting_user=request.user,
                    section=data["section"],
                    body=data["body"],
                    organisation=data["organisation"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Your comment is saved."))
                # A query of its own: a URL that differs only by its #fragment would not
                # load the page again after an HTMX redirect.
                url = reverse("networks:comment-round-detail", args=[round_.uuid])
                return redirect_htmx(
                    request, f"{url}?innspill={comment.uuid}#comment-{comment.uuid}"
                )
        context = round_context(request, round_, comment_forms={section: form})
        context["section"] = next(
            (s for s in context["sections"] if s["title"] == section), context["sections"][0]
        )
        response = render_page(
            request, "networks/hearing/round_detail.html", context, partial="comment_form"
        )
        if not request.htmx:
            response = render_page(request, "networks/hearing/round_detail.html", context)
        response.status_code = 400
        return response


class CommentDecideView(ScopedMixin, View):
    """The owner marks a comment taken in or not (HTMX: the comment re-renders)."""

    model = DocumentComment

    def post(self, request, uuid):
        comment = get_object_or_404(
            self.get_queryset().select_related("round__document", "round__version"), uuid=uuid
        )
        round_ = comment.round
        if not actions.writes_for(request.user, round_.document.owner_id):
            raise PermissionDenied
        form = DecisionForm(request.POST, prefix=f"c{comment.pk}")
        status = 400
        if form.is_valid():
            try:
                comment = actions.do_decide(
                    comment,
                    acting_user=request.user,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["decision_note"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                status = 200
                if not request.htmx:
                    messages.success(request, _("The decision is saved."))
                    url = reverse("networks:comment-round-detail", args=[round_.uuid])
                    return redirect(f"{url}#comment-{comment.uuid}")
                form = DecisionForm(
                    initial={"decision": "", "decision_note": comment.decision_note},
                    prefix=f"c{comment.pk}",
                )
        context = round_context(request, round_, decision_forms={comment.pk: form})
        context["comment"] = next(
            c for s in context["sections"] for c in s["comments"] if c.pk == comment.pk
        )
        context["saved"] = status == 200
        partial = "comment" if request.htmx else "content"
        response = render_page(
            request, "networks/hearing/round_detail.html", context, partial=partial
        )
        response.status_code = status
        return response


class CommentRoundCloseView(ScopedMixin, View):
    """The owner ends the round with a summary."""

    model = CommentRound

    def post(self, request, uuid):
        round_ = get_round(request, uuid)
        if not actions.writes_for(request.user, round_.document.owner_id):
            raise PermissionDenied
        form = CloseRoundForm(request.POST)
        if form.is_valid():
            try:
                actions.do_close_round(
                    round_, acting_user=request.user, summary=form.cleaned_data["summary"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The comment round is ended; the invitees are told."))
                return redirect_htmx(
                    request, reverse("networks:comment-round-detail", args=[round_.uuid])
                )
        response = render_page(
            request,
            "networks/hearing/round_detail.html",
            round_context(request, round_, close_form=form),
            partial="close_form",
        )
        if not request.htmx:
            response = render_page(
                request,
                "networks/hearing/round_detail.html",
                round_context(request, round_, close_form=form),
            )
        response.status_code = 400
        return response


# --- action cards ----------------------------------------------------------------------


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
        "can_edit": actions.writes_for(user, card.owner_id),
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
        if not actions.writes_for(request.user, self.card.owner_id):
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
