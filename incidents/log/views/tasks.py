"""Tasks: an incident's task list, "Mine oppgaver", create (blank or from an action
entry) and status changes."""

from django.contrib import messages
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from incidents.log import actions
from incidents.log.forms import TaskForm, TaskStatusForm
from incidents.log.models import Task, TaskStatus
from incidents.log.rules import incident_writer_org_ids
from incidents.log.views.common import entries_for, get_incident, may_write, require_write
from portal.access import viewer_for
from portal.roles import Role
from portal.search import is_uuid
from portal.web import ActionFormView, ScopedMixin, render_page, safe_next
from portal.worklist import items_for


def tasks_with_details(queryset):
    return queryset.select_related(
        "incident",
        "incident__frame",
        "incident__owner",
        "assignee_user",
        "assignee_organisation",
        "source_entry",
    )


def mark_task_permissions(tasks, user):
    """Who may change a task's status, as ``do_set_task_status`` decides, without a query
    per task: its assignee, a member of the assigned organisation, or a writer of the
    incident."""
    viewer = viewer_for(user)
    writer_orgs = incident_writer_org_ids(user)
    now = timezone.now()
    tasks = list(tasks)
    for task in tasks:
        task.may_change = (
            task.assignee_user_id == user.pk
            or task.assignee_organisation_id in viewer.org_ids
            or task.incident.owner_id in writer_orgs
        )
        task.next_statuses = TASK_TRANSITIONS[task.status]
        task.role_label = (
            Role(task.assignee_role).label if task.assignee_role in Role.values else ""
        )
        task.overdue = bool(
            task.due_at
            and task.due_at < now
            and task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
        )
    return tasks


#: The status buttons a task offers, by its status.
TASK_TRANSITIONS = {
    TaskStatus.OPEN: [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED],
    TaskStatus.IN_PROGRESS: [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.CANCELLED],
    TaskStatus.DONE: [TaskStatus.OPEN],
    TaskStatus.CANCELLED: [TaskStatus.OPEN],
}


def my_tasks_q(user):
    """Tasks for me: assigned to me, to a role I hold (in the organisation named, or the
    incident's owner), to my organisation as a whole, or created by me."""
    viewer = viewer_for(user)
    q = (
        Q(assignee_user_id=viewer.user_id)
        | Q(created_by_id=viewer.user_id)
        | Q(
            assignee_organisation_id__in=viewer.org_ids,
            assignee_role="",
            assignee_user__isnull=True,
        )
    )
    for org_id, role in viewer.roles:
        q |= Q(assignee_role=role) & (
            Q(assignee_organisation_id=org_id)
            | Q(assignee_organisation__isnull=True, incident__owner_id=org_id)
        )
    return q


class TaskListView(ScopedMixin, View):
    model = Task

    def get(self, request, uuid):
        incident = get_incident(request, uuid)
        tasks = tasks_with_details(self.get_queryset().filter(incident=incident)).order_by(
            "status", F("due_at").asc(nulls_last=True), "-created_at"
        )
        return render_page(
            request,
            "incidents/task_list.html",
            {
                "incident": incident,
                "tasks": mark_task_permissions(tasks, request.user),
                "can_write": may_write(request.user, incident),
                "now": timezone.now(),
                "nav_section": "incidents",
            },
        )


class MyTasksView(ScopedMixin, View):
    model = Task

    def get(self, request):
        show_all = request.GET.get("status") == "all"
        tasks = self.get_queryset().filter(my_tasks_q(request.user))
        if not show_all:
            tasks = tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        tasks = tasks_with_details(tasks).order_by(F("due_at").asc(nulls_last=True), "-created_at")
        return render_page(
            request,
            "incidents/my_tasks.html",
            {
                "tasks": mark_task_permissions(tasks, request.user),
                "show_all": show_all,
                "work_items": items_for(request.user),  # other features' tasks (meetings …)
                "now": timezone.now(),
                "nav_section": "tasks",
            },
        )


class TaskCreateView(ActionFormView):
    """A blank task, or one from an action entry (``?entry=<uuid>``)."""

    model = Task
    template_name = "incidents/task_form.html"
    nav_section = "incidents"
    success_message = _("The task was created.")
    entry = None

    def dispatch(self, request, uuid):
        self.incident = get_incident(request, uuid)
        require_write(request.user, self.incident)
        return super().dispatch(request, uuid)

    def get_context(self, form):
        entry = self.entry
        if form.is_bound:
            entry = form.cleaned_data.get("source_entry") if hasattr(form, "cleaned_data") else None
        return {"incident": self.incident, "entry": entry}

    def get_form(self, data=None, files=None):
        if data is not None:
            return TaskForm(data, incident=self.incident, user=self.request.user)
        initial = {}
        entry_uuid = self.request.GET.get("entry")
        if entry_uuid and is_uuid(entry_uuid):
            self.entry = get_object_or_404(
                entries_for(self.request.user, self.incident), uuid=entry_uuid
            )
            text = self.entry.text.strip()
            initial = {
                "title": (text.splitlines()[0] if text else "")[:200],
                "description": self.entry.text,
                "source_entry": self.entry.uuid,
            }
        return TaskForm(initial=initial, incident=self.incident, user=self.request.user)

    def perform(self, form):
        return actions.do_create_task(
            self.incident, acting_user=self.request.user, **form.action_kwargs()
        )

    def get_success_url(self, task):
        return reverse("incidents:task-list", args=[self.incident.uuid])


class TaskStatusView(ScopedMixin, View):
    model = Task

    def post(self, request, uuid):
        task = get_object_or_404(self.get_queryset().select_related("incident"), uuid=uuid)
        form = TaskStatusForm(request.POST)
        fallback = reverse("incidents:task-list", args=[task.incident.uuid])
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return redirect(safe_next(request, fallback))
        task = actions.do_set_task_status(
            task, form.cleaned_data["status"], acting_user=request.user
        )
        messages.success(
            request,
            _("%(task)s: %(status)s.") % {"task": task.title, "status": task.get_status_display()},
        )
        return redirect(safe_next(request, fallback))
