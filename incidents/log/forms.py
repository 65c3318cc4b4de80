"""Forms of the incident pages. They validate input and offer only what the user may
choose (every choice comes from a scoped queryset); the writes themselves go through
``incidents.log.actions``."""

import uuid
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.log.exports import ExemptHandling, ExportFormat
from incidents.log.models import (
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    LogEntry,
    TaskStatus,
)
from incidents.log.rules import frame_owner_orgs, incident_writer_org_ids
from networks.structure.models import Municipality, Network, NetworkMembership, Organisation
from portal.forms import LocalDateTimeField, MultipleFileField, local_input_value
from portal.models import RoleAssignment
from portal.roles import ROLE_ORGANISATION_KINDS, Role
from portal.uploads import check_attachment


class IncidentForm(forms.ModelForm):
    """Create or edit an incident's facts. The status changes through its own buttons
    (:class:`IncidentStatusForm`); the owner is chosen only when an incident is created,
    among the organisations where the user is emergency manager or crisis staff."""

    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation whose incident and log this is."),
    )
    affected = forms.ModelMultipleChoiceField(
        label=_("Affected municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "frame",
            "type",
            "severity",
            "description",
            "started_at",
            "crisis_management_active",
            "is_exercise",
        ]
        field_classes = {"started_at": LocalDateTimeField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            del self.fields["owner"]
            owners = Organisation.objects.visible_to(user).filter(pk=self.instance.owner_id)
        else:
            owners = (
                Organisation.objects.visible_to(user)
                .filter(pk__in=incident_writer_org_ids(user))
                .order_by("name")
            )
            self.fields["owner"].queryset = owners
            if len(owners) == 1:
                self.fields["owner"].initial = owners[0].pk
                self.fields["owner"].widget = forms.HiddenInput()
            self.initial.setdefault("started_at", local_input_value(timezone.now()))
        if editing:
            self.initial["started_at"] = local_input_value(self.instance.started_at)
        self.fields["frame"].queryset = CrisisFrame.objects.visible_to(user).order_by("-started_at")
        self.fields["frame"].label_from_instance = frame_label
        self.fields["frame"].help_text = _(
            "A national crisis the incident belongs to, if any. An exercise frame makes "
            "the incident an exercise."
        )
        self.fields["affected"].queryset = affected_choices(user, owners, self.instance)
        self.fields["affected"].help_text = _(
            "The owner's municipality, its neighbours and the other municipalities of its "
            "State Administrator region."
        )
        if editing:
            self.initial["affected"] = [m.pk for m in self.instance.affected_municipalities.all()]
        elif len(owners) == 1 and hasattr(owners[0], "municipality"):
            self.initial.setdefault("affected", [owners[0].municipality.pk])

    def changes(self):
        """The changed model fields, for ``do_update_incident``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def frame_label(frame):
    if frame.is_exercise:
        return _("%(title)s (exercise)") % {"title": frame.title}
    return frame.title


def affected_choices(user, owners, incident=None):
    """The municipalities an incident of ``owners`` can affect: their own, their
    neighbours and those of their State Administrator region (plus any already chosen).
    A State Administrator office's incident can affect its region's municipalities; a
    national body's (DSB, a directorate, KS) any municipality."""
    owner_ids = [o.pk for o in owners]
    q = (
        Q(organisation_id__in=owner_ids)
        | Q(neighbours__organisation_id__in=owner_ids)
        | Q(county__office_id__in=[o.region_id for o in owners if o.region_id])
        | Q(county__office__organisation_id__in=owner_ids)
    )
    if any(o.kind in ("national_agency", "ks") for o in owners):
        q = Q(pk__isnull=False)
    if incident is not None and incident.pk:
        q |= Q(incidents=incident)
    neighbours = Municipality.objects.filter(neighbours__organisation_id__in=owner_ids)
    return (
        Municipality.objects.visible_to(user)
        .filter(pk__in=Municipality.objects.filter(q).values("pk"))
        # The owner's own municipality first, then its neighbours, then the region.
        .annotate(
            closeness=Case(
                When(organisation_id__in=owner_ids, then=Value(0)),
                When(pk__in=neighbours.values("pk"), then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("closeness", "label")
    )


class CrisisFrameForm(forms.ModelForm):
    """Create or edit a crisis frame. The owner is chosen only when a frame is created,
    among the organisations the user may hold frames for (incidents.log.rules); whether an
    officer may hold a non-exercise frame is the action's rule, shown in place."""

    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "The organisation that runs the frame: DSB, a directorate or a State "
            "Administrator office."
        ),
    )

    class Meta:
        model = CrisisFrame
        fields = ["title", "type", "description", "is_exercise", "started_at", "ended_at"]
        field_classes = {"started_at": LocalDateTimeField, "ended_at": LocalDateTimeField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("E.g. “Ekstremværet Hans” or “Øvelse Vestland 2026”."),
            "is_exercise": _(
                "An exercise frame holds only exercises: every incident opened in it is "
                "labelled as an exercise and kept out of real statistics."
            ),
            "ended_at": _("Leave empty while the crisis or exercise is going on."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None:
            del self.fields["owner"]
            self.initial["started_at"] = local_input_value(self.instance.started_at)
            self.initial["ended_at"] = local_input_value(self.instance.ended_at)
        else:
            owners = (
                Organisation.objects.visible_to(user)
                .filter(pk__in=list(frame_owner_orgs(user)))
                .order_by("name")
            )
            self.fields["owner"].queryset = owners
            if len(owners) == 1:
                self.fields["owner"].initial = owners[0].pk
                self.fields["owner"].widget = forms.HiddenInput()
            self.initial.setdefault("started_at", local_input_value(timezone.now()))
            if set(frame_owner_orgs(user).values()) == {"exercise"}:
                self.initial.setdefault("is_exercise", True)

    def changes(self):
        """The model fields, for ``do_create_frame`` / ``do_update_frame``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=IncidentStatus.choices)


def entry_kind_choices():
    return EntryKind.choices


class LogEntryForm(forms.Form):
    """The quick entry of the log page, and the correction / retraction form (with
    ``corrects``). Checks everything ``do_write_entry`` checks, so errors come back in
    place before anything is saved; the action checks again."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=entry_kind_choices, widget=forms.RadioSelect, initial="information"
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,  # an empty entry gets the action's own message (clean_text)
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italic*, lists with - or 1."),
    )
    occurred_at = LocalDateTimeField(label=_("Time of event"))
    #: The time the form was rendered with: if the user left it alone, the entry gets the
    #: server's time of writing instead (a form can stand open for a while).
    occurred_at_initial = forms.CharField(required=False, widget=forms.HiddenInput)
    exempt = forms.BooleanField(label=_("Exempt from public disclosure"), required=False)
    exempt_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=120,
        help_text=_("The section of offentleglova, e.g. § 13 or § 24."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Word, Excel, OpenDocument, text or CSV; at most 10 MB each."),
    )
    corrects = forms.UUIDField(required=False, widget=forms.HiddenInput)
    correction_type = forms.ChoiceField(
        choices=[("", "")] + list(Correction.choices), required=False, widget=forms.HiddenInput
    )
    #: The entry in another (visible) log this one answers ("Svar på").
    responds_to = forms.UUIDField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, entries=None, answerable=None, **kwargs):
        """``entries``: the scoped entries of this incident a correction may point at;
        ``answerable``: the entries of other logs the user sees, which an entry may
        answer."""
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.answerable = answerable
        now = local_input_value(timezone.now())
        self.fields["occurred_at"].initial = now
        self.fields["occurred_at_initial"].initial = now
        self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write what happened: the entry cannot be empty."))
        return text

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        errors = []
        for upload in uploads:
            try:
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean_corrects(self):
        value = self.cleaned_data["corrects"]
        if not value:
            return None
        entry = self.entries.filter(uuid=value).first() if self.entries is not None else None
        if entry is None:
            raise ValidationError(
                _("The entry to correct does not exist in this log, or you cannot see it.")
            )
        return entry

    def clean_responds_to(self):
        value = self.cleaned_data["responds_to"]
        if not value:
            return None
        entry = self.answerable.filter(uuid=value).first() if self.answerable is not None else None
        if entry is None:
            raise ValidationError(_("The entry you answer does not exist, or you cannot see it."))
        return entry

    def clean(self):
        data = super().clean()
        if data.get("exempt") and not (data.get("exempt_basis") or "").strip():
            self.add_error(
                "exempt_basis",
                _("Give the legal basis (the section of offentleglova) for the exemption."),
            )
        occurred = data.get("occurred_at")
        if occurred is not None:
            untouched = self.data.get(self.add_prefix("occurred_at_initial")) == self.data.get(
                self.add_prefix("occurred_at")
            )
            if untouched and data.get("corrects"):
                data["occurred_at"] = data["corrects"].occurred_at  # to the second
            elif untouched:
                data["occurred_at"] = None  # do_write_entry uses the time of writing
            elif occurred > timezone.now() + timedelta(minutes=5):
                self.add_error("occurred_at", _("The time of the event cannot be in the future."))
        return data

    def action_kwargs(self):
        data = self.cleaned_data
        corrects = data.get("corrects")
        return {
            "kind": data["kind"],
            "text": data["text"],
            "occurred_at": data.get("occurred_at"),
            "exempt": data["exempt"],
            "exempt_basis": data["exempt_basis"],
            "attachments": data["attachments"],
            "corrects": corrects,
            "correction_type": (data.get("correction_type") or Correction.CORRECTION)
            if corrects
            else "",
            "responds_to": data.get("responds_to"),
            "idempotency_key": data.get("idempotency_key") or None,
        }

    @classmethod
    def for_correction(cls, entry, correction_type, **kwargs):
        """A form prefilled from ``entry``: a correction repeats its text to edit, a
        retraction asks why."""
        initial = {
            "kind": entry.kind,
            "occurred_at": local_input_value(entry.occurred_at),
            "occurred_at_initial": local_input_value(entry.occurred_at),
            "corrects": entry.uuid,
            "correction_type": correction_type,
            "exempt": entry.exempt,
            "exempt_basis": entry.exempt_basis,
            "text": entry.text if correction_type == Correction.CORRECTION else "",
        }
        form = cls(initial=initial, **kwargs)
        form.fields["occurred_at"].initial = initial["occurred_at"]
        form.fields["occurred_at_initial"].initial = initial["occurred_at"]
        return form


class ShareForm(forms.Form):
    """Share an incident (its whole log) with an organisation or a network the owner
    is a member of. The organisation choice is grouped: the neighbours and the State
    Administrator office first, then every other organisation."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=uuid.UUID, empty_value=None
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False
    )
    region = forms.BooleanField(label=_("Every municipality of the region"), required=False)

    def __init__(self, *args, incident, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        owner = incident.owner
        #: How many municipalities a share with the region reaches (an office's own
        #: incidents only; the field is dropped for every other owner).
        self.region_count = (
            Organisation.objects.filter(kind="municipality", region__organisation=owner).count()
            if owner.kind == "state_administrator"
            else 0
        )
        if self.region_count:
            self.fields["region"].label = _("Every municipality of the region (%(count)s)") % {
                "count": self.region_count
            }
        else:
            del self.fields["region"]
        organisations = list(
            Organisation.objects.visible_to(user)
            .exclude(pk=owner.pk)
            .order_by("name")
            .only("uuid", "name", "short_name")
        )
        neighbour_ids = set(
            Organisation.objects.visible_to(user)
            .filter(municipality__neighbours__organisation=owner)
            .values_list("pk", flat=True)
        )
        office_org_id = owner.region.organisation_id if owner.region_id else None
        groups = {"office": [], "neighbours": [], "others": []}
        for org in organisations:
            key = (
                "office"
                if org.pk == office_org_id
                else "neighbours"
                if org.pk in neighbour_ids
                else "others"
            )
            groups[key].append((str(org.uuid), org.name))
        self.by_uuid = {str(o.uuid): o for o in organisations}
        self.fields["organisation"].choices = [("", _("Choose …"))] + [
            (label, groups[key])
            for key, label in (
                ("office", _("State Administrator")),
                ("neighbours", _("Neighbouring municipalities")),
                ("others", _("All organisations")),
            )
            if groups[key]
        ]
        self.fields["network"].queryset = (
            Network.objects.visible_to(user)
            .filter(
                pk__in=NetworkMembership.objects.current()
                .filter(organisation=owner)
                .values("network")
            )
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        network = data.get("network")
        chosen = sum(bool(x) for x in (organisation, network, data.get("region")))
        if chosen > 1:
            raise ValidationError(
                _("Choose one: an organisation, a network or the region's municipalities.")
            )
        if not chosen:
            raise ValidationError(_("Choose an organisation or a network to share with."))
        if organisation:
            data["organisation"] = self.by_uuid.get(str(organisation))
        return data


class TaskForm(forms.Form):
    """A task for a person of the owner organisation, a role, or an organisation."""

    title = forms.CharField(label=_("What is to be done?"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_at = LocalDateTimeField(label=_("Due"), required=False)
    assignee_user = forms.ModelChoiceField(
        label=_("Person"), queryset=get_user_model().objects.none(), required=False
    )
    assignee_role = forms.ChoiceField(label=_("Role"), required=False)
    assignee_organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    source_entry = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, incident, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        owner = incident.owner
        # People are visible inside their organisation only: the writer is one of them.
        people = RoleAssignment.objects.visible_to(user).filter(organisation=owner)
        self.fields["assignee_user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=people.values("user"))
            .order_by("first_name", "last_name", "email")
        )
        self.fields["assignee_user"].label_from_instance = lambda u: u.get_full_name() or u.email
        kinds_ok = [
            (value, label)
            for value, label in Role.choices
            if ROLE_ORGANISATION_KINDS.get(value) and owner.kind in ROLE_ORGANISATION_KINDS[value]
        ]
        self.fields["assignee_role"].choices = [("", _("No role"))] + kinds_ok
        self.fields["assignee_role"].help_text = _(
            "Everyone with this role in %(org)s, or in the organisation chosen below."
        ) % {"org": owner.display_name}
        self.fields["assignee_organisation"].queryset = Organisation.objects.visible_to(
            user
        ).order_by("name")
        self.entries = LogEntry.objects.visible_to(user).filter(incident=incident)

    def clean_source_entry(self):
        value = self.cleaned_data["source_entry"]
        if not value:
            return None
        entry = self.entries.filter(uuid=value).first()
        if entry is None:
            raise ValidationError(_("The log entry does not exist in this log."))
        return entry

    def clean(self):
        data = super().clean()
        if not (
            data.get("assignee_user")
            or data.get("assignee_role")
            or data.get("assignee_organisation")
        ):
            raise ValidationError(
                _("Choose who is to do the task: a person, a role or an organisation.")
            )
        return data

    def action_kwargs(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "due_at": data["due_at"],
            "assignee_user": data["assignee_user"],
            "assignee_role": data["assignee_role"] or "",
            "assignee_organisation": data["assignee_organisation"],
            "source_entry": data["source_entry"],
        }


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class IncidentExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (ExportFormat.PDF, _("PDF, for evaluation and archiving")),
            (ExportFormat.CSV, _("CSV, for Excel and other tools")),
        ],
        initial=ExportFormat.PDF,
    )
    exempt = forms.ChoiceField(
        label=_("Entries exempt from public disclosure"),
        choices=ExemptHandling.choices,
        initial=ExemptHandling.OMIT,
        help_text=_(
            "Entries marked unntatt offentlighet are either left out or kept with their "
            "text replaced by the marking and its legal basis."
        ),
    )
