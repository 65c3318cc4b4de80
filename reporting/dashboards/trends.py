"""The trend page of a published picture (utvikling): each key field over the rounds of
its series, yours against the region (per 1,000 inhabitants for a count), as a chart
(Chart.js, from the page's JSON data block) with the same figures in a table beside it.
For everyone who sees the picture; the municipality's own line only for its own people.
"""

from __future__ import annotations

from django.views import View

from portal.access import viewer_for
from portal.web import ScopedMixin, render_page
from reporting.dashboards.views import _compilation, own_place
from reporting.models import Compilation, Submission, SubmissionStatus
from reporting.trends import trend


def own_municipality(user, compilation):
    """The municipality the user reports for in the picture's round (None otherwise)."""
    viewer = viewer_for(user)
    own = (
        Submission.objects.visible_to(user)
        .filter(
            round_id=compilation.round_id,
            municipality_id__in=viewer.org_ids,
            status=SubmissionStatus.SUBMITTED,
        )
        .select_related("municipality__municipality")
    )
    if compilation.office_id is not None:
        own = own.filter(municipality__region_id=compilation.office_id)
    return own_place(own.order_by("municipality__name").first())


class PictureTrendView(ScopedMixin, View):
    """Utvikling — the key fields of a picture's series over time."""

    model = Compilation

    def get(self, request, uuid):
        compilation = _compilation(request, uuid)
        municipality = own_municipality(request.user, compilation)
        data = trend(compilation, request.user, municipality)
        return render_page(
            request,
            "reporting/picture_trend.html",
            {
                "compilation": compilation,
                "round": compilation.round,
                "trend": data,
                "nav_section": "reporting",
            },
        )
