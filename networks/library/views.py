"""The library's pages: search and filter, a document with its sharing and adoptions,
new versions, the version list, the diff between two versions, file downloads, sharing
and adoption. Every document is looked up in ``Document.objects.visible_to``: what is
not shared with you is 404, files included."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from networks.library import actions
from networks.library.diff import diff_versions
from networks.library.forms import (
    AdoptForm,
    DocumentForm,
    ShareForm,
    VersionForm,
    checklist_text,
)
from networks.library.models import Adoption, Document, DocumentKind, DocumentShare
from networks.library.rules import library_writer_org_ids
from networks.library.search import filter_choices, search_documents
from networks.structure.models import Organisation
from portal.access import viewer_for
from portal.web import ActionFormView, ScopedMixin, add_action_errors, render_page, stored_file

NAV = "library"
PAGE_SIZE = 50
FILTERS = ("q", "kind", "owner", "network", "topic")


def get_document(request, uuid):
    return get_object_or_404(
        Document.objects.visible_to(request.user).select_related("owner", "owner__region"),
        uuid=uuid,
    )


def writer_orgs(user):
    return list(Organisation.objects.filter(pk__in=library_writer_org_ids(user)).order_by("name"))


class DocumentListView(ScopedMixin, View):
    """Bibliotek — search (Norwegian full text, as you type with HTMX; a plain GET form
    without JavaScript) and filter what you may see."""

    model = Document

    def get(self, request):
        params = {k: (request.GET.get(k) or "").strip() for k in FILTERS}
        documents = search_documents(request.user, **params)
        total = documents.count()
        rows = list(documents[:PAGE_SIZE])
        return render_page(
            request,
            "networks/library/document_list.html",
            {
                "params": params,
                "documents": rows,
                "total": total,
                "truncated": total > len(rows),
                "kinds": DocumentKind.choices,
                "can_create": bool(library_writer_org_ids(request.user)),
                "nav_section": NAV,
                **filter_choices(request.user),
            },
            partial="results",
        )


class DocumentCreateView(ActionFormView):
    """A new document, saved as version 1, for one of the organisations the user writes
    for (none: 403)."""

    model = Document
    template_name = "networks/library/document_form.html"
    partial = "content"
    nav_section = NAV
    success_message = gettext_lazy("The document is saved as version 1.")

    def get_form(self, data=None, files=None):
        orgs = writer_orgs(self.request.user)
        if not orgs:
            raise PermissionDenied
        return DocumentForm(data, files, writer_orgs=orgs)

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_create_document(
            data["owner"],
            self.request.user,
            data["kind"],
            data["title"],
            data["topic"],
            data["body"],
            file=data.get("file"),
            checklist=data["checklist"],
        )

    def get_success_url(self, document):
        return reverse("networks:document-detail", kwargs={"uuid": document.uuid})


class DocumentDetailView(ScopedMixin, View):
    model = Document

    def get(self, request, uuid, share_form=None, adopt_form=None):
        document = get_document(request, uuid)
        user = request.user
        viewer = viewer_for(user)
        writers = library_writer_org_ids(user)
        can_edit = document.owner_id in writers
        version = document.versions.select_related("created_by").get(number=document.current_number)
        shares = list(
            document.shares.select_related(
                "organisation", "network", "office", "created_by"
            ).order_by("created_at", "id")
        )
        # Who adopted which version (adopters, the owner, the officers of both regions).
        adoptions = list(
            Adoption.objects.visible_to(user)
            .filter(source=document)
            .select_related("organisation", "source_version", "adopted_by", "copy")
            .order_by("organisation__name")
        )
        origin = (
            Adoption.objects.filter(copy=document)
            .select_related("source", "source__owner", "source_version")
            .first()
        )
        origin_visible = (
            origin is not None
            and Document.objects.visible_to(user).filter(pk=origin.source_id).exists()
        )
        # Your own copies of this document; you may adopt again only a newer version.
        own_copies = [a for a in adoptions if a.organisation_id in viewer.org_ids]
        current = {
            a.organisation_id
            for a in own_copies
            if a.source_version.number == document.current_number
        }
        adopt_orgs = [
            o for o in writer_orgs(user) if o.pk != document.owner_id and o.pk not in current
        ]
        response = render_page(
            request,
            "networks/library/document_detail.html",
            {
                "document": document,
                "version": version,
                "can_edit": can_edit,
                # Only the owner and the region's office learn every audience; a
                # recipient learns the document was shared with them.
                "sees_shares": document.owner_id in viewer.org_ids
                or document.owner.region_id in viewer.officer_office_ids,
                "shares": shares,
                "office": document.owner.region if shares else None,
                "adoptions": adoptions,
                "own_copies": own_copies,
                "origin": origin,
                "origin_visible": origin_visible,
                "share_form": share_form
                or (ShareForm(document=document, user=user) if can_edit else None),
                "adopt_form": adopt_form
                or (AdoptForm(organisations=adopt_orgs) if adopt_orgs else None),
                "nav_section": NAV,
            },
        )
        if share_form is not None or adopt_form is not None:
            response.status_code = 400
        return response


class DocumentEditView(ActionFormView):
    """A new version: the form starts from the latest one."""

    model = Document
    template_name = "networks/library/version_form.html"
    partial = "content"
    nav_section = NAV

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.document = get_document(request, kwargs["uuid"])
        if not request.user.has_perm("networks.edit_document", self.document):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def latest(self):
        return self.document.versions.get(number=self.document.current_number)

    def get_form(self, data=None, files=None):
        if data is not None:
            return VersionForm(data, files)
        latest = self.latest()
        return VersionForm(
            initial={
                "title": latest.title,
                "body": latest.body,
                "checklist": checklist_text(latest.checklist),
                "expected_number": self.document.current_number,
            }
        )

    def get_context(self, form):
        return {"document": self.document, "latest": self.latest()}

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_new_version(
            self.document,
            acting_user=self.request.user,
            title=data["title"],
            body=data["body"],
            file=data.get("file"),
            checklist=data["checklist"],
            change_note=data["change_note"],
            expected_number=data["expected_number"],
            keep_file=not data["remove_file"],
        )

    def get_success_message(self, version):
        return _("Saved as version %(n)s.") % {"n": version.number}

    def get_success_url(self, version):
        return reverse("networks:document-detail", kwargs={"uuid": self.document.uuid})


class DocumentVersionListView(ScopedMixin, View):
    model = Document

    def get(self, request, uuid):
        document = get_document(request, uuid)
        versions = list(document.versions.select_related("created_by").order_by("-number"))
        return render_page(
            request,
            "networks/library/version_list.html",
            {"document": document, "versions": versions, "nav_section": NAV},
        )


class DocumentVersionDetailView(ScopedMixin, View):
    model = Document

    def get(self, request, uuid, number):
        document = get_document(request, uuid)
        version = get_object_or_404(document.versions.select_related("created_by"), number=number)
        return render_page(
            request,
            "networks/library/version_detail.html",
            {"document": document, "version": version, "nav_section": NAV},
        )


def _number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class DocumentDiffView(ScopedMixin, View):
    """What changed between two versions (``?fra=1&til=2``; by default the latest and
    the one before)."""

    model = Document

    def get(self, request, uuid):
        document = get_document(request, uuid)
        current = document.current_number
        new_n = _number(request.GET.get("til"), current)
        old_n = _number(request.GET.get("fra"), max(new_n - 1, 1))
        versions = {
            v.number: v
            for v in document.versions.filter(number__in=[old_n, new_n]).select_related(
                "created_by"
            )
        }
        if old_n not in versions or new_n not in versions:
            raise Http404
        numbers = list(range(current, 0, -1))
        return render_page(
            request,
            "networks/library/diff.html",
            {
                "document": document,
                "diff": diff_versions(versions[old_n], versions[new_n]),
                "numbers": numbers,
                "old_n": old_n,
                "new_n": new_n,
                "nav_section": NAV,
            },
        )


class DocumentOriginDiffView(ScopedMixin, View):
    """An adopted copy beside its origin: from the copy's latest version to the origin's
    latest (what the adopter would take in, and what it changed itself). 404 unless the
    document is a copy whose origin is still visible to the user."""

    model = Document

    def get(self, request, uuid):
        copy = get_document(request, uuid)
        origin = get_object_or_404(
            Adoption.objects.select_related("source", "source__owner"), copy=copy
        )
        source = get_object_or_404(Document.objects.visible_to(request.user), pk=origin.source_id)
        old = copy.versions.select_related("created_by").get(number=copy.current_number)
        new = source.versions.select_related("created_by").get(number=source.current_number)
        diff = diff_versions(
            old,
            new,
            _("%(owner)s, version %(n)s") % {"owner": copy.owner, "n": old.number},
            _("%(owner)s, version %(n)s") % {"owner": source.owner, "n": new.number},
        )
        return render_page(
            request,
            "networks/library/origin_diff.html",
            {"document": copy, "origin": origin, "diff": diff, "nav_section": NAV},
        )


class DocumentFileView(ScopedMixin, View):
    """A version's file, served through the storage API to those who may see the
    document (404 otherwise)."""

    model = Document

    def get(self, request, uuid, number):
        document = get_document(request, uuid)
        version = get_object_or_404(document.versions, number=number)
        return stored_file(
            version.file, filename=version.download_name, content_type=version.file_type
        )


class DocumentShareView(ScopedMixin, View):
    model = Document

    def post(self, request, uuid):
        document = get_document(request, uuid)
        if not request.user.has_perm("networks.edit_document", document):
            raise PermissionDenied
        form = ShareForm(request.POST, document=document, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                share = actions.do_share_document(
                    document,
                    request.user,
                    organisation=data.get("organisation"),
                    network=data.get("network"),
                    office=data.get("office"),
                    everyone=data.get("everyone", False),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The document is shared with %(audience)s.") % {"audience": share.audience()},
                )
                return redirect(reverse("networks:document-detail", args=[uuid]) + "#sharing")
        return DocumentDetailView().get(request, uuid, share_form=form)


class DocumentUnshareView(ScopedMixin, View):
    model = Document

    def post(self, request, uuid):
        document = get_document(request, uuid)
        if not request.user.has_perm("networks.edit_document", document):
            raise PermissionDenied
        share = DocumentShare.objects.filter(
            document=document, pk=_number(request.POST.get("share"), 0)
        ).first()
        if share is None:
            messages.error(request, _("Choose a share to remove."))
            return redirect(reverse("networks:document-detail", args=[uuid]) + "#sharing")
        actions.do_remove_share(share, acting_user=request.user)
        messages.success(
            request,
            _("The document is no longer shared with %(audience)s.")
            % {"audience": share.audience()},
        )
        return redirect(reverse("networks:document-detail", args=[uuid]) + "#sharing")


class DocumentAdoptView(ScopedMixin, View):
    """Adopt a document shared with you into your organisation's library (a copy that
    remembers its origin and version). What is not shared with you is 404."""

    model = Document

    def post(self, request, uuid):
        document = get_document(request, uuid)
        orgs = [o for o in writer_orgs(request.user) if o.pk != document.owner_id]
        if not orgs:
            raise PermissionDenied
        form = AdoptForm(request.POST, organisations=orgs)
        if form.is_valid():
            try:
                adoption = actions.do_adopt(
                    document, request.user, form.cleaned_data["organisation"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(org)s adopted version %(n)s. This is your copy.")
                    % {"org": adoption.organisation, "n": adoption.source_version.number},
                )
                return redirect("networks:document-detail", uuid=adoption.copy.uuid)
        return DocumentDetailView().get(request, uuid, adopt_form=form)
