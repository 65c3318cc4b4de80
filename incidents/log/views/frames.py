"""Crisis frames (national crises and exercises): the list, a frame's page with its
incidents by region, create and edit."""

import copy
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from incidents.log import actions
from incidents.log.forms import CrisisFrameForm
from incidents.log.models import CrisisFrame, Incident
from incidents.log.rules import incident_writer_org_ids
from incidents.log.views.common import SEVERITY_COLOURS, STATUS_COLOURS, incidents_for
from portal.access import viewer_for
from portal.web import ActionFormView, ScopedMixin, render_page


def frames_for(user):
    return CrisisFrame.objects.visible_to(user).select_related("owner")


class FrameListView(ScopedMixin, View):
    """National crisis frames and exercise frames, each with how many of its incidents
    the user may see (two queries however many frames and incidents)."""

    model = CrisisFrame

    def get(self, request):
        frames = list(self.get_queryset().select_related("owner").order_by("-started_at", "id"))
        counts = dict(
            Incident.objects.visible_to(request.user)
            .filter(frame__isnull=False)
            .order_by()
            .values("frame_id")
            .annotate(n=Count("id"))
            .values_list("frame_id", "n")
        )
        for frame in frames:
            frame.visible_incidents = counts.get(frame.pk, 0)
        return render_page(
            request,
            "incidents/frame_list.html",
            {
                "frames": frames,
                "can_create": request.user.has_perm("incidents.create_frame"),
                "nav_section": "incidents",
            },
        )


class FrameDetailView(ScopedMixin, View):
    """A frame's facts and the incidents under it that the user may see, grouped by
    State Administrator region and then organisation: for an office, what its region's
    municipalities shared with it under the frame."""

    model = CrisisFrame

    def get(self, request, uuid):
        frame = get_object_or_404(frames_for(request.user), uuid=uuid)
        incidents = (
            incidents_for(request.user)
            .filter(frame=frame)
            .order_by(
                F("owner__region__name_bokmaal").asc(nulls_last=True),
                "owner__name",
                "-started_at",
                "id",
            )
        )
        regions = []
        for region, in_region in groupby(incidents, key=lambda i: i.owner.region):
            owners = [
                {"owner": owner, "incidents": list(items)}
                for owner, items in groupby(in_region, key=lambda i: i.owner)
            ]
            regions.append(
                {
                    "region": region,
                    "owners": owners,
                    "count": sum(len(o["incidents"]) for o in owners),
                }
            )
        viewer = viewer_for(request.user)
        return render_page(
            request,
            "incidents/frame_detail.html",
            {
                "frame": frame,
                "regions": regions,
                "incident_count": sum(r["count"] for r in regions),
                "own_org_ids": viewer.org_ids,
                "can_change": request.user.has_perm("incidents.change_frame", frame),
                "can_open_incident": bool(incident_writer_org_ids(request.user)),
                "status_colours": STATUS_COLOURS,
                "severity_colours": SEVERITY_COLOURS,
                "nav_section": "incidents",
            },
        )


class FrameCreateView(ActionFormView):
    """National analysts create national frames and exercises for their organisation;
    State Administrator officers create exercise frames for their office."""

    model = CrisisFrame
    template_name = "incidents/frame_form.html"
    nav_section = "incidents"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("incidents.create_frame"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, form):
        return {"frame": None}

    def get_form(self, data=None, files=None):
        return CrisisFrameForm(data, user=self.request.user)

    def perform(self, form):
        return actions.do_create_frame(
            owner=form.cleaned_data["owner"], acting_user=self.request.user, **form.changes()
        )

    def get_success_message(self, frame):
        return _("The crisis frame %(title)s was created.") % {"title": frame.title}

    def get_success_url(self, frame):
        return reverse("incidents:frame-detail", args=[frame.uuid])


class FrameEditView(ActionFormView):
    """The owner organisation's analysts or officers change a frame (e.g. end it)."""

    model = CrisisFrame
    template_name = "incidents/frame_form.html"
    nav_section = "incidents"
    success_message = _("The crisis frame was saved.")
    frame = None

    def dispatch(self, request, uuid):
        if request.user.is_authenticated:
            self.frame = get_object_or_404(frames_for(request.user), uuid=uuid)
            if not request.user.has_perm("incidents.change_frame", self.frame):
                raise PermissionDenied
        return super().dispatch(request, uuid)

    def get_context(self, form):
        return {"frame": self.frame}

    def get_form(self, data=None, files=None):
        if data is None:
            return CrisisFrameForm(instance=self.frame, user=self.request.user)
        return CrisisFrameForm(data, instance=copy.copy(self.frame), user=self.request.user)

    def perform(self, form):
        return actions.do_update_frame(self.frame, acting_user=self.request.user, **form.changes())

    def get_success_url(self, frame):
        return reverse("incidents:frame-detail", args=[self.frame.uuid])
