"""The export page: choose CSV or PDF and what happens to exempt entries, then download.
The form is sent with GET (a download changes nothing), so the chosen export is a link."""

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.views import View

from incidents.log.exports import export_response, incident_for_export
from incidents.log.forms import IncidentExportForm
from incidents.log.models import Incident
from portal.web import ScopedMixin, render_page


def incident_page_url(incident):
    """The incident's own page, when the incident pages are installed."""
    for name in ("incidents:incident-detail", "incidents:log"):
        try:
            return reverse(name, kwargs={"uuid": incident.uuid})
        except NoReverseMatch:
            continue
    return None


class IncidentExportView(ScopedMixin, View):
    """Eksport av hendelseslogg. Anyone who sees the incident may export it; the export
    holds only the entries they may see."""

    model = Incident

    def get(self, request, uuid):
        incident = get_object_or_404(incident_for_export(self.get_queryset()), uuid=uuid)
        form = IncidentExportForm(request.GET or None)
        if form.is_bound and form.is_valid():
            return export_response(
                incident, request.user, form.cleaned_data["format"], form.cleaned_data["exempt"]
            )
        response = render_page(
            request,
            "incidents/export_form.html",
            {
                "incident": incident,
                "form": form,
                "incident_url": incident_page_url(incident),
                "nav_section": "incidents",
            },
        )
        if form.is_bound:
            response.status_code = 400
        return response
