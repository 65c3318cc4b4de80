"""What the lessons and exercises API reads and writes. Related objects are named by id
and looked up among what the caller may see (``VisibleUUIDField``)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from incidents.lessons.models import (
    Exercise,
    ExerciseScenario,
    ExerciseStatus,
    Lesson,
    LessonArea,
    LessonShare,
    LessonSource,
    LessonStatus,
)
from incidents.log.models import Incident
from networks.library.models import Document
from networks.structure.models import Network, Office, Organisation
from portal.api import VisibleUUIDField


class LessonSerializer(serializers.ModelSerializer):
    """A lesson. Its incident, exercise and evaluation are given only when you may see
    them (``null`` otherwise)."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    incident = serializers.SerializerMethodField()
    exercise = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    responsible = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "title",
            "owner",
            "owner_name",
            "area",
            "source",
            "incident",
            "exercise",
            "evaluation",
            "what_happened",
            "what_worked",
            "what_failed",
            "recommendation",
            "status",
            "responsible",
            "responsible_role",
            "created_at",
            "updated_at",
        ]

    def _visible(self, lesson, name):
        related = getattr(lesson, name) if getattr(lesson, f"{name}_id") else None
        if related is None or not getattr(lesson, f"{name}_visible", False):
            return None
        return str(related.uuid)

    def get_incident(self, lesson) -> str | None:
        return self._visible(lesson, "incident")

    def get_exercise(self, lesson) -> str | None:
        return self._visible(lesson, "exercise")

    def get_evaluation(self, lesson) -> str | None:
        return self._visible(lesson, "evaluation")

    def get_responsible(self, lesson) -> str | None:
        return str(lesson.responsible.uuid) if lesson.responsible_id else None


class SimilarLessonSerializer(LessonSerializer):
    similarity = serializers.FloatField(
        read_only=True, help_text="Full-text rank against this lesson's own terms."
    )

    class Meta(LessonSerializer.Meta):
        fields = ["id", "title", "owner", "owner_name", "area", "status", "similarity"]


class LessonUpdateSerializer(serializers.Serializer):
    """What may change on a lesson (PATCH; every field optional). ``status`` moves the
    follow-up: one step forward, or back to any earlier step."""

    title = serializers.CharField(max_length=200)
    area = serializers.ChoiceField(choices=LessonArea.choices)
    source = serializers.ChoiceField(choices=LessonSource.choices)  # type: ignore[assignment]  # a field named "source"; DRF's metaclass takes it off the class
    incident = VisibleUUIDField(Incident, allow_null=True)
    exercise = VisibleUUIDField(Exercise, allow_null=True)
    evaluation = VisibleUUIDField(Document, allow_null=True)
    what_happened = serializers.CharField(max_length=20000)
    what_worked = serializers.CharField(max_length=20000, allow_blank=True)
    what_failed = serializers.CharField(max_length=20000, allow_blank=True)
    recommendation = serializers.CharField(max_length=20000)
    status = serializers.ChoiceField(choices=LessonStatus.choices)
    responsible = serializers.UUIDField(
        allow_null=True, help_text="A person of the owner organisation (their user id)."
    )
    responsible_role = serializers.CharField(max_length=200, allow_blank=True)

    def validate_responsible(self, value):
        if value is None:
            return None
        person = get_user_model().objects.filter(uuid=value).first()
        if person is None:
            raise serializers.ValidationError(_("No such person."))
        return person


class LessonCreateSerializer(LessonUpdateSerializer):
    """A new lesson. ``owner`` may be left out when you write lessons for exactly one
    organisation."""

    owner = VisibleUUIDField(Organisation, required=False)
    incident = VisibleUUIDField(Incident, allow_null=True, required=False, default=None)
    exercise = VisibleUUIDField(Exercise, allow_null=True, required=False, default=None)
    evaluation = VisibleUUIDField(Document, allow_null=True, required=False, default=None)
    what_worked = serializers.CharField(max_length=20000, allow_blank=True, default="")
    what_failed = serializers.CharField(max_length=20000, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=LessonStatus.choices, default="identified")
    responsible = serializers.UUIDField(allow_null=True, required=False, default=None)
    responsible_role = serializers.CharField(max_length=200, allow_blank=True, default="")


class LessonShareSerializer(serializers.ModelSerializer):
    """One audience of a lesson: exactly one of ``organisation`` (id), ``network``
    (slug), ``office`` (slug: the region) or ``everyone``."""

    organisation = VisibleUUIDField(Organisation, required=False, allow_null=True)
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    office = serializers.SlugRelatedField(
        slug_field="slug", queryset=Office.objects.all(), required=False, allow_null=True
    )
    everyone = serializers.BooleanField(required=False, default=False)
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = LessonShare
        fields = ["organisation", "network", "office", "everyone", "created_at"]
        validators = []  # one audience: checked by the action, with a clear message


class ExerciseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.UUIDField(source="owner.uuid", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    participants = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    lessons = serializers.SerializerMethodField(help_text="The lessons you may see.")

    class Meta:
        model = Exercise
        fields = [
            "id",
            "title",
            "scenario",
            "description",
            "status",
            "planned_for",
            "held_on",
            "owner",
            "owner_name",
            "participants",
            "evaluation",
            "lessons",
        ]

    def get_participants(self, exercise) -> list[str]:
        return [str(o.uuid) for o in exercise.participants.all()]

    def get_evaluation(self, exercise) -> str | None:
        if exercise.evaluation_id and getattr(exercise, "evaluation_visible", False):
            return str(exercise.evaluation.uuid)
        return None

    def get_lessons(self, exercise) -> list[str]:
        return [str(lesson.uuid) for lesson in exercise.visible_lessons]


class ExerciseUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    scenario = serializers.ChoiceField(choices=ExerciseScenario.choices)
    description = serializers.CharField(max_length=20000, allow_blank=True)
    status = serializers.ChoiceField(choices=ExerciseStatus.choices)
    planned_for = serializers.DateField()
    held_on = serializers.DateField(allow_null=True)
    participants = serializers.ListField(
        child=VisibleUUIDField(Organisation), help_text="The other organisations taking part."
    )
    evaluation = VisibleUUIDField(Document, allow_null=True)


class ExerciseCreateSerializer(ExerciseUpdateSerializer):
    owner = VisibleUUIDField(Organisation, required=False)
    description = serializers.CharField(max_length=20000, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ExerciseStatus.choices, default="planned")
    held_on = serializers.DateField(allow_null=True, required=False, default=None)
    participants = serializers.ListField(child=VisibleUUIDField(Organisation), default=list)
    evaluation = VisibleUUIDField(Document, allow_null=True, required=False, default=None)
