"""The resource overview (ressursoversikt) and assistance agreements (bistandsavtaler):
find resources in a list and on a map, keep an organisation's own, share them, and
register agreements between organisations.

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404; someone
who sees but may not change gets 403. Every write goes through
``networks.resources.actions``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from networks.library.models import Document
from networks.resources.actions import (
    do_create_agreement,
    do_create_resource,
    do_share_resource,
    do_unshare_resource,
    do_update_agreement,
    do_update_resource,
)
from networks.resources.filtersets import ResourceFilterSet
from networks.resources.forms import AgreementForm, ResourceForm, ResourceShareForm
from networks.resources.models import Agreement, Resource, ResourceShare
from networks.resources.tasks import AGREEMENT_WARNING_DAYS
from networks.structure.models import Organisation
from portal.access import viewer_for
from portal.web import ActionFormView, ScopedMixin, add_action_errors, redirect_htmx, render_page

PAGE_SIZE = 100


def map_points(resources):
    """The markers: at the resource's coordinates, or at its municipality's label point."""
    points = []
    for r in resources:
        exact = r.latitude is not None and r.longitude is not None
        points.append(
            {
                "lat": r.latitude if exact else r.municipality.label_lat,
                "lon": r.longitude if exact else r.municipality.label_lon,
                "exact": exact,
                "name": r.name,
                "owner": r.owner.display_name,
                "place": r.municipality.label,
                "category": r.get_category_display(),
                "availability": r.availability,
                "availability_label": r.get_availability_display(),
                "quantity": f"{r.quantity.normalize():f} {r.unit}",
                "url": reverse("networks:resource-detail", kwargs={"uuid": r.uuid}),
            }
        )
    return points


class ResourceListView(ScopedMixin, View):
    """Find resources across what the user may see, in a table and on a map (the table
    is the keyboard and screen-reader alternative to the map). One count and one page
    query, however many resources there are."""

    model = Resource

    def get(self, request):
        queryset = self.get_queryset().select_related("owner", "municipality")
        filterset = ResourceFilterSet(request.GET or None, queryset=queryset, request=request)
        status = 200
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
            status = 400
        else:
            rows = filterset.qs
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        resources = list(page.object_list)
        viewer = viewer_for(request.user)
        query = request.GET.copy()
        query.pop("page", None)
        response = render_page(
            request,
            "networks/resources/resource_list.html",
            {
                "filter": filterset,
                "page": page,
                "resources": resources,
                "points": map_points(resources),
                "own_org_ids": viewer.org_ids,
                "can_create": request.user.has_perm("networks.add_resource"),
                "query": query.urlencode(),
                "nav_section": "resources",
            },
            partial="results",
        )
        response.status_code = status
        return response


def _resource(request, uuid):
    return get_object_or_404(
        Resource.objects.visible_to(request.user).select_related(
            "owner", "municipality", "municipality__county__office"
        ),
        uuid=uuid,
    )


class ResourceDetailView(ScopedMixin, View):
    model = Resource

    def get(self, request, uuid, share_form=None, status=200):
        resource = _resource(request, uuid)
        can_share = request.user.has_perm("networks.share_resource", resource)
        shares = (
            ResourceShare.objects.visible_to(request.user)
            .filter(resource=resource)
            .select_related("organisation", "network", "office")
            .order_by("created_at", "id")
        )
        agreements = (
            Agreement.objects.visible_to(request.user).filter(resources=resource).order_by("title")
        )
        response = render_page(
            request,
            "networks/resources/resource_detail.html",
            {
                "resource": resource,
                "shares": shares,
                "agreements": agreements,
                "points": map_points([resource]),
                "can_edit": request.user.has_perm("networks.change_resource", resource),
                "can_share": can_share,
                "share_form": share_form
                or (ResourceShareForm(user=request.user, resource=resource) if can_share else None),
                "nav_section": "resources",
            },
            partial="share" if share_form is not None else "content",
        )
        response.status_code = status
        return response


class ResourceEditView(ActionFormView):
    """Create (no ``uuid``) or edit a resource: the owner's writers only."""

    model = Resource
    template_name = "networks/resources/resource_form.html"
    nav_section = "resources"

    def dispatch(self, request, uuid=None):
        if not request.user.is_authenticated:
            return super().dispatch(request)
        self.resource = _resource(request, uuid) if uuid else None
        allowed = (
            request.user.has_perm("networks.change_resource", self.resource)
            if self.resource
            else request.user.has_perm("networks.add_resource")
        )
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request)

    def get_form(self, data=None, files=None):
        return ResourceForm(data, instance=self.resource, user=self.request.user)

    def get_context(self, form):
        return {"resource": self.resource}

    def perform(self, form):
        if self.resource is None:
            return do_create_resource(
                owner=form.cleaned_data["owner"], acting_user=self.request.user, **form.changes()
            )
        return do_update_resource(self.resource, acting_user=self.request.user, **form.changes())

    def get_success_message(self, resource):
        return _("The resource %(name)s is saved.") % {"name": resource.name}

    def get_success_url(self, resource):
        return reverse("networks:resource-detail", kwargs={"uuid": resource.uuid})


class ResourceShareView(ScopedMixin, View):
    """Share a resource with one audience (POST), or stop one share (POST ``unshare``)."""

    model = Resource

    def post(self, request, uuid):
        resource = _resource(request, uuid)
        if not request.user.has_perm("networks.share_resource", resource):
            raise PermissionDenied
        detail = reverse("networks:resource-detail", kwargs={"uuid": resource.uuid})
        if request.POST.get("unshare"):
            share = get_object_or_404(
                ResourceShare.objects.visible_to(request.user).filter(resource=resource),
                pk=request.POST["unshare"] if request.POST["unshare"].isdigit() else 0,
            )
            do_unshare_resource(share, acting_user=request.user)
            messages.success(request, _("The share is removed."))
            return redirect_htmx(request, detail)
        form = ResourceShareForm(request.POST, user=request.user, resource=resource)
        if form.is_valid():
            try:
                share = do_share_resource(resource, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, _("Shared with %(audience)s.") % {"audience": share.audience()}
                )
                return redirect_htmx(request, detail)
        return ResourceDetailView(request=request).get(request, uuid, share_form=form, status=400)


# --- agreements ---------------------------------------------------------------------------


def _agreements(request):
    return Agreement.objects.visible_to(request.user).select_related("owner", "document")


class AgreementListView(ScopedMixin, View):
    """The agreements the user's organisations are party to (and, for officers, those of
    their region), soonest ending first; those ending within 60 days are marked."""

    model = Agreement

    def get(self, request):
        agreements = list(
            _agreements(request)
            .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))
            .order_by("valid_until", "title", "id")
        )
        today = timezone.localdate()
        for agreement in agreements:
            _mark_expiry(agreement, today)
        return render_page(
            request,
            "networks/agreements/agreement_list.html",
            {
                "agreements": agreements,
                "can_create": request.user.has_perm("networks.add_agreement"),
                "nav_section": "resources",
            },
        )


def _mark_expiry(agreement, today):
    end = agreement.valid_until
    agreement.expired = end is not None and end < today
    agreement.expiring = (
        end is not None and not agreement.expired and ((end - today).days <= AGREEMENT_WARNING_DAYS)
    )


class AgreementDetailView(ScopedMixin, View):
    model = Agreement

    def get(self, request, uuid):
        agreement = get_object_or_404(_agreements(request), uuid=uuid)
        _mark_expiry(agreement, timezone.localdate())
        visible_resources = Resource.objects.visible_to(request.user)
        return render_page(
            request,
            "networks/agreements/agreement_detail.html",
            {
                "agreement": agreement,
                "parties": agreement.parties.order_by("name"),
                "resources": visible_resources.filter(agreements=agreement)
                .select_related("owner", "municipality")
                .order_by("owner__name", "name"),
                "document_visible": agreement.document_id is not None
                and Document.objects.visible_to(request.user)
                .filter(pk=agreement.document_id)
                .exists(),
                "can_edit": request.user.has_perm("networks.change_agreement", agreement),
                "nav_section": "resources",
            },
        )


class AgreementEditView(ActionFormView):
    """Register (no ``uuid``) or change an agreement: writers of the registering
    organisation."""

    model = Agreement
    template_name = "networks/agreements/agreement_form.html"
    nav_section = "resources"

    def dispatch(self, request, uuid=None):
        if not request.user.is_authenticated:
            return super().dispatch(request)
        self.agreement = get_object_or_404(_agreements(request), uuid=uuid) if uuid else None
        allowed = (
            request.user.has_perm("networks.change_agreement", self.agreement)
            if self.agreement
            else request.user.has_perm("networks.add_agreement")
        )
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request)

    def get_form(self, data=None, files=None):
        return AgreementForm(data, instance=self.agreement, user=self.request.user)

    def get_context(self, form):
        return {"agreement": self.agreement}

    def perform(self, form):
        data = form.cleaned_data
        links = {"parties": data["parties"], "resources": data["resources"]}
        if self.agreement is None:
            return do_create_agreement(
                owner=data["owner"], acting_user=self.request.user, **links, **form.changes()
            )
        return do_update_agreement(
            self.agreement, acting_user=self.request.user, **links, **form.changes()
        )

    def get_success_message(self, agreement):
        return _("The agreement %(title)s is saved.") % {"title": agreement.title}

    def get_success_url(self, agreement):
        return reverse("networks:agreement-detail", kwargs={"uuid": agreement.uuid})
