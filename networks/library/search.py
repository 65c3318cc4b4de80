"""Norwegian full-text search and filters over the library documents a user may see —
one function for the page, the API and the bench. The queryset is scoped
(``Document.objects.visible_to``) before anything else; the filter choices are taken
from what the user may see, so a filter never reveals anything new."""

from __future__ import annotations

from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef

from networks.library.models import Document, DocumentKind, DocumentShare
from networks.structure.models import Network, Organisation
from portal.search import is_uuid, norwegian_query


def search_documents(user, *, q="", kind="", owner="", network="", topic=""):
    """Documents visible to ``user`` matching the web-search style query ``q`` (Norwegian
    configuration, ranked) and the filters: ``kind`` (a DocumentKind value), ``owner``
    (an organisation's uuid), ``network`` (a network's slug: documents shared with it),
    ``topic`` (exact, case-insensitive). Invalid filter values match nothing."""
    documents = Document.objects.visible_to(user).select_related("owner")
    q = (q or "").strip()[:200]
    if kind:
        documents = documents.filter(kind=kind) if kind in DocumentKind.values else documents.none()
    if owner:
        documents = documents.filter(owner__uuid=owner) if is_uuid(owner) else documents.none()
    if network:
        documents = documents.filter(
            Exists(DocumentShare.objects.filter(document=OuterRef("pk"), network__slug=network))
        )
    if topic:
        documents = documents.filter(topic__iexact=topic.strip())
    if q:
        query = norwegian_query(q)
        documents = (
            documents.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "title", "id")
        )
    else:
        documents = documents.order_by("title", "id")
    return documents


def filter_choices(user):
    """Owners, topics and networks to filter by: three queries, from what the user sees."""
    visible = Document.objects.visible_to(user)
    owners = list(
        Organisation.objects.filter(pk__in=visible.values("owner_id"))
        .order_by("name")
        .only("uuid", "name", "short_name")
    )
    topics = list(
        visible.exclude(topic="").order_by("topic").values_list("topic", flat=True).distinct()
    )
    networks = list(
        Network.objects.visible_to(user)
        .filter(
            pk__in=DocumentShare.objects.filter(document__in=visible, network__isnull=False).values(
                "network_id"
            )
        )
        .order_by("name")
    )
    return {"owners": owners, "topics": topics, "networks": networks}
