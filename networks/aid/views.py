"""Pages for mutual aid: requests for assistance and offers, the State Administrator's
regional overview ("go in line"), joint procurement. Querysets come from
``visible_to`` (ScopedMixin); writes go through ``networks.aid.actions``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters import rest_framework as filters

from networks.aid import actions, forms
from networks.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    OfferStatus,
    Office,
    Organisation,
    ProcurementLine,
    RequestPriority,
    RequestStatus,
    ResourceCategory,
)
from portal.access import viewer_for
from portal.search import is_uuid
from portal.web import ScopedMixin, add_action_errors, render_page

NAV = "aid"
ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


def with_quantities(requests):
    """Offered (standing or accepted) and accepted quantities and the number of offers,
    as subqueries: one query however many requests and offers."""
    offers = (
        AssistanceOffer.objects.filter(request_id=OuterRef("pk")).order_by().values("request_id")
    )
    offered = offers.filter(status__in=[OfferStatus.OFFERED, OfferStatus.ACCEPTED]).annotate(
        t=Sum("quantity")
    )
    accepted = offers.filter(status=OfferStatus.ACCEPTED).annotate(t=Sum("accepted_quantity"))
    count = offers.annotate(n=Count("pk"))
    return requests.annotate(
        offered=Coalesce(Subquery(offered.values("t")), ZERO),
        accepted=Coalesce(Subquery(accepted.values("t")), ZERO),
        offer_count=Coalesce(Subquery(count.values("n")), 0),
    )


class RequestFilterSet(filters.FilterSet):
    """One filter for the request list page and the API."""

    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    priority = filters.ChoiceFilter(choices=RequestPriority.choices)
    category = filters.ChoiceFilter(choices=ResourceCategory.choices)
    region = filters.CharFilter(field_name="requester__region__slug", help_text="Office slug")
    requester = filters.UUIDFilter(field_name="requester__uuid")
    incident = filters.UUIDFilter(field_name="incident__uuid")

    class Meta:
        model = AssistanceRequest
        fields = ["status", "priority", "category", "region", "requester", "incident"]


def _redirect(request, url):
    from django_htmx.http import HttpResponseClientRedirect

    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)


# --- requests --------------------------------------------------------------------------


class RequestListView(ScopedMixin, View):
    """Requests for assistance the user may see: their organisation's own, those sent to
    them, and (officers) every request of their region. Newest first."""

    model = AssistanceRequest

    def get(self, request):
        status = request.GET.get("status", "")
        queryset = with_quantities(
            self.get_queryset().select_related("requester", "location", "incident")
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
                "can_request": bool(actions.writer_org_ids(request.user)),
                "is_officer": bool(viewer.officer_office_ids),
                "nav_section": NAV,
            },
            partial="results",
        )


class RequestCreateView(ScopedMixin, View):
    model = AssistanceRequest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not actions.writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "networks/aid/request_form.html",
            {"form": form, "nav_section": NAV},
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request):
        initial = {}
        incident = request.GET.get("incident")
        if incident:
            initial["incident"] = (
                forms.Incident.objects.editable_by(request.user)
                .filter(uuid=incident)
                .values_list("pk", flat=True)
                .first()
                if is_uuid(incident)
                else None
            )
        return self.render_form(forms.RequestForm(user=request.user, initial=initial))

    def post(self, request):
        form = forms.RequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                aid = actions.do_create_request(
                    requester=data["requester"],
                    incident=data["incident"],
                    acting_user=request.user,
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
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The request for assistance was sent."))
                return _redirect(request, reverse("networks:aid-request-detail", args=[aid.uuid]))
        return self.render_form(form, status=400)


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
    manage = actions.may_manage_request(user, aid)
    acting = actions.acting_org_ids(user)
    for offer in offers:
        offer.may_decide = manage and offer.status == OfferStatus.OFFERED
        offer.may_withdraw = offer.offerer_id in acting and offer.status == OfferStatus.OFFERED
        offer.errors = (accept_errors or {}).get(offer.pk, [])
    is_open = aid.status == RequestStatus.OPEN
    may_offer = is_open and actions.may_offer(user, aid)
    may_redirect = is_open and actions.may_redirect_request(user, aid)
    if may_offer and offer_form is None:
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
            "may_offer": may_offer,
            "may_redirect": may_redirect,
            "offer_form": offer_form if may_offer else None,
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
        if not actions.acting_org_ids(request.user) - {aid.requester_id}:
            raise PermissionDenied
        form = forms.OfferForm(request.POST, user=request.user, request=aid)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_make_offer(
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
            if offer.offerer_id not in actions.acting_org_ids(request.user):
                raise PermissionDenied
        elif not actions.may_manage_request(request.user, aid):
            raise PermissionDenied
        try:
            if self.decision == "accept":
                form = forms.AcceptForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        {"quantity": [e for errs in form.errors.values() for e in errs]}
                    )
                actions.do_accept_offer(
                    offer, acting_user=request.user, quantity=form.cleaned_data["quantity"]
                )
                messages.success(request, _("The offer was accepted."))
            elif self.decision == "decline":
                actions.do_decline_offer(offer, acting_user=request.user)
                messages.success(request, _("The offer was declined."))
            else:
                actions.do_withdraw_offer(offer, acting_user=request.user)
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
        if not actions.may_manage_request(request.user, aid):
            raise PermissionDenied
        cancel = request.POST.get("cancel") == "1"
        try:
            actions.do_close_request(aid, acting_user=request.user, cancel=cancel)
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
        if not actions.may_redirect_request(request.user, aid):
            raise PermissionDenied
        form = forms.RedirectForm(request.POST, request=aid)
        if form.is_valid():
            try:
                actions.do_redirect_request(
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
            with_quantities(
                self.get_queryset()
                .filter(requester__region=office)
                .select_related("requester", "location")
            )
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
                "can_lead": bool(actions.writer_org_ids(request.user)),
                "nav_section": NAV,
            },
        )


class ProcurementCreateView(ScopedMixin, View):
    model = JointProcurement

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not actions.writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "networks/aid/procurement_form.html",
            {"form": form, "nav_section": NAV},
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request):
        return self.render_form(forms.ProcurementForm(user=request.user))

    def post(self, request):
        form = forms.ProcurementForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                procurement = actions.do_create_procurement(
                    lead=data["lead"],
                    acting_user=request.user,
                    title=data["title"],
                    description=data["description"],
                    deadline=data["deadline"],
                    items=data["items"],
                    network=data["network"],
                    organisations=form.recipients(),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The joint procurement was opened."))
                return _redirect(
                    request, reverse("networks:procurement-detail", args=[procurement.uuid])
                )
        return self.render_form(form, status=400)


def _get_procurement(request, uuid):
    return get_object_or_404(
        JointProcurement.objects.visible_to(request.user).select_related("lead", "network"),
        uuid=uuid,
    )


def render_procurement(request, procurement, *, forms_by_org=None, status=200):
    from django.utils import timezone

    totals = actions.procurement_totals(procurement)
    mine = actions.participating_org_ids(request.user, procurement)
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
            "may_export": actions.may_manage_procurement(request.user, procurement),
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
        mine = actions.participating_org_ids(request.user, procurement)
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
                from django.db import transaction

                with transaction.atomic():
                    for item, quantity in form.quantities():
                        try:
                            actions.do_set_quantity(
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
        from networks.aid.exports import order_basis_xlsx

        procurement = _get_procurement(request, uuid)
        if not actions.may_manage_procurement(request.user, procurement):
            raise PermissionDenied
        content, filename = order_basis_xlsx(procurement)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
