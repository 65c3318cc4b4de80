"""Report forms (rapportskjema) and their published versions: what municipalities report
on in a round. The definition of a version is a JSON document (sections with fields,
``reporting/validation.py``) that never changes once published: a round always uses the
version it was issued with."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.querysets import ReportFormQuerySet, ReportFormVersionQuerySet

#: The organisation kinds that own report forms: a State Administrator office, or a
#: national body (DSB on the preparedness track, a directorate on its sector track).
FORM_OWNER_KINDS = ("state_administrator", "national_agency")


class ReportTrack(models.TextChoices):
    """The two tracks a report travels in (DOMAIN.md, flow 5)."""

    PREPAREDNESS = "preparedness", _("Preparedness channel (samordningskanal)")
    SECTOR = "sector", _("Sector channel (fagkanal)")


class ReportKind(models.TextChoices):
    """DSB's guidelines for the coordination channel distinguish the full situation
    report from the short status update (kort statusoppdatering)."""

    FULL = "full", _("Full situation report")
    SHORT = "short", _("Short status update")


@pghistory.track()
class ReportForm(models.Model):
    """Rapportskjema — a report form defined by a State Administrator office or a national
    body. What it asks for lives in its versions (:class:`ReportFormVersion`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="report_forms",
        limit_choices_to={"kind__in": FORM_OWNER_KINDS},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    track = models.CharField(_("track"), max_length=20, choices=ReportTrack.choices)
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="report_form_title_per_owner"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.owner_id and self.owner.kind not in FORM_OWNER_KINDS:
            raise ValidationError(
                {
                    "owner": _(
                        "Report forms are owned by a State Administrator office or a national body."
                    )
                }
            )


class ReportFormVersion(models.Model):
    """Skjemaversjon — version *n* of a form. Published versions are immutable: PostgreSQL
    refuses UPDATE and DELETE of them (the trigger below); a change to a form is a new
    version (``reporting.actions.do_publish_form_version``)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"), encoder=DjangoJSONEncoder)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # NULL for versions seeded by a management command (reference data).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportFormVersionQuerySet.as_manager()

    class Meta:
        ordering = ["form", "number"]
        verbose_name = _("report form version")
        verbose_name_plural = _("report form versions")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="one_version_number_per_form"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_one"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="published_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.form} v{self.number}"

    def save(self, *args, **kwargs):
        # The definition is checked on every save, whoever saves (the admin, a shell).
        from reporting.validation import validate_definition

        validate_definition(self.definition)
        super().save(*args, **kwargs)

    @property
    def sections(self):
        return self.definition.get("sections", [])
