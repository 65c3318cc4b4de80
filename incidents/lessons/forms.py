"""Forms and the FilterSet of the lessons-learned and exercise pages (the API uses the same
FilterSet). Every choice comes from a scoped queryset, so a form never offers — and never
accepts — an incident, exercise, document or person the user may not see; the writes go
through ``incidents.lessons.actions``, which checks again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incidents.lessons.models import Exercise, ExerciseStatus, Lesson, LessonStatus
from incidents.lessons.rules import lesson_writer_org_ids
from incidents.log.models import Incident
from networks.library.models import Document
from networks.structure.models import Network, NetworkMembership, Office, Organisation
from portal.models import RoleAssignment


def person_label(user):
    return user.get_full_name() or user.email


def _owner_field(form, user, instance):
    """The owner is chosen only when creating, among the organisations the user writes
    lessons for (hidden when there is one)."""
    if instance.pk is not None:
        del form.fields["owner"]
        return [instance.owner]
    owners = list(
        Organisation.objects.visible_to(user)
        .filter(pk__in=lesson_writer_org_ids(user))
        .order_by("name")
    )
    form.fields["owner"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in owners])
    if len(owners) == 1:
        form.fields["owner"].initial = owners[0].pk
        form.fields["owner"].widget = forms.HiddenInput()
        form.fields["owner"].required = False
        form.sole_owner = owners[0]
    return owners


class OwnerMixin:
    sole_owner = None

    def clean_owner(self):
        owner = self.cleaned_data.get("owner") or self.sole_owner
        if owner is None:
            raise forms.ValidationError(_("Choose the owner."))
        return owner


class LessonForm(OwnerMixin, forms.ModelForm):
    """Create or edit a lesson. The source's link (incident, exercise, evaluation
    document) is chosen among what the user may see; the follow-up status changes here
    or with the status buttons."""

    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation whose lesson this is."),
    )
    incident = forms.ModelChoiceField(
        label=_("Incident"), queryset=Incident.objects.none(), required=False, to_field_name="uuid"
    )
    exercise = forms.ModelChoiceField(
        label=_("Exercise"), queryset=Exercise.objects.none(), required=False, to_field_name="uuid"
    )
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation document"),
        queryset=Document.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("An evaluation report in the library that you can see."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=get_user_model().objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("Who follows the lesson up, in the owner organisation."),
    )

    class Meta:
        model = Lesson
        fields = [
            "title",
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
        ]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_failed": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"area": pgettext_lazy("lesson", "Area")}
        help_texts = {
            "source": _("Where the lesson comes from: an incident, an evaluation or an exercise."),
            "responsible_role": _("E.g. “Beredskapssjef” when no one person is named."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        owners = _owner_field(self, user, self.instance)
        self.fields["incident"].queryset = (
            Incident.objects.visible_to(user).select_related("owner").order_by("-started_at")
        )
        self.fields["incident"].label_from_instance = lambda i: f"{i.title} ({i.owner.name})"
        self.fields["exercise"].queryset = Exercise.objects.visible_to(user).order_by(
            "-planned_for"
        )
        self.fields["evaluation"].queryset = Document.objects.visible_to(user).order_by("title")
        people = RoleAssignment.objects.filter(organisation__in=[o.pk for o in owners])
        self.fields["responsible"].queryset = (
            get_user_model()
            .objects.filter(pk__in=people.values("user"))
            .order_by("first_name", "last_name", "email")
        )
        self.fields["responsible"].label_from_instance = person_label

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LessonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Follow-up"), choices=LessonStatus.choices)


AUDIENCE_KINDS = [
    ("network", _("A network")),
    ("office", _("A region (a State Administrator office and its municipalities)")),
    ("organisation", _("A named organisation")),
    ("everyone", _("Everyone in Samvirke")),
]


class LessonShareForm(forms.Form):
    """Share a lesson with one audience."""

    audience = forms.ChoiceField(
        label=_("Share with"), choices=AUDIENCE_KINDS, widget=forms.RadioSelect, initial="network"
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False, to_field_name="slug"
    )
    office = forms.ModelChoiceField(
        label=_("Region"), queryset=Office.objects.none(), required=False, to_field_name="slug"
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
    )

    def __init__(self, *args, lesson, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        member_of = NetworkMembership.objects.current().filter(organisation_id=lesson.owner_id)
        self.fields["network"].queryset = (
            Network.objects.visible_to(user)
            .filter(pk__in=member_of.values("network_id"))
            .order_by("name")
        )
        self.fields["office"].queryset = Office.objects.visible_to(user).order_by("name_bokmaal")
        self.fields["office"].label_from_instance = lambda o: o.name_bokmaal
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user).exclude(pk=lesson.owner_id).order_by("name")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("audience")
        if kind in ("network", "office", "organisation") and not data.get(kind):
            self.add_error(kind, _("Choose whom to share with."))
        return data

    def audience_kwargs(self):
        kind = self.cleaned_data["audience"]
        if kind == "everyone":
            return {"everyone": True}
        return {kind: self.cleaned_data[kind]}


class ExerciseForm(OwnerMixin, forms.ModelForm):
    """Create or edit an exercise: the organiser (on create), the scenario, when, the
    organisations taking part and, once held, the evaluation document."""

    owner = forms.ModelChoiceField(
        label=_("Organiser"), queryset=Organisation.objects.none(), required=True
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("The other organisations taking part (hold Ctrl to choose several)."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation document"),
        queryset=Document.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("The evaluation report in the library, once written."),
    )

    class Meta:
        model = Exercise
        fields = [
            "title",
            "scenario",
            "description",
            "status",
            "planned_for",
            "held_on",
            "participants",
            "evaluation",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "planned_for": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _owner_field(self, user, self.instance)
        self.fields["participants"].queryset = Organisation.objects.visible_to(user).order_by(
            "name"
        )
        self.fields["evaluation"].queryset = Document.objects.visible_to(user).order_by("title")
        if self.instance.pk is not None:
            self.initial["participants"] = [p.uuid for p in self.instance.participants.all()]

    def clean(self):
        data = super().clean()
        if data.get("status") == ExerciseStatus.HELD and not data.get("held_on"):
            self.add_error("held_on", _("Give the date the exercise was held."))
        return data

    def changes(self):
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("participants",)
        }


class LessonExportForm(forms.Form):
    """The KS export: a network's members or all municipalities, over a period."""

    network = forms.ModelChoiceField(
        label=_("Municipalities"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
        to_field_name="slug",
        help_text=_("A network's member municipalities, or all municipalities."),
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("pdf", "PDF")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        elif start and end and (end - start).days > 366 * 10:
            self.add_error("end", _("The period can be at most ten years."))
        return data
