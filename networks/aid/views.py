"""Pages for mutual aid: requests for assistance and offers, the State Administrator's
regional overview ("go in line"), joint procurement. Querysets come from
``visible_to`` (ScopedMixin); writes go through ``networks.aid.actions``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from incidents.log.models import Incident
from networks.aid import forms
from networks.aid.actions.offers import (
    do_accept_offer,
    do_decline_offer,
    do_make_offer,
    do_withdraw_offer,
)
from networks.aid.actions.procurement import (
    do_create_procurement,
    do_set_quantity,
    procurement_totals,
)
from networks.aid.actions.requests import (
    do_close_request,
    do_create_request,
    do_redirect_request,
)
from networks.aid.exports import order_basis_xlsx
from networks.aid.filtersets import RequestFilterSet
from networks.aid.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    OfferStatus,
    ProcurementLine,
    RequestPriority,
    RequestStatus,
)
from networks.aid.rules import (
    acting_org_ids,
    may_manage_procurement,
    may_manage_request,
    may_offer,
    may_redirect_request,
    participating_org_ids,
    writer_org_ids,
)
from networks.resources.models import ResourceCategory
from networks.structure.models import Office, Organisation
from portal.access import viewer_for
from portal.search import is_uuid
from portal.web import ActionFormView, ScopedMixin, add_action_errors, render_page

NAV = "aid"


# --- requests --------------------------------------------------------------------------


class RequestListView(ScopedMixin, View):
    """Requests for assistance the user may see: their organisation's own, those sent to
    them, and (officers) every request of their region. Newest first."""

    model = AssistanceRequest

    def get(self, request):
        status = request.GET.get("status", "")
        queryset = (
            self.get_queryset()
            .select_related("requester", "location", "incident")
            .with_quantities()
        )
        filterset = RequestFilterSet(request.GET, queryset=queryset)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        viewer = viewer_for(request.user)
        return render_page(
            request,
            "networks/aid/request_list.html",
            {
                "requests": list(rows[:200]),
                "status": status,
                "statuses": RequestStatus.choices,
                "priority": request.GET.get("priority", ""),
                "priorities": RequestPriority.choices,
                "category": request.GET.get("category", ""),
                "categories": ResourceCategory.choices,
                "own_org_ids": viewer.org_ids,
                "can_request": bool(writer_org_ids(request.user)),
                "is_officer": bool(viewer.officer_office_ids),
                "nav_section": NAV,
            },
            partial="results",
        )


class RequestCreateView(ActionFormView):
    model = AssistanceRequest
    template_name = "networks/aid/request_form.html"
    nav_section = NAV
    success_message = gettext_lazy("The request for assistance was sent.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        if data is not None:
            return forms.RequestForm(data, user=self.request.user)
        initial = {}
        incident = self.request.GET.get("incident")
        if incident:
            initial["incident"] = (
                Incident.objects.editable_by(self.request.user)
                .filter(uuid=incident)
                .values_list("pk", flat=True)
                .first()
                if is_uuid(incident)
                else None
            )
        return forms.RequestForm(user=self.request.user, initial=initial)

    def perform(self, form):
        data = form.cleaned_data
        return do_create_request(
            requester=data["requester"],
            incident=data["incident"],
            acting_user=self.request.user,
            title=data["title"],
            category=data["category"],
            quantity=data["quantity"],
            unit=data["unit"],
            location=data["location"],
            needed_by=data["needed_by"],
            priority=data["priority"],
            description=data["description"],
            organisations=form.recipients(),
            network=data["network"],
            to_office=data["to_office"],
        )

    def get_success_url(self, aid):
        return reverse("networks:aid-request-detail", args=[aid.uuid])


def _get_request(request, uuid):
    return get_object_or_404(
        AssistanceRequest.objects.visible_to(request.user).select_related(
            "requester__region", "location", "incident", "network", "created_by"
        ),
        uuid=uuid,
    )


def render_detail(
    request, aid, *, offer_form=None, redirect_form=None, accept_errors=None, status=200
):
    user = request.user
    offers = list(
        AssistanceOffer.objects.visible_to(user)
        .filter(request=aid)
        .select_related("offerer", "resource", "offerer_incident", "created_by")
    )
    manage = may_manage_request(user, aid)
    acting = acting_org_ids(user)
    for offer in offers:
        offer.may_decide = manage and offer.status == OfferStatus.OFFERED
        offer.may_withdraw = offer.offerer_id in acting and offer.status == OfferStatus.OFFERED
        offer.errors = (accept_errors or {}).get(offer.pk, [])
    is_open = aid.status == RequestStatus.OPEN
    can_offer = is_open and may_offer(user, aid)
    may_redirect = is_open and may_redirect_request(user, aid)
    if can_offer and offer_form is None:
        offer_form = forms.OfferForm(user=user, request=aid)
    if may_redirect and redirect_form is None:
        redirect_form = forms.RedirectForm(request=aid)
    response = render_page(
        request,
        "networks/aid/request_detail.html",
        {
            "aid": aid,
            "recipients": list(aid.organisations.order_by("name")),
            "offers": offers,
            "remaining": aid.quantity - aid.fulfilled_quantity,
            "may_manage": manage and is_open,
            "may_offer": can_offer,
            "may_redirect": may_redirect,
            "offer_form": offer_form if can_offer else None,
            "redirect_form": redirect_form if may_redirect else None,
            "sees_incident": aid.incident.owner_id in viewer_for(user).org_ids,
            "nav_section": NAV,
        },
    )
    response.status_code = status
    return response


class RequestDetailView(ScopedMixin, View):
    model = AssistanceRequest

    def get(self, request, uuid):
        return render_detail(request, _get_request(request, uuid))


class OfferCreateView(ScopedMixin, View):
    model = AssistanceRequest

    def post(self, request, uuid):
        aid = _get_request(request, uuid)
        if not acting_org_ids(request.user) - {aid.requester_id}:
            raise PermissionDenied
        form = forms.OfferForm(request.POST, user=request.user, request=aid)
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_make_offer(
                    aid,
                    offerer=data["offerer"],
                    acting_user=request.user,
                    quantity=data["quantity"],
                    note=data["note"],
                    resource=data["resource"],
                    offerer_incident=data["offerer_incident"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Your offer was sent."))
                return redirect("networks:aid-request-detail", uuid=aid.uuid)
        aid.refresh_from_db()
        if aid.status != RequestStatus.OPEN:
            # Closed in the meantime: say so where the form was.
            messages.error(request, " ".join(form.non_field_errors()))
            return render_detail(request, aid, status=400)
        return render_detail(request, aid, offer_form=form, status=400)


def _get_offer(request, uuid):
    return get_object_or_404(
        AssistanceOffer.objects.visible_to(request.user).select_related("request"), uuid=uuid
    )


class OfferDecisionView(ScopedMixin, View):
    """Accept (whole or part), decline or withdraw an offer (POST)."""

    model = AssistanceOffer
    decision = "accept"

    def post(self, request, uuid):
        offer = _get_offer(request, uuid)
        aid = offer.request
        if self.decision == "withdraw":
            if offer.offerer_id not in acting_org_ids(request.user):
                raise PermissionDenied
        elif not may_manage_request(request.user, aid):
            raise PermissionDenied
        try:
            if self.decision == "accept":
                form = forms.AcceptForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        {"quantity": [e for errs in form.errors.values() for e in errs]}
                    )
                do_accept_offer(
                    offer, acting_user=request.user, quantity=form.cleaned_data["quantity"]
                )
                messages.success(request, _("The offer was accepted."))
            elif self.decision == "decline":
                do_decline_offer(offer, acting_user=request.user)
                messages.success(request, _("The offer was declined."))
            else:
                do_withdraw_offer(offer, acting_user=request.user)
                messages.success(request, _("Your offer was withdrawn."))
        except ValidationError as error:
            return render_detail(
                request,
                _get_request(request, aid.uuid),
                accept_errors={offer.pk: error.messages},
                status=400,
            )
        return redirect("networks:aid-request-detail", uuid=aid.uuid)


class RequestCloseView(ScopedMixin, View):
    model = AssistanceRequest

    def post(self, request, uuid):
        aid = _get_request(request, uuid)
        if not may_manage_request(request.user, aid):
            raise PermissionDenied
        cancel = request.POST.get("cancel") == "1"
        try:
            do_close_request(aid, acting_user=request.user, cancel=cancel)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The request was cancelled.") if cancel else _("The request was closed."),
            )
        return redirect("networks:aid-request-detail", uuid=aid.uuid)


class RequestRedirectView(ScopedMixin, View):
    model = AssistanceRequest

    def post(self, request, uuid):
        aid = _get_request(request, uuid)
        if not may_redirect_request(request.user, aid):
            raise PermissionDenied
        form = forms.RedirectForm(request.POST, request=aid)
        if form.is_valid():
            try:
                do_redirect_request(
                    aid, acting_user=request.user, organisations=form.cleaned_data["organisations"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The request was sent on."))
                return redirect("networks:aid-request-detail", uuid=aid.uuid)
        return render_detail(request, aid, redirect_form=form, status=400)


# --- the regional overview ---------------------------------------------------------------


class RegionalOverviewView(ScopedMixin, View):
    """ "Go in line": every request of the office's region with offered, accepted and
    fulfilled quantities, newest first; the table refreshes itself every few seconds
    (HTMX polling, the ``rows`` partial). For the office's officers."""

    model = AssistanceRequest

    def get(self, request):
        viewer = viewer_for(request.user)
        if not viewer.officer_office_ids:
            raise PermissionDenied
        offices = list(Office.objects.filter(pk__in=viewer.officer_office_ids))
        office = next((o for o in offices if o.slug == request.GET.get("office")), offices[0])
        rows = (
            self.get_queryset()
            .filter(requester__region=office)
            .select_related("requester", "location")
            .with_quantities()
            .prefetch_related(
                Prefetch(
                    "offers",
                    queryset=AssistanceOffer.objects.visible_to(request.user)
                    .select_related("offerer")
                    .order_by("created_at", "id"),
                    to_attr="visible_offers",
                )
            )
            .order_by("-created_at", "-id")
        )
        status = request.GET.get("status", "")
        if status in RequestStatus.values:
            rows = rows.filter(status=status)
        requests = list(rows[:300])
        return render_page(
            request,
            "networks/aid/overview.html",
            {
                "office": office,
                "offices": offices,
                "requests": requests,
                "open_count": sum(1 for r in requests if r.status == RequestStatus.OPEN),
                "status": status,
                "statuses": RequestStatus.choices,
                "nav_section": NAV,
            },
            partial="rows",
        )


# --- joint procurement ---------------------------------------------------------------------


class ProcurementListView(ScopedMixin, View):
    model = JointProcurement

    def get(self, request):
        rows = (
            self.get_queryset()
            .select_related("lead")
            .annotate(item_count=Count("items", distinct=True))
            .annotate(
                participant_count=Count(
                    "items__lines__organisation",
                    distinct=True,
                    filter=Q(items__lines__quantity__gt=0),
                )
            )
        )
        return render_page(
            request,
            "networks/aid/procurement_list.html",
            {
                "procurements": list(rows[:200]),
                "can_lead": bool(writer_org_ids(request.user)),
                "nav_section": NAV,
            },
        )


class ProcurementCreateView(ActionFormView):
    model = JointProcurement
    template_name = "networks/aid/procurement_form.html"
    nav_section = NAV
    success_message = gettext_lazy("The joint procurement was opened.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return forms.ProcurementForm(data, user=self.request.user)

    def perform(self, form):
        data = form.cleaned_data
        return do_create_procurement(
            lead=data["lead"],
            acting_user=self.request.user,
            title=data["title"],
            description=data["description"],
            deadline=data["deadline"],
            items=data["items"],
            network=data["network"],
            organisations=form.recipients(),
        )

    def get_success_url(self, procurement):
        return reverse("networks:procurement-detail", args=[procurement.uuid])


def _get_procurement(request, uuid):
    return get_object_or_404(
        JointProcurement.objects.visible_to(request.user).select_related("lead", "network"),
        uuid=uuid,
    )


def render_procurement(request, procurement, *, forms_by_org=None, status=200):
    totals = procurement_totals(procurement)
    mine = participating_org_ids(request.user, procurement)
    is_open = procurement.closed_at is None and procurement.deadline > timezone.now()
    quantity_forms = []
    if is_open and mine:
        own_lines = {}
        for line in ProcurementLine.objects.filter(
            item__procurement=procurement, organisation_id__in=mine
        ):
            own_lines.setdefault(line.organisation_id, {})[line.item_id] = line.quantity
        for organisation in Organisation.objects.filter(pk__in=mine).order_by("name"):
            form = (forms_by_org or {}).get(organisation.pk) or forms.QuantitiesForm(
                items=totals["items"],
                lines=own_lines.get(organisation.pk, {}),
                prefix=f"org{organisation.pk}",
            )
            quantity_forms.append((organisation, form))
    response = render_page(
        request,
        "networks/aid/procurement_detail.html",
        {
            "procurement": procurement,
            "totals": totals,
            "is_open": is_open,
            "quantity_forms": quantity_forms,
            "may_export": may_manage_procurement(request.user, procurement),
            "invited": list(procurement.organisations.order_by("name")),
            "nav_section": NAV,
        },
    )
    response.status_code = status
    return response


class ProcurementDetailView(ScopedMixin, View):
    model = JointProcurement

    def get(self, request, uuid):
        return render_procurement(request, _get_procurement(request, uuid))


class ProcurementQuantitiesView(ScopedMixin, View):
    """A participant saves its quantities (one form per organisation it writes for)."""

    model = JointProcurement

    def post(self, request, uuid):
        procurement = _get_procurement(request, uuid)
        mine = participating_org_ids(request.user, procurement)
        if not mine:
            raise PermissionDenied
        chosen = request.POST.get("organisation") or (next(iter(mine)) if len(mine) == 1 else "")
        try:
            organisation = Organisation.objects.get(pk=int(chosen), pk__in=mine)
        except (ValueError, Organisation.DoesNotExist):
            raise Http404 from None
        items = list(procurement.items.all())
        form = forms.QuantitiesForm(
            request.POST, items=items, lines={}, prefix=f"org{organisation.pk}"
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    for item, quantity in form.quantities():
                        try:
                            do_set_quantity(
                                item,
                                organisation=organisation,
                                acting_user=request.user,
                                quantity=quantity,
                            )
                        except ValidationError as error:
                            if hasattr(error, "error_dict"):
                                form.add_error(f"item-{item.pk}", error.message_dict["quantity"])
                            else:
                                form.add_error(None, error)
                    if form.errors:
                        raise ValidationError("")
            except ValidationError:
                pass
            else:
                messages.success(request, _("Your quantities were saved."))
                return redirect("networks:procurement-detail", uuid=procurement.uuid)
        return render_procurement(
            request, procurement, forms_by_org={organisation.pk: form}, status=400
        )


class ProcurementExportView(ScopedMixin, View):
    """The order basis as XLSX (the lead)."""

    model = JointProcurement

    def get(self, request, uuid):
        procurement = _get_procurement(request, uuid)
        if not may_manage_procurement(request.user, procurement):
            raise PermissionDenied
        content, filename = order_basis_xlsx(procurement)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
