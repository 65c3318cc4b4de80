"""Meeting pages: the list, convening, the meeting page (agenda, invitations and
replies, attendance, minutes, decisions, follow-ups), the posts that change them, and
the .ics file."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from networks.meetings import actions
from networks.meetings.filtersets import MeetingFilterSet
from networks.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    ReplyForm,
)
from networks.meetings.ics import meeting_ics
from networks.meetings.models import FollowUp, Invitation, Meeting, Reply
from networks.meetings.rules import convenes_any, mark_links, runs_meeting
from portal.access import org_ids_with, viewer_for
from portal.history import VersionConflict
from portal.roles import FOLLOW_UP_WRITER_ROLES, MEETING_REPLY_ROLES
from portal.web import ActionFormView, ScopedMixin, add_action_errors, render_page


def meetings_for_list(queryset):
    return queryset.select_related("convener").annotate(
        invited=Count("invitations", distinct=True),
        accepted=Count(
            "invitations",
            filter=Q(invitations__reply__in=[Reply.ATTENDING, Reply.DELEGATE]),
            distinct=True,
        ),
    )


class MeetingListView(ScopedMixin, View):
    model = Meeting

    def get(self, request):
        filterset = MeetingFilterSet(request.GET, queryset=self.get_queryset())
        meetings = meetings_for_list(filterset.qs)
        now = timezone.now()
        upcoming = sorted((m for m in meetings if m.ends_at >= now), key=lambda m: m.starts_at)
        past = [m for m in meetings if m.ends_at < now][:50]
        return render_page(
            request,
            "networks/meetings/meeting_list.html",
            {
                "filterset": filterset,
                "upcoming": upcoming,
                "past": past,
                "may_convene": convenes_any(request.user),
                "nav_section": "meetings",
            },
        )


class MeetingCreateView(ActionFormView):
    model = Meeting
    template_name = "networks/meetings/meeting_form.html"
    nav_section = "meetings"
    success_message = gettext_lazy("The meeting was convened and the invitations sent.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not convenes_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return MeetingForm(data, user=self.request.user)

    def perform(self, form):
        return actions.do_convene_meeting(acting_user=self.request.user, **form.action_kwargs())

    def get_success_url(self, meeting):
        return reverse("networks:meeting-detail", args=[meeting.uuid])


def get_meeting(request, uuid):
    queryset = Meeting.objects.visible_to(request.user).select_related("convener", "series")
    return get_object_or_404(queryset, uuid=uuid)


def meeting_context(request, meeting, **forms):
    """Everything the meeting page shows, in a fixed number of queries."""
    user = request.user
    viewer = viewer_for(user)
    runs = runs_meeting(user, meeting)
    invitations = list(meeting.invitations.select_related("organisation"))
    reply_orgs = org_ids_with(user, MEETING_REPLY_ROLES)
    mine = [i for i in invitations if i.organisation_id in reply_orgs]
    minutes = list(meeting.minutes.all())
    decisions = [d for d in meeting.decisions.all() if runs or d.published]
    follow_ups = list(
        FollowUp.objects.visible_to(user).filter(meeting=meeting).select_related("assignee")
    )
    doers = org_ids_with(user, FOLLOW_UP_WRITER_ROLES)
    for follow_up in follow_ups:
        follow_up.may_complete = (
            follow_up.published and follow_up.status == "open" and follow_up.assignee_id in doers
        )
    meeting.invitations_cached = invitations
    context = {
        "meeting": meeting,
        "agenda": mark_links(user, meeting.agenda.all()),
        "invitations": invitations,
        "my_invitations": mine,
        "counts": {
            "invited": len(invitations),
            "accepted": sum(i.reply in (Reply.ATTENDING, Reply.DELEGATE) for i in invitations),
            "declined": sum(i.reply == Reply.NOT_ATTENDING for i in invitations),
        },
        "minutes": minutes[0] if minutes else None,
        "earlier_minutes": minutes[1:],
        "decisions": decisions,
        "follow_ups": follow_ups,
        "runs": runs,
        "is_own": meeting.convener_id in viewer.org_ids,
        "nav_section": "meetings",
    }
    if mine:
        context["reply_form"] = forms.get("reply_form") or ReplyForm(
            initial={
                "reply": mine[0].reply if mine[0].reply != Reply.PENDING else None,
                "delegate_name": mine[0].delegate_name,
            }
        )
    if runs:
        meeting.invitations_for_forms = invitations
        context.update(
            agenda_form=forms.get("agenda_form") or AgendaItemForm(),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(
                initial={"text": meeting.minutes_draft, "version": meeting.minutes_draft_version}
            ),
            decision_form=forms.get("decision_form") or DecisionForm(),
            follow_up_form=forms.get("follow_up_form") or _follow_up_form(meeting, invitations),
            attended_ids={i.organisation_id for i in invitations if i.attended},
        )
    return context


def _follow_up_form(meeting, invitations, data=None):
    form = FollowUpForm(data, meeting=meeting)
    return form


class MeetingDetailView(ScopedMixin, View):
    model = Meeting

    def get(self, request, uuid):
        meeting = get_meeting(request, uuid)
        return render_page(
            request, "networks/meetings/meeting_detail.html", meeting_context(request, meeting)
        )


class MeetingPostView(ScopedMixin, View):
    """A post on the meeting page: the form, the action, back to the page (or the page
    again with the form's errors in place, 400)."""

    model = Meeting
    form_name = ""
    success_message: Any = ""
    runner_only = True
    anchor = ""

    def make_form(self, meeting, data):
        raise NotImplementedError

    def perform(self, meeting, form):
        raise NotImplementedError

    def post(self, request, uuid):
        meeting = get_meeting(request, uuid)
        if self.runner_only and not runs_meeting(request.user, meeting):
            raise PermissionDenied
        form = self.make_form(meeting, request.POST)
        if form.is_valid():
            try:
                self.perform(meeting, form)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(reverse("networks:meeting-detail", args=[uuid]) + self.anchor)
        return render_page(
            request,
            "networks/meetings/meeting_detail.html",
            meeting_context(request, meeting, **{self.form_name: form}),
            status=400,
        )


class ReplyView(MeetingPostView):
    form_name = "reply_form"
    runner_only = False
    success_message = gettext_lazy("Your reply was saved.")
    anchor = "#innkalte"

    def post(self, request, uuid):
        meeting = get_meeting(request, uuid)
        reply_orgs = org_ids_with(request.user, MEETING_REPLY_ROLES)
        if not meeting.invitations.filter(organisation_id__in=reply_orgs).exists():
            raise PermissionDenied
        return super().post(request, uuid)

    def make_form(self, meeting, data):
        return ReplyForm(data)

    def perform(self, meeting, form):
        reply_orgs = org_ids_with(self.request.user, MEETING_REPLY_ROLES)
        for invitation in Invitation.objects.filter(
            meeting=meeting, organisation_id__in=reply_orgs
        ):
            actions.do_reply(invitation, acting_user=self.request.user, **form.cleaned_data)


class AgendaItemView(MeetingPostView):
    form_name = "agenda_form"
    success_message = gettext_lazy("The agenda item was added.")
    anchor = "#saksliste"

    def make_form(self, meeting, data):
        return AgendaItemForm(data)

    def perform(self, meeting, form):
        data = form.cleaned_data
        actions.do_add_agenda_item(
            meeting,
            acting_user=self.request.user,
            title=data["title"],
            ref_kind=data["ref_kind"] or "",
            ref_uuid=data["ref_uuid"],
        )


class AttendanceView(MeetingPostView):
    form_name = "attendance_form"
    success_message = gettext_lazy("Attendance was recorded.")
    anchor = "#innkalte"

    def make_form(self, meeting, data):
        return AttendanceForm(data, meeting=meeting)

    def perform(self, meeting, form):
        actions.do_record_attendance(
            meeting, acting_user=self.request.user, attended=form.cleaned_data["attended"]
        )


class MinutesDraftView(MeetingPostView):
    form_name = "minutes_form"
    success_message = gettext_lazy("The draft minutes were saved.")
    anchor = "#referat"

    def make_form(self, meeting, data):
        return MinutesForm(data)

    def perform(self, meeting, form):
        try:
            actions.do_save_minutes_draft(
                meeting,
                acting_user=self.request.user,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except VersionConflict as error:
            raise ValidationError({"text": error.messages}) from error

    def post(self, request, uuid):
        response = super().post(request, uuid)
        if getattr(request, "htmx", False) and response.status_code == 302:
            # Autosave: the form stays, with the new version to continue from.
            meeting = get_meeting(request, uuid)
            return render_page(
                request,
                "networks/meetings/meeting_detail.html",
                meeting_context(request, meeting),
                partial="minutes",
            )
        return response


class PublishMinutesView(MeetingPostView):
    form_name = "minutes_form"
    success_message = gettext_lazy("The minutes were published to the participants.")
    anchor = "#referat"

    def make_form(self, meeting, data):
        return MinutesForm(
            {"text": meeting.minutes_draft, "version": meeting.minutes_draft_version}
        )

    def perform(self, meeting, form):
        actions.do_publish_minutes(meeting, acting_user=self.request.user)


class DecisionView(MeetingPostView):
    form_name = "decision_form"
    success_message = gettext_lazy("The decision was added.")
    anchor = "#vedtak"

    def make_form(self, meeting, data):
        return DecisionForm(data)

    def perform(self, meeting, form):
        actions.do_add_decision(meeting, acting_user=self.request.user, **form.cleaned_data)


class FollowUpView(MeetingPostView):
    form_name = "follow_up_form"
    success_message = gettext_lazy("The follow-up task was added.")
    anchor = "#oppfolging"

    def make_form(self, meeting, data):
        return FollowUpForm(data, meeting=meeting)

    def perform(self, meeting, form):
        actions.do_add_follow_up(meeting, acting_user=self.request.user, **form.cleaned_data)


class FollowUpDoneView(ScopedMixin, View):
    model = FollowUp

    def post(self, request, uuid):
        follow_up = get_object_or_404(self.get_queryset().select_related("meeting"), uuid=uuid)
        try:
            actions.do_complete_follow_up(follow_up, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(task)s: done.") % {"task": follow_up.title})
        return redirect(
            reverse("networks:meeting-detail", args=[follow_up.meeting.uuid]) + "#oppfolging"
        )


class MeetingIcsView(ScopedMixin, View):
    model = Meeting

    def get(self, request, uuid):
        meeting = get_meeting(request, uuid)
        url = request.build_absolute_uri(reverse("networks:meeting-detail", args=[uuid]))
        body = meeting_ics(meeting, url=url, host=request.get_host().split(":")[0])
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mote-{meeting.uuid}.ics"'
        return response
