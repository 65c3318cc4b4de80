"""Like with like: a municipality's counts per 1,000 inhabitants beside its peers'.

A municipality's peers in a round are the municipalities that submitted to it and are:

* in its region (the State Administrator office's);
* its neighbours (``Municipality.neighbours``, the current ``NeighbourLink`` pairs);
* in its networks (current memberships, e.g. Storbynettverk beredskap's cities);
* of its size class (:data:`SIZE_CLASSES`, Statistics Norway's).

For each of the round's key count fields (:func:`key_count_fields`: the first
:data:`KEY_FIELDS` fields that are summed) and each group: the group's rate (its sum per
1,000 of its population), the median of its members' rates, and the municipality's rank
by rate (1 = the highest) among the members that answered. A group with fewer than
:data:`MIN_PEERS` other municipalities answering shows no figures, so a comparison never
gives away one municipality's answer. Three queries whatever the size of the round.

These are figures computed from every submitted answer, like the compiled picture's; no
single other municipality's answer leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.structure.models import Municipality, NetworkMembership
from portal.access import viewer_for
from reporting.compilation import _median, per_1000
from reporting.models import Submission, SubmissionStatus
from reporting.validation import SUM, field_aggregate, iter_fields

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

#: How many count fields a comparison (and a trend) covers: the form's first ones.
KEY_FIELDS = 4
#: A peer group shows figures only when at least this many other municipalities answered.
MIN_PEERS = 3


@dataclass(frozen=True)
class SizeClass:
    slug: str
    label: str | _StrPromise
    low: int
    high: int | None  # inclusive upper bound; None: no upper bound

    def holds(self, population: int) -> bool:
        return population >= self.low and (self.high is None or population <= self.high)


#: Statistics Norway's (SSB) size classes of municipalities by population, as its KOSTRA
#: municipality groups (kommunegrupper) band them: small, under 5,000 inhabitants; medium,
#: 5,000–19,999; large, 20,000 and more. Source: SSB, «KOSTRA-gruppering av kommuner»
#: (population bands of the grouping; not verifiable offline here — change the bands in
#: this one place). Populations are ``Municipality.population`` (1 January 2024).
SIZE_CLASSES = (
    SizeClass("small", gettext_lazy("Small municipalities (under 5,000)"), 0, 4_999),
    SizeClass("medium", gettext_lazy("Medium-sized municipalities (5,000–19,999)"), 5_000, 19_999),
    SizeClass("large", gettext_lazy("Large municipalities (20,000 or more)"), 20_000, None),
)


def size_class(population: int) -> SizeClass:
    return next(c for c in SIZE_CLASSES if c.holds(population or 0))


def key_count_fields(definition) -> list[dict]:
    """The form's first :data:`KEY_FIELDS` number fields that are summed (counts)."""
    return [f for f in iter_fields(definition) if field_aggregate(f) == SUM][:KEY_FIELDS]


def _number(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def peer_groups(municipality: Municipality, region_id, rows) -> list[dict]:
    """The municipality's peer groups: kind, label and the organisation ids in it (two
    queries: neighbours, networks). ``rows`` (the round's submitted rows) give the size
    class's members."""
    org_id = municipality.organisation_id
    groups = [
        {
            "kind": "region",
            "slug": "region",
            "label": _("The region"),
            "members": {r["municipality_id"] for r in rows if r["region_id"] == region_id},
        }
    ]
    neighbours = set(municipality.neighbours.values_list("organisation_id", flat=True))
    groups.append(
        {
            "kind": "neighbours",
            "slug": "neighbours",
            "label": _("Neighbouring municipalities"),
            "members": neighbours | {org_id},
        }
    )
    mine = NetworkMembership.objects.current().filter(organisation_id=org_id).values("network_id")
    networks: dict[int, dict] = {}
    for network_id, slug, short, name, member in (
        NetworkMembership.objects.current()
        .filter(network_id__in=Subquery(mine))
        .values_list(
            "network_id", "network__slug", "network__short_name", "network__name", "organisation_id"
        )
        .order_by("network__name", "organisation_id")
    ):
        group = networks.setdefault(
            network_id, {"kind": "network", "slug": slug, "label": short or name, "members": set()}
        )
        group["members"].add(member)
    groups.extend(networks.values())
    own_class = size_class(municipality.population)
    groups.append(
        {
            "kind": "size",
            "slug": own_class.slug,
            "label": str(own_class.label),
            "members": {r["municipality_id"] for r in rows if own_class.holds(r["population"])},
        }
    )
    return groups


def submitted_rows(round_) -> list[dict]:
    """Every submitted answer of the round with its municipality's population (one query)."""
    return [
        {
            "municipality_id": r["municipality_id"],
            "region_id": r["municipality__region_id"],
            "population": r["municipality__municipality__population"] or 0,
            "answers": r["answers"] or {},
        }
        for r in Submission.objects.filter(round=round_, status=SubmissionStatus.SUBMITTED).values(
            "municipality_id",
            "municipality__region_id",
            "municipality__municipality__population",
            "answers",
        )
    ]


def compare(round_, municipality: Municipality, *, region_id=None) -> dict:
    """The municipality's key counts per 1,000 beside each peer group's, with its rank.
    ``region_id``: the office of the picture (the municipality's own by default)."""
    fields = key_count_fields(round_.form_version.definition)
    org_id = municipality.organisation_id
    rows = submitted_rows(round_)
    if region_id is None:
        region_id = next((r["region_id"] for r in rows if r["municipality_id"] == org_id), None)
    groups = peer_groups(municipality, region_id, rows)
    rates: dict[str, dict[int, tuple[Decimal, Decimal, int]]] = {f["key"]: {} for f in fields}
    for row in rows:
        for spec in fields:
            value = _number(row["answers"].get(spec["key"]))
            rate = per_1000(value, row["population"])
            if rate is not None:
                rates[spec["key"]][row["municipality_id"]] = (rate, value, row["population"])
    result_fields = []
    for spec in fields:
        own = rates[spec["key"]].get(org_id)
        lines = []
        for group in groups:
            answered = {m: v for m, v in rates[spec["key"]].items() if m in group["members"]}
            others = len(answered) - (1 if org_id in answered else 0)
            line = {
                "kind": group["kind"],
                "slug": group["slug"],
                "label": group["label"],
                "answered": len(answered),
                "shown": others >= MIN_PEERS,
                "per_1000": None,
                "median_per_1000": None,
                "rank": None,
            }
            if line["shown"]:
                total = sum((v for _r, v, _p in answered.values()), Decimal(0))
                people = sum(p for _r, _v, p in answered.values())
                line["per_1000"] = per_1000(total, people)
                line["median_per_1000"] = _median([r for r, _v, _p in answered.values()])
                if own is not None and org_id in answered:
                    line["rank"] = 1 + sum(1 for r, _v, _p in answered.values() if r > own[0])
            lines.append(line)
        result_fields.append(
            {
                "key": spec["key"],
                "label": spec["label"],
                "unit": spec.get("unit", ""),
                "own": own[1] if own else None,
                "own_per_1000": own[0] if own else None,
                "groups": lines,
            }
        )
    return {
        "municipality": municipality.label,
        "population": municipality.population,
        "size_class": str(size_class(municipality.population).label),
        "min_peers": MIN_PEERS,
        "fields": result_fields,
    }


def own_place(submission):
    """The Municipality behind a submission (None for none, or an organisation that is
    not a municipality)."""
    if submission is None:
        return None
    try:
        return submission.municipality.municipality
    except ObjectDoesNotExist:
        return None


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
