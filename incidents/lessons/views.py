"""Lessons learned (læringspunkter) and exercises (øvelser): the searchable list across
what the user may see (the network's members see each other's shared lessons), a lesson's
page with its follow-up, sharing, history and similar lessons, create/edit forms, the
exercise pages and the KS export.

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404; a user
who sees but may not write gets 403. Every write goes through
``incidents.lessons.actions``.
"""

import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from pghistory.models import Events

from incidents.lessons import actions
from incidents.lessons import exports as lesson_exports
from incidents.lessons.filtersets import LessonFilterSet
from incidents.lessons.forms import (
    ExerciseForm,
    LessonExportForm,
    LessonForm,
    LessonShareForm,
    LessonStatusForm,
)
from incidents.lessons.models import (
    Exercise,
    ExerciseStatus,
    Lesson,
    LessonShare,
    LessonSource,
    LessonStatus,
)
from incidents.lessons.rules import lesson_writer_org_ids, may_write_exercise, may_write_lesson
from incidents.lessons.search import similar_lessons
from incidents.log.models import Incident
from networks.library.models import Document
from networks.structure.models import Organisation
from portal.access import viewer_for
from portal.web import ActionFormView, ScopedMixin, add_action_errors, render_page

STATUS_COLOURS = {
    LessonStatus.IDENTIFIED: "warning",
    LessonStatus.MEASURE_DECIDED: "info",
    LessonStatus.IMPLEMENTED: "accent",
    LessonStatus.VERIFIED: "success",
}
EXERCISE_COLOURS = {
    ExerciseStatus.PLANNED: "info",
    ExerciseStatus.HELD: "success",
    ExerciseStatus.CANCELLED: "neutral",
}


# --- queries ---------------------------------------------------------------------------


def lessons_for(user):
    return Lesson.objects.visible_to(user).select_related("owner", "owner__region")


def get_lesson(request, uuid):
    return get_object_or_404(lessons_for(request.user), uuid=uuid)


def lesson_list(user, data, request=None):
    """The filtered list (best match first when searching, else newest first) and its
    FilterSet: one query for the rows, one for the count."""
    filterset = LessonFilterSet(data, queryset=lessons_for(user), request=request)
    if not filterset.is_valid():
        return filterset, Lesson.objects.none()
    rows = filterset.qs
    if filterset.searching:
        rows = rows.order_by("-rank", "-created_at", "-id")
    else:
        rows = rows.order_by("-created_at", "-id")
    return filterset, rows


#: Fields of a lesson's history that are shown, in this order.
HISTORY_FIELDS = [
    "status",
    "title",
    "area",
    "source",
    "responsible_id",
    "responsible_role",
    "what_happened",
    "what_worked",
    "what_failed",
    "recommendation",
]


def _field_label(name):
    return str(Lesson._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def _history_value(name, value, people):
    if value is None or value == "":
        return "—"
    if name == "responsible_id":
        person = people.get(value)
        return (person.get_full_name() or person.email) if person else "—"
    field = Lesson._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


def lesson_history(lesson):
    """Who changed what and when (pghistory events, newest first), each changed field
    as before → after; the follow-up's steps stand out. Two queries."""
    events = list(Events.objects.tracks(lesson).order_by("-pgh_id")[:100])
    user_ids = set()
    for event in events:
        context = event.pgh_context or {}
        if isinstance(context.get("user"), int):
            user_ids.add(context["user"])
        for value in (event.pgh_diff or {}).get("responsible_id", []) or []:
            if value:
                user_ids.add(value)
    # Attribution of changes to a lesson the user may see (as the incident history does).
    people = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    rows = []
    for event in events:
        context = event.pgh_context or {}
        changes = []
        if event.pgh_label != "insert":
            diff = event.pgh_diff or {}
            for name in HISTORY_FIELDS:
                if name in diff:
                    before, after = diff[name]
                    changes.append(
                        {
                            "label": _field_label(name),
                            "before": _history_value(name, before, people),
                            "after": _history_value(name, after, people),
                            "long": name.startswith("what_") or name == "recommendation",
                            "status": name == "status",
                        }
                    )
            if not changes:
                continue
        rows.append(
            {
                "at": event.pgh_created_at,
                "created": event.pgh_label == "insert",
                "user": people.get(context.get("user")),
                "changes": changes,
            }
        )
    return rows


def _linked(user, lesson):
    """The lesson's source links the user may see (others are not named)."""
    return {
        "incident": Incident.objects.visible_to(user).filter(pk=lesson.incident_id).first()
        if lesson.incident_id
        else None,
        "exercise": Exercise.objects.visible_to(user).filter(pk=lesson.exercise_id).first()
        if lesson.exercise_id
        else None,
        "evaluation": Document.objects.visible_to(user).filter(pk=lesson.evaluation_id).first()
        if lesson.evaluation_id
        else None,
    }


# --- lessons ---------------------------------------------------------------------------


class LessonListView(ScopedMixin, View):
    """Lessons the user may see — the organisation's own and those shared with it —
    with Norwegian full-text search and filters; a constant number of queries."""

    model = Lesson
    paginate_by = 25

    def get(self, request):
        filterset, rows = lesson_list(request.user, request.GET, request)
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        viewer = viewer_for(request.user)
        return render_page(
            request,
            "incidents/lessons/lesson_list.html",
            {
                "filter": filterset,
                "page": page,
                "query": query.urlencode(),
                "own_org_ids": viewer.org_ids,
                "can_create": bool(lesson_writer_org_ids(request.user)),
                "can_export": lesson_exports.may_export_lessons(request.user),
                "status_colours": STATUS_COLOURS,
                "nav_section": "lessons",
            },
            partial="results",
        )


class LessonCreateView(ActionFormView):
    """The owner's emergency managers and crisis staff (officers for an office, analysts
    for a national body) record a lesson; ``?incident=`` / ``?exercise=`` preset the
    source."""

    model = Lesson
    template_name = "incidents/lessons/lesson_form.html"
    nav_section = "lessons"
    success_message = _("The lesson was saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not lesson_writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, form):
        return {"lesson": None}

    def get_form(self, data=None, files=None):
        if data is not None:
            return LessonForm(data, user=self.request.user)
        initial = {}
        for key, source in (
            ("incident", LessonSource.INCIDENT),
            ("exercise", LessonSource.EXERCISE),
        ):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
                initial["source"] = source
        return LessonForm(user=self.request.user, initial=initial)

    def perform(self, form):
        return actions.do_create_lesson(
            owner=form.cleaned_data["owner"], acting_user=self.request.user, **form.changes()
        )

    def get_success_url(self, lesson):
        return reverse("incidents:lesson-detail", args=[lesson.uuid])


class LessonEditView(ActionFormView):
    model = Lesson
    template_name = "incidents/lessons/lesson_form.html"
    nav_section = "lessons"
    success_message = _("The lesson was saved.")
    lesson = None

    def dispatch(self, request, uuid):
        if request.user.is_authenticated:
            self.lesson = get_lesson(request, uuid)
            if not request.user.has_perm("incidents.write_lesson", self.lesson):
                raise PermissionDenied
        return super().dispatch(request, uuid)

    def get_context(self, form):
        return {"lesson": self.lesson}

    def get_form(self, data=None, files=None):
        if data is None:
            return LessonForm(instance=self.lesson, user=self.request.user)
        return LessonForm(data, instance=copy.copy(self.lesson), user=self.request.user)

    def perform(self, form):
        return actions.do_update_lesson(
            self.lesson, acting_user=self.request.user, **form.changes()
        )

    def get_success_url(self, lesson):
        return reverse("incidents:lesson-detail", args=[self.lesson.uuid])


class LessonDetailView(ScopedMixin, View):
    model = Lesson

    def get(self, request, uuid, share_form=None):
        lesson = get_lesson(request, uuid)
        user = request.user
        viewer = viewer_for(user)
        can_write = may_write_lesson(user, lesson)
        sees_shares = (
            lesson.owner_id in viewer.org_ids or lesson.owner.region_id in viewer.officer_office_ids
        )
        shares = (
            lesson.shares.select_related(
                "organisation", "network", "office", "created_by"
            ).order_by("created_at")
            if sees_shares
            else LessonShare.objects.none()
        )
        responsible = None
        if lesson.responsible_id:
            responsible = get_user_model().objects.filter(pk=lesson.responsible_id).first()
        response = render_page(
            request,
            "incidents/lessons/lesson_detail.html",
            {
                "lesson": lesson,
                "linked": _linked(user, lesson),
                "responsible": responsible,
                "can_write": can_write,
                "sees_shares": sees_shares,
                "shares": shares,
                "share_form": share_form
                or (LessonShareForm(lesson=lesson, user=user) if can_write else None),
                "status_actions": [
                    (value, LessonStatus(value).label)
                    for value in actions.allowed_statuses(lesson.status)
                ]
                if can_write
                else [],
                "history": lesson_history(lesson),
                "similar": similar_lessons(lesson, user),
                "status_colours": STATUS_COLOURS,
                "status_steps": list(LessonStatus),
                "step_index": actions.STATUS_ORDER.index(LessonStatus(lesson.status)),
                "nav_section": "lessons",
            },
        )
        if share_form is not None:
            response.status_code = 400
        return response


class LessonStatusView(ScopedMixin, View):
    """Move the follow-up (POST only)."""

    model = Lesson

    def post(self, request, uuid):
        lesson = get_lesson(request, uuid)
        if not request.user.has_perm("incidents.write_lesson", lesson):
            raise PermissionDenied
        form = LessonStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid follow-up status."))
        else:
            try:
                lesson = actions.do_set_lesson_status(
                    lesson, form.cleaned_data["status"], acting_user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Follow-up: %(status)s.") % {"status": lesson.get_status_display()},
                )
        return redirect(reverse("incidents:lesson-detail", args=[uuid]) + "#follow-up")


class LessonShareView(ScopedMixin, View):
    model = Lesson

    def post(self, request, uuid):
        lesson = get_lesson(request, uuid)
        if not request.user.has_perm("incidents.write_lesson", lesson):
            raise PermissionDenied
        form = LessonShareForm(request.POST, lesson=lesson, user=request.user)
        if form.is_valid():
            try:
                share = actions.do_share_lesson(
                    lesson, acting_user=request.user, **form.audience_kwargs()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The lesson is shared with %(audience)s.") % {"audience": share.audience()},
                )
                return redirect(reverse("incidents:lesson-detail", args=[uuid]) + "#shares")
        view = LessonDetailView()
        view.request = request
        return view.get(request, uuid, share_form=form)


class LessonExportView(ScopedMixin, View):
    """The KS export (KS analysts and national analysts): the form, and with its
    parameters in the query (``?network=&start=&end=&format=xlsx``) the file itself."""

    model = Lesson

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not lesson_exports.may_export_lessons(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if "format" not in request.GET:
            return self.render(LessonExportForm(user=request.user))
        form = LessonExportForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        summary = lesson_exports.lesson_summary(
            user=request.user, network=data["network"], start=data["start"], end=data["end"]
        )
        content, name, content_type = lesson_exports.export_bytes(summary, data["format"])
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def render(self, form, status=200):
        return render_page(
            self.request,
            "incidents/lessons/export.html",
            {"form": form, "nav_section": "lessons"},
            partial="form",
            status=status,
        )


# --- exercises -------------------------------------------------------------------------


def exercises_for(user):
    return Exercise.objects.visible_to(user).select_related("owner")


class ExerciseListView(ScopedMixin, View):
    """Exercises the user's organisations organise or take part in (and, for officers,
    those of their region): planned first, then held. Four queries."""

    model = Exercise

    def get(self, request):
        exercises = list(
            exercises_for(request.user)
            .prefetch_related(
                Prefetch("participants", queryset=Organisation.objects.order_by("name"))
            )
            .order_by("-planned_for", "-id")
        )
        return render_page(
            request,
            "incidents/exercises/exercise_list.html",
            {
                "planned": [e for e in exercises if e.status == ExerciseStatus.PLANNED],
                "others": [e for e in exercises if e.status != ExerciseStatus.PLANNED],
                "can_create": bool(lesson_writer_org_ids(request.user)),
                "colours": EXERCISE_COLOURS,
                "nav_section": "lessons",
            },
        )


class ExerciseDetailView(ScopedMixin, View):
    model = Exercise

    def get(self, request, uuid):
        exercise = get_object_or_404(exercises_for(request.user), uuid=uuid)
        user = request.user
        evaluation = None
        if exercise.evaluation_id:
            evaluation = Document.objects.visible_to(user).filter(pk=exercise.evaluation_id).first()
        return render_page(
            request,
            "incidents/exercises/exercise_detail.html",
            {
                "exercise": exercise,
                "participants": exercise.participants.order_by("name"),
                "evaluation": evaluation,
                "lessons": lessons_for(user).filter(exercise=exercise).order_by("area", "title"),
                "can_write": may_write_exercise(user, exercise),
                "can_record_lesson": bool(lesson_writer_org_ids(user)),
                "colours": EXERCISE_COLOURS,
                "status_colours": STATUS_COLOURS,
                "nav_section": "lessons",
            },
        )


class ExerciseCreateView(ActionFormView):
    model = Exercise
    template_name = "incidents/exercises/exercise_form.html"
    nav_section = "lessons"
    success_message = _("The exercise was saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not lesson_writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, form):
        return {"exercise": None}

    def get_form(self, data=None, files=None):
        return ExerciseForm(data, user=self.request.user)

    def perform(self, form):
        return actions.do_create_exercise(
            owner=form.cleaned_data["owner"],
            acting_user=self.request.user,
            participants=form.cleaned_data["participants"],
            **form.changes(),
        )

    def get_success_url(self, exercise):
        return reverse("incidents:exercise-detail", args=[exercise.uuid])


class ExerciseEditView(ActionFormView):
    model = Exercise
    template_name = "incidents/exercises/exercise_form.html"
    nav_section = "lessons"
    success_message = _("The exercise was saved.")
    exercise = None

    def dispatch(self, request, uuid):
        if request.user.is_authenticated:
            self.exercise = get_object_or_404(exercises_for(request.user), uuid=uuid)
            if not request.user.has_perm("incidents.write_exercise", self.exercise):
                raise PermissionDenied
        return super().dispatch(request, uuid)

    def get_context(self, form):
        return {"exercise": self.exercise}

    def get_form(self, data=None, files=None):
        if data is None:
            return ExerciseForm(instance=self.exercise, user=self.request.user)
        return ExerciseForm(data, instance=copy.copy(self.exercise), user=self.request.user)

    def perform(self, form):
        return actions.do_update_exercise(
            self.exercise,
            acting_user=self.request.user,
            participants=form.cleaned_data["participants"],
            **form.changes(),
        )

    def get_success_url(self, exercise):
        return reverse("incidents:exercise-detail", args=[self.exercise.uuid])
