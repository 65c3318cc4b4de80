"""The trend page of a published picture (utvikling): each key field over the rounds of
its series, yours against the region (per 1,000 inhabitants for a count), as a chart
(Chart.js, from the page's JSON data block) with the same figures in a table beside it.
For everyone who sees the picture; the municipality's own line only for its own people.
"""

from __future__ import annotations

from django.views import View

from portal.web import ScopedMixin, render_page
from reporting.dashboards.views import _compilation
from reporting.models import Compilation
from reporting.peers import own_municipality
from reporting.trends import trend


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
