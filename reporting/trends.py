"""Trends: a picture's key fields over the rounds of its series — yours against the
region, per 1,000 inhabitants for a count.

A round's series is the rounds of its schedule (rapporteringshjul), or else the rounds in
the same crisis frame with the same form; a round in neither is a series of one. The
region's figure of each round is the one its published picture (of the same office and
level) froze; yours is your municipality's submitted answer. So a trend shows nothing a
user could not read round by round: pictures come from ``Compilation.objects.visible_to``,
answers from ``Submission.objects.visible_to``. Three queries whatever the length.
"""

from __future__ import annotations

from django.utils import timezone

from reporting.compilation import as_decimal, per_1000
from reporting.models import Compilation, ReportingRound, Submission, SubmissionStatus
from reporting.peers import KEY_FIELDS
from reporting.validation import NO_AGGREGATE, SUM, field_aggregate, iter_fields

#: The most rounds a trend shows (the latest ones).
MAX_POINTS = 60


def key_fields(definition) -> list[dict]:
    """The form's first :data:`KEY_FIELDS` number fields that are put together."""
    return [f for f in iter_fields(definition) if field_aggregate(f) not in (None, NO_AGGREGATE)][
        :KEY_FIELDS
    ]


def series_filter(round_) -> dict:
    """The lookup that selects the rounds of ``round_``'s series."""
    if round_.schedule_id:
        return {"schedule_id": round_.schedule_id}
    if round_.frame_id:
        return {
            "frame_id": round_.frame_id,
            "form_version__form_id": round_.form_version.form_id,
        }
    return {"pk": round_.pk}


def _text(value):
    return None if value is None else str(value)


def trend(compilation, user, municipality=None) -> dict:
    """The trend of ``compilation``'s key fields over its series, for ``user``: the
    region's figure from each published picture of the same office and level, and — with
    ``municipality`` (a networks.structure Municipality the user acts for) — its own."""
    round_ = compilation.round
    fields = key_fields(round_.form_version.definition)
    pictures = list(
        Compilation.objects.visible_to(user)
        .filter(
            round__in=ReportingRound.objects.visible_to(user).filter(**series_filter(round_)),
            office_id=compilation.office_id,
            level=compilation.level,
            published_at__isnull=False,
        )
        .select_related("round")
        .order_by("-round__deadline", "-round_id")[:MAX_POINTS]
    )
    pictures.reverse()
    own: dict[int, dict] = {}
    if municipality is not None:
        own = {
            round_id: answers or {}
            for round_id, answers in Submission.objects.visible_to(user)
            .filter(
                round_id__in=[p.round_id for p in pictures],
                municipality_id=municipality.organisation_id,
                status=SubmissionStatus.SUBMITTED,
            )
            .values_list("round_id", "visible_answers")
        }
    population = municipality.population if municipality is not None else None
    result_fields = []
    for spec in fields:
        summed = field_aggregate(spec) == SUM
        points = []
        for picture in pictures:
            number = (picture.aggregates or {}).get("numbers", {}).get(spec["key"], {})
            region = as_decimal(number.get("per_1000" if summed else "value"))
            mine = None
            if picture.round_id in own:
                answer = as_decimal(own[picture.round_id].get(spec["key"]))
                mine = per_1000(answer, population) if summed else answer
            deadline = timezone.localtime(picture.round.deadline)
            points.append(
                {
                    "round": str(picture.round.uuid),
                    "title": picture.round.title,
                    "date": deadline.date().isoformat(),
                    "label": deadline.strftime("%d.%m."),
                    "picture": str(picture.uuid),
                    "region": _text(region),
                    "own": _text(mine),
                }
            )
        result_fields.append(
            {
                "key": spec["key"],
                "label": spec["label"],
                "unit": spec.get("unit", ""),
                "aggregate": field_aggregate(spec),
                "per_1000": summed,
                "points": points,
            }
        )
    return {
        "compilation": str(compilation.uuid),
        "region": compilation.office.name_bokmaal if compilation.office_id else None,
        "municipality": municipality.label if municipality is not None else None,
        "rounds": len(pictures),
        "fields": result_fields,
    }
