"""Lessons learned (læringspunkter) and exercises (øvelser): what an organisation learned
from an incident, an evaluation or an exercise, and how far its follow-up has come.

App label ``incidents`` (the app that holds this package): ``incidents.models`` gathers
these models, so moving them here changed nothing in the schema."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.lessons.querysets import ExerciseQuerySet, LessonQuerySet
from networks.structure.models import AudienceShare


class LessonArea(models.TextChoices):
    CRISIS_MANAGEMENT = "crisis_management", _("Crisis management")
    COMMUNICATION = "communication", _("Communication")
    PROCUREMENT = "procurement", _("Procurement")
    ICT = "ict", _("ICT")
    STATE_ADMINISTRATOR = "state_administrator", _("Cooperation with the State Administrator")
    COOPERATION = "cooperation", _("Cooperation between municipalities")
    HEALTH = "health", _("Health and care")
    INFRASTRUCTURE = "infrastructure", _("Critical infrastructure")
    EVACUATION = "evacuation", _("Evacuation and shelter")
    STAFFING = "staffing", _("Staffing")
    OTHER = "other", _("Other")


class LessonSource(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    EVALUATION = "evaluation", _("Evaluation")
    EXERCISE = "exercise", _("Exercise")


class LessonStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    MEASURE_DECIDED = "measure_decided", _("Measure decided")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified")


class ExerciseScenario(models.TextChoices):
    """From DSB's crisis scenarios (Analyse av krisescenarioer)."""

    PANDEMIC = "pandemic", _("Pandemic")
    EXTREME_WEATHER = "extreme_weather", _("Extreme weather")
    FLOOD = "flood", _("Flood")
    QUICK_CLAY = "quick_clay", _("Quick-clay landslide")
    LANDSLIDE = "landslide", _("Rock slide and avalanche")
    FOREST_FIRE = "forest_fire", _("Forest fire")
    POWER_OUTAGE = "power_outage", _("Long-lasting power outage")
    ICT_OUTAGE = "ict_outage", _("Loss of ICT and electronic communication")
    CYBER_ATTACK = "cyber_attack", _("Cyber attack")
    DRINKING_WATER = "drinking_water", _("Contaminated drinking water")
    NUCLEAR = "nuclear", _("Nuclear accident")
    TERROR = "terror", _("Terrorist attack")
    MAJOR_ACCIDENT = "major_accident", _("Major accident")
    REFUGEES = "refugees", _("Large numbers of refugees")
    OTHER = "other", _("Other")


class ExerciseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


@pghistory.track()
class Exercise(models.Model):
    """Øvelse — planned and held, with a scenario, the organisations taking part (the
    regulation says municipalities exercise with others), the evaluation document and
    the lessons it produced."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="exercises",
    )
    title = models.CharField(_("title"), max_length=200)
    scenario = models.CharField(_("scenario"), max_length=30, choices=ExerciseScenario.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExerciseStatus.choices, default="planned"
    )
    planned_for = models.DateField(_("planned for"))
    held_on = models.DateField(_("held"), null=True, blank=True)
    participants = models.ManyToManyField(
        "networks.Organisation",
        verbose_name=_("participants"),
        blank=True,
        related_name="exercises_joined",
    )
    evaluation = models.ForeignKey(
        "networks.Document",
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_for", "-id"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_on__isnull=False),
                name="held_exercise_has_date",
            ),
        ]

    def __str__(self):
        return self.title


@pghistory.track()
class Lesson(models.Model):
    """Læringspunkt — what happened, what worked or failed, the recommendation, its area
    and source, and how far its follow-up has come. Shared like documents."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    what_worked = models.TextField(_("what worked"), blank=True)
    what_failed = models.TextField(_("what failed"), blank=True)
    recommendation = models.TextField(_("recommendation"))
    area = models.CharField(_("area"), max_length=30, choices=LessonArea.choices)
    source = models.CharField(_("source"), max_length=20, choices=LessonSource.choices)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    exercise = models.ForeignKey(
        Exercise,
        verbose_name=_("exercise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    evaluation = models.ForeignKey(
        "networks.Document",
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("follow-up"), max_length=20, choices=LessonStatus.choices, default="identified"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_role = models.CharField(_("responsible (role)"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector(
            "title", "what_happened", "what_worked", "what_failed", "recommendation",
            config="norwegian",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )  # fmt: skip

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        indexes = [
            GinIndex(fields=["search"]),
            models.Index(fields=["owner", "area", "status"]),
        ]

    def __str__(self):
        return self.title


class LessonShare(AudienceShare):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="shares")

    class Meta(AudienceShare.Meta):
        verbose_name = _("lesson share")
        verbose_name_plural = _("lesson shares")

    def __str__(self):
        return f"{self.lesson} → {self.audience()}"
