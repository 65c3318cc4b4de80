"""Norwegian full-text search across every log the user may see."""

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views import View

from incidents.log.models import LogEntry
from incidents.log.views.common import KIND_COLOURS
from portal.search import norwegian_query
from portal.web import ScopedMixin, render_page

HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def highlighted(headline):
    """The search headline, escaped, with its matches marked (the text is the user's
    own: escape first, then turn the private-use markers into <mark>)."""
    text = escape(headline or "")
    text = text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(text)  # noqa: S308  # nosec B703  # escaped above


class SearchView(ScopedMixin, View):
    """Norwegian full-text search across every log the user may see."""

    model = LogEntry
    paginate_by = 25

    def get(self, request):
        q = (request.GET.get("q") or "").strip()[:200]
        page = None
        if q:
            query = norwegian_query(q)
            rows = (
                self.get_queryset()
                .filter(search=query)
                .select_related("incident", "incident__frame", "incident__owner", "author")
                .annotate(
                    # A later entry corrected or retracted it (corrections of a visible
                    # entry are visible too).
                    superseded=Exists(LogEntry.objects.filter(corrects=OuterRef("pk"))),
                    rank=SearchRank(F("search"), query),
                    headline=SearchHeadline(
                        "text",
                        query,
                        config="norwegian",
                        start_sel=HIGHLIGHT_START,
                        stop_sel=HIGHLIGHT_STOP,
                        max_words=35,
                        min_words=15,
                        max_fragments=2,
                    ),
                )
                .order_by("-rank", "-occurred_at", "-id")
            )
            page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
            for entry in page.object_list:
                entry.snippet = highlighted(entry.headline)
        query = request.GET.copy()
        query.pop("page", None)
        return render_page(
            request,
            "incidents/search.html",
            {
                "q": q,
                "page": page,
                "query": query.urlencode(),
                "kind_colours": KIND_COLOURS,
                "nav_section": "incidents",
            },
            partial="results",
        )
