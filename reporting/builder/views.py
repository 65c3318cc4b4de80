"""The form builder's pages (REPORT_ISSUER_ROLES: officers of a State Administrator
office, national analysts): the list of forms, a new form, the editor of a form's draft
(sections and fields: add, change, move, remove — HTMX swaps of the editor, or plain
POST and redirect without JavaScript), the preview as a municipality fills it in,
publishing, copying.

Forms come from ``ReportForm.objects.visible_to`` (every signed-in user sees every form:
404 only for what does not exist); the builder's pages are for issuers (403 otherwise),
and a form is edited only by its owner's issuers (``reporting.publish_form``, 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Max, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.web import ScopedMixin, add_action_errors, htmx_partial, redirect_htmx, render_page
from reporting.builder import editing
from reporting.builder.actions import (
    do_copy_form,
    do_create_draft_form,
    do_publish_draft,
    do_save_draft,
    latest_version,
)
from reporting.builder.forms import CopyForm, FieldForm, FormFactsForm, NewFormForm, SectionForm
from reporting.forms import answers_from_post
from reporting.models import ReportForm, ReportFormVersion
from reporting.rules import form_owner_orgs
from reporting.validation import AGGREGATES, FIELD_TYPES, field_aggregate, validate_answers
from reporting.views.rounds import form_fields


class IssuerMixin(ScopedMixin):
    """The builder's pages are for the people who issue rounds."""

    model = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not form_owner_orgs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_object(self, uuid, *, edit=True):
        form = get_object_or_404(self.get_queryset().select_related("owner"), uuid=uuid)
        if edit and not self.request.user.has_perm("reporting.publish_form", form):
            raise PermissionDenied
        return form


class BuilderListView(IssuerMixin, View):
    """Every form the user sees, the user's own first, with the latest version and
    whether a draft is being written (one query)."""

    def get(self, request):
        own = form_owner_orgs(request.user)
        published = ReportFormVersion.objects.filter(
            form=OuterRef("pk"), published_at__isnull=False
        )
        forms = list(
            self.get_queryset()
            .select_related("owner")
            .annotate(latest_number=Max("versions__number"), has_versions=Exists(published))
            .order_by("owner__name", "title", "id")
        )
        for form in forms:
            form.is_own = form.owner_id in own
        return render_page(
            request,
            "reporting/builder/list.html",
            {
                "own_forms": [f for f in forms if f.is_own],
                "other_forms": [f for f in forms if not f.is_own and f.has_versions],
                "nav_section": "reporting",
            },
        )


class BuilderCreateView(IssuerMixin, View):
    def render(self, form, status=200):
        return render_page(
            self.request,
            "reporting/builder/create.html",
            {"form": form, "nav_section": "reporting"},
            status=status,
        )

    def get(self, request):
        return self.render(NewFormForm(user=request.user))

    def post(self, request):
        form = NewFormForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = do_create_draft_form(
                    owner=data["owner"],
                    acting_user=request.user,
                    title=data["title"],
                    description=data["description"],
                    track=data["track"],
                    kind=data["kind"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The form is created. Add its sections and fields."))
                return redirect_htmx(
                    request, reverse("reporting:builder-edit", args=[created.uuid])
                )
        return self.render(form, status=400)


def _int(value, default=-1):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class BuilderEditView(IssuerMixin, View):
    """The editor of a form's draft. A POST names an ``op`` and the section ``s`` and
    field ``f`` it is about; the draft is saved at once."""

    def context(self, form, *, bound=None):
        draft = editing.normalised(form.draft) if form.draft is not None else None
        problems = editing.draft_problems(draft, editing.published_types(form)) if draft else {}
        bound = bound or {}
        sections = []
        for s, section in enumerate(draft["sections"] if draft else []):
            fields = []
            for f, spec in enumerate(section["fields"]):
                place = f"s{s}f{f}"
                fields.append(
                    {
                        "spec": spec,
                        "index": f,
                        "place": place,
                        "type_label": FIELD_TYPES.get(spec.get("type"), spec.get("type")),
                        "aggregate_label": AGGREGATES.get(field_aggregate(spec) or "", ""),
                        "problems": problems.get(place, []),
                        "form": bound.get(place)
                        or FieldForm(initial=FieldForm.initial_for(spec), prefix=place),
                        "open": place in bound,
                    }
                )
            place = f"s{s}"
            sections.append(
                {
                    "section": section,
                    "index": s,
                    "place": place,
                    "fields": fields,
                    "problems": problems.get(place, []),
                    "form": bound.get(place)
                    or SectionForm(initial=SectionForm.initial_for(section), prefix=place),
                    "new_field": bound.get(f"{place}new") or FieldForm(prefix=f"{place}new"),
                    "open": place in bound,
                    "new_open": f"{place}new" in bound,
                }
            )
        return {
            "form": form,
            "draft": draft,
            "latest": latest_version(form),
            "sections": sections,
            "last_section": len(sections) - 1,
            "form_problems": problems.get("", []),
            "problem_count": sum(len(v) for v in problems.values()),
            "facts": bound.get("facts")
            or FormFactsForm(
                initial={
                    "title": form.title,
                    "description": form.description,
                    "track": form.track,
                    "kind": form.kind,
                },
                prefix="facts",
            ),
            "new_section": bound.get("new") or SectionForm(prefix="new"),
            "new_section_open": "new" in bound or not sections,
            "nav_section": "reporting",
        }

    def render(self, form, *, bound=None, status=200):
        return render_page(
            self.request,
            "reporting/builder/edit.html",
            self.context(form, bound=bound),
            partial="editor" if htmx_partial(self.request) else "content",
            status=200 if htmx_partial(self.request) else status,
        )

    def get(self, request, uuid):
        return self.render(self.get_form_object(uuid))

    def post(self, request, uuid):
        form = self.get_form_object(uuid)
        op = request.POST.get("op", "")
        s, f = _int(request.POST.get("s")), _int(request.POST.get("f"))
        step = -1 if request.POST.get("dir") == "up" else 1
        draft = form.draft
        bound: dict = {}
        facts = None
        try:
            if op == "start":
                draft = None
            elif op == "facts":
                facts = FormFactsForm(request.POST, prefix="facts")
                if not facts.is_valid():
                    bound["facts"] = facts
            elif op == "add_section":
                section_form = SectionForm(request.POST, prefix="new")
                if section_form.is_valid():
                    draft = editing.add_section(draft, section_form.spec())
                else:
                    bound["new"] = section_form
            elif op == "section":
                section_form = SectionForm(request.POST, prefix=f"s{s}")
                if section_form.is_valid():
                    draft = editing.update_section(draft, s, section_form.spec())
                else:
                    bound[f"s{s}"] = section_form
            elif op == "move_section":
                draft = editing.move_section(draft, s, step)
            elif op == "remove_section":
                draft = editing.remove_section(draft, s)
            elif op == "add_field":
                field_form = FieldForm(request.POST, prefix=f"s{s}new")
                if field_form.is_valid():
                    draft = editing.add_field(draft, s, field_form.spec())
                else:
                    bound[f"s{s}new"] = field_form
            elif op == "field":
                field_form = FieldForm(request.POST, prefix=f"s{s}f{f}")
                if field_form.is_valid():
                    draft = editing.update_field(draft, s, f, field_form.spec())
                else:
                    bound[f"s{s}f{f}"] = field_form
            elif op == "move_field":
                draft = editing.move_field(draft, s, f, step)
            elif op == "remove_field":
                draft = editing.remove_field(draft, s, f)
            else:
                return self.render(form, status=400)
        except IndexError:
            # The section or field is gone (another tab): show the draft as it is.
            messages.warning(request, _("That part of the form is no longer there."))
            return self.render(form, status=409)
        if bound:
            return self.render(form, bound=bound, status=400)
        meta = {}
        if facts is not None:
            meta = {k: facts.cleaned_data[k] for k in ("title", "description", "track", "kind")}
        if op != "start" and form.draft is None:
            return self.render(form, status=400)
        try:
            form = do_save_draft(form, acting_user=request.user, draft=draft, **meta)
        except ValidationError as error:
            facts = facts or FormFactsForm(request.POST, prefix="facts")
            facts.is_valid()
            add_action_errors(facts, error)
            for message in error.messages if not hasattr(error, "error_dict") else []:
                facts.add_error(None, message)
            return self.render(form, bound={"facts": facts}, status=400)
        if htmx_partial(request):
            return self.render(form)
        anchor = f"#s{s}" if s >= 0 and op not in ("remove_section",) else ""
        return redirect_htmx(request, reverse("reporting:builder-edit", args=[form.uuid]) + anchor)


class BuilderPreviewView(IssuerMixin, View):
    """The draft as a municipality fills it in (the submission page's inputs); trying
    answers shows the messages a municipality would get, in place. Nothing is saved."""

    def render(self, form, answers, errors, status=200):
        draft = editing.normalised(form.draft)
        problems = editing.draft_problems(draft, editing.published_types(form))
        return render_page(
            self.request,
            "reporting/builder/preview.html",
            {
                "form": form,
                "problems": problems,
                "sections": [] if problems else form_fields(draft, answers, errors),
                "errors": errors,
                "tried": bool(answers) or bool(errors),
                "nav_section": "reporting",
            },
            status=status,
        )

    def get_draft_form(self, uuid):
        form = self.get_form_object(uuid)
        if form.draft is None:
            raise PermissionDenied
        return form

    def get(self, request, uuid):
        return self.render(self.get_draft_form(uuid), {}, {})

    def post(self, request, uuid):
        form = self.get_draft_form(uuid)
        draft = editing.normalised(form.draft)
        if editing.draft_problems(draft, {}):
            return self.render(form, {}, {}, status=400)
        answers = answers_from_post(draft, request.POST)
        _cleaned, errors = validate_answers(draft, answers)
        if not errors:
            messages.success(request, _("These answers are valid. Nothing was saved."))
        return self.render(form, answers, errors, status=400 if errors else 200)


class BuilderPublishView(IssuerMixin, View):
    def post(self, request, uuid):
        form = self.get_form_object(uuid)
        try:
            version = do_publish_draft(form, acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect_htmx(request, reverse("reporting:builder-edit", args=[form.uuid]))
        messages.success(
            request,
            _("Version %(number)d is published. Rounds can now be issued with it.")
            % {"number": version.number},
        )
        return redirect_htmx(request, reverse("reporting:form-detail", args=[form.uuid]))


class BuilderCopyView(IssuerMixin, View):
    """Any form the user sees, as the start of a new draft form of the user's own."""

    def render(self, source, copy_form, status=200):
        return render_page(
            self.request,
            "reporting/builder/copy.html",
            {"source": source, "form": copy_form, "nav_section": "reporting"},
            status=status,
        )

    def get_source(self, uuid):
        source = self.get_form_object(uuid, edit=False)
        own = self.request.user.has_perm("reporting.publish_form", source)
        if latest_version(source) is None and not own:
            raise PermissionDenied
        return source

    def get(self, request, uuid):
        source = self.get_source(uuid)
        copy_form = CopyForm(
            user=request.user,
            initial={"title": _("Copy of %(title)s") % {"title": source.title}},
        )
        return self.render(source, copy_form)

    def post(self, request, uuid):
        source = self.get_source(uuid)
        copy_form = CopyForm(request.POST, user=request.user)
        if copy_form.is_valid():
            try:
                created = do_copy_form(
                    source,
                    owner=copy_form.cleaned_data["owner"],
                    acting_user=request.user,
                    title=copy_form.cleaned_data["title"],
                )
            except ValidationError as error:
                add_action_errors(copy_form, error)
            else:
                messages.success(request, _("The copy is a new draft form."))
                return redirect_htmx(
                    request, reverse("reporting:builder-edit", args=[created.uuid])
                )
        return self.render(source, copy_form, status=400)
