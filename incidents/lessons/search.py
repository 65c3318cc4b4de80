"""Lessons like a given one: full-text ranking against the lesson's own lexemes (the
lesson page's "similar lessons" and the API's ``/lessons/{id}/similar/``)."""

from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from incidents.lessons.models import Lesson

#: How many similar lessons a lesson's page and the API show.
SIMILAR_LIMIT = 5


#: The lesson's own lexemes OR-ed into one tsquery (lexemes are already Norwegian stems,
#: so they are cast, not parsed again). A lexeme with a backslash cannot be quoted safely
#: and is left out.
_OWN_TERMS = (
    "(SELECT array_to_string(array("
    "SELECT quote_literal(t) FROM unnest(tsvector_to_array(src.search)) AS t "
    "WHERE position(E'\\\\' IN t) = 0), ' | ')::tsquery "
    "FROM incidents_lesson AS src WHERE src.id = %s)"
)


def similar_lessons(lesson, user, limit=SIMILAR_LIMIT):
    """Lessons the user may see whose text is like ``lesson``'s, best first: PostgreSQL
    full-text ranking of each lesson against the OR of this lesson's own lexemes
    (Norwegian stems, stop words dropped), normalised by document length. One query; the
    GIN index on ``search`` finds the candidates.

    pg_trgm is available in the embedded PostgreSQL, but trigram similarity compares
    character soup over whole paragraphs, needs an extension and an index of its own,
    and knows no Norwegian stems; full-text ranking uses the index the search already
    has (decision noted in the issue report)."""
    # Constant SQL of our own; the lesson id travels as a parameter.
    matches = RawSQL(  # noqa: S611  # nosec B611  # constant SQL, id as parameter
        "incidents_lesson.search @@ " + _OWN_TERMS, [lesson.pk], output_field=BooleanField()
    )
    rank = RawSQL(  # noqa: S611  # nosec B611  # constant SQL, id as parameter
        "ts_rank(incidents_lesson.search, " + _OWN_TERMS + ", 1)",
        [lesson.pk],
        output_field=FloatField(),
    )
    return list(
        Lesson.objects.visible_to(user)
        .select_related("owner", "owner__region")
        .exclude(pk=lesson.pk)
        .filter(matches)
        .annotate(similarity=rank)
        .order_by("-similarity", "-created_at", "-id")[:limit]
    )
