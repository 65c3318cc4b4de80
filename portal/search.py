"""Search helpers every search box shares: the Norwegian web-search query and the check
that a value is a uuid (before it reaches a ``uuid`` lookup)."""

from __future__ import annotations

import re
import uuid

from django.contrib.postgres.search import SearchQuery

#: Common Norwegian inflection endings, longest first (see :func:`norwegian_query`).
ENDINGS = ("ene", "ane", "ert", "er", "en", "et", "ar", "a", "e")


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def word_prefix(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def norwegian_query(value: str) -> SearchQuery:
    """A web-search style query ("flom -Bergen", "\\"stengt vei\\"") with the Norwegian
    configuration, widened by prefixes of each word without its ending.

    PostgreSQL's Norwegian (Snowball) stemmer leaves many forms apart — "flommen" is
    stemmed to "flomm", "flom" to "flom"; "veiene" to "veien", "veier" to "veier" — so
    the plain web-search query alone would miss them. A plain word query (no quotes,
    no minus, no "or") also matches when every word's stem-prefix matches ("flom:*",
    "vei:*"), which the GIN index on ``search`` serves as well."""
    query = SearchQuery(value, config="norwegian", search_type="websearch")
    if re.search(r'["\-]|\bor\b', value, re.IGNORECASE):
        return query
    words = [w.lower() for w in re.findall(r"[^\W_]+", value) if len(w) >= 3]
    if not words:
        return query
    prefixes = " & ".join(f"{word_prefix(w)}:*" for w in words[:8])
    return query | SearchQuery(prefixes, config="norwegian", search_type="raw")
