"""Report form pages: the list of forms and a form's readable preview, version by version.

Every object comes from a scoped queryset (``visible_to``): forms are visible to every
signed-in user. Forms are written only through ``reporting.actions``.
"""

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from portal.web import ScopedMixin, render_page
from reporting.models import ReportForm, ReportFormVersion
from reporting.validation import (
    CHOICE,
    DECIMAL,
    FIELD_TYPES,
    INTEGER,
    LONG_TEXT,
    LONG_TEXT_MAX,
    MULTIPLE_CHOICE,
    SECTOR_STATUS,
    SHORT_TEXT,
    SHORT_TEXT_MAX,
    STATUSES,
)


def _number(value):
    text = f"{value:,}".replace(",", "\u00a0") if isinstance(value, int) else str(value)
    return text.replace(".", ",")


def field_details(spec) -> list[str]:
    """What a field accepts, in words (the preview's "Details" column)."""
    kind = spec["type"]
    details = []
    if kind in (INTEGER, DECIMAL):
        low, high = spec.get("min"), spec.get("max")
        unit = f" {spec['unit']}" if spec.get("unit") else ""
        if low is not None and high is not None:
            details.append(
                _("From %(min)s to %(max)s") % {"min": _number(low), "max": _number(high) + unit}
            )
        elif low is not None:
            details.append(_("At least %(min)s") % {"min": _number(low) + unit})
        elif high is not None:
            details.append(_("At most %(max)s") % {"max": _number(high) + unit})
        elif unit:
            details.append(_("Unit: %(unit)s") % {"unit": spec["unit"]})
    elif kind in (SHORT_TEXT, LONG_TEXT):
        limit = spec.get("max_length", SHORT_TEXT_MAX if kind == SHORT_TEXT else LONG_TEXT_MAX)
        details.append(_("At most %(max)s characters") % {"max": _number(limit)})
    elif kind in (CHOICE, MULTIPLE_CHOICE):
        details.append(" · ".join(option["label"] for option in spec["options"]))
    elif kind == SECTOR_STATUS:
        details.append(
            _("%(statuses)s, with a comment")
            % {"statuses": " / ".join(map(str, STATUSES.values()))}
        )
    return details


def preview(definition) -> list[dict]:
    """The sections and fields of a definition, ready for the template."""
    return [
        {
            **section,
            "fields": [
                {
                    **spec,
                    "type_label": FIELD_TYPES[spec["type"]],
                    "details": field_details(spec),
                    "is_status": spec["type"] == SECTOR_STATUS,
                }
                for spec in section["fields"]
            ],
        }
        for section in definition["sections"]
    ]


class FormListView(ScopedMixin, View):
    """Every report form with its owner, track, kind and latest version (one query)."""

    model = ReportForm

    def get(self, request):
        forms = (
            self.get_queryset()
            .select_related("owner")
            .annotate(
                latest_number=Max("versions__number"),
                latest_published=Max("versions__published_at"),
            )
            .order_by("owner__name", "title", "id")
        )
        return render_page(
            request,
            "reporting/form_list.html",
            {"forms": forms, "nav_section": "reporting"},
        )


class FormDetailView(ScopedMixin, View):
    """A form's latest version as a readable preview of its sections and fields, with the
    list of versions; ``?version=N`` shows an earlier one (404 if there is none)."""

    model = ReportForm

    def get(self, request, uuid):
        form = get_object_or_404(self.get_queryset().select_related("owner"), uuid=uuid)
        versions = list(
            ReportFormVersion.objects.visible_to(request.user).filter(form=form).order_by("-number")
        )
        if not versions:
            raise Http404
        wanted = request.GET.get("version")
        if wanted:
            version = next((v for v in versions if str(v.number) == wanted), None)
            if version is None:
                raise Http404
        else:
            version = versions[0]
        return render_page(
            request,
            "reporting/form_detail.html",
            {
                "form": form,
                "version": version,
                "latest": versions[0],
                "versions": versions,
                "sections": preview(version.definition),
                "field_count": sum(len(s["fields"]) for s in version.sections),
                "section_count": len(version.sections),
                "nav_section": "reporting",
            },
        )
