"""Pages of comment rounds (høring).

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404; one
who sees but may not act gets 403. Every write goes through ``networks.comment_rounds.actions``.
Forms re-render in place with their errors (HTMX, 400); lists run a constant number of
queries.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from networks.comment_rounds import actions
from networks.comment_rounds.forms import CloseRoundForm, CommentForm, DecisionForm, OpenRoundForm
from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment
from networks.library.models import Document
from networks.library.rules import writes_for
from networks.structure.models import Organisation
from portal.templatetags.portal_markdown import render_markdown
from portal.web import ActionFormView, ScopedMixin, add_action_errors, redirect_htmx, render_page


def document_url(document) -> str:
    """The library's page of the document."""
    return reverse("networks:document-detail", kwargs={"uuid": document.uuid})


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


class CommentRoundCreateView(ActionFormView):
    """The document's owner opens its latest version for comments."""

    model = Document
    template_name = "networks/hearing/round_form.html"
    nav_section = "hearings"
    success_message = gettext_lazy("The comment round is open; the invitees are notified.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.document = get_object_or_404(
            self.get_queryset().select_related("owner"), uuid=kwargs["uuid"]
        )
        if not writes_for(request.user, self.document.owner_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return OpenRoundForm(data, document=self.document, user=self.request.user)

    def get_context(self, form):
        return {"document": self.document, "document_url": document_url(self.document)}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_open_round(
            self.document,
            acting_user=self.request.user,
            deadline=data["deadline"],
            network=data["network"],
            organisations=list(data["organisations"]),
        )

    def get_success_url(self, round_):
        return reverse("networks:comment-round-detail", args=[round_.uuid])


def get_round(request, uuid):
    return get_object_or_404(rounds_for(request.user), uuid=uuid)


def round_context(request, round_, *, comment_forms=None, decision_forms=None, close_form=None):
    """The round page: the version's text cut into its sections, each with its comments
    (one query) and, for an invitee while the round is open, a comment form."""
    user = request.user
    now = timezone.now()
    is_owner = writes_for(user, round_.document.owner_id)
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
        if not writes_for(request.user, round_.document.owner_id):
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
        if not writes_for(request.user, round_.document.owner_id):
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
