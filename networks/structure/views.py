"""Directory pages (offices → counties → municipalities, networks, councils, the map) and
the private pages of an organisation (crisis contact roster, people and roles)."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from networks.structure import actions
from networks.structure.filtersets import MunicipalityFilterSet
from networks.structure.forms import (
    ContactEntryForm,
    CouncilMemberForm,
    EndCouncilSeatForm,
    EndMembershipForm,
    NeighbourAddForm,
    NeighbourRemoveForm,
    NetworkMemberForm,
)
from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    CouncilStatus,
    County,
    Municipality,
    NeighbourLink,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)
from networks.structure.neighbours import WATER_DISTANCE_M
from portal.models import RoleAssignment, User
from portal.roles import AGENCY_KINDS
from portal.views import PageMixin
from portal.web import ScopedMixin, add_action_errors, redirect_htmx, render_page


def scoped(model, user):
    return model.objects.visible_to(user)


class OfficeListView(ScopedMixin, View):
    model = Office

    def get(self, request):
        offices = (
            self.get_queryset()
            .select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "counties",
                    queryset=scoped(County, request.user)
                    .order_by("number")
                    .annotate(municipality_count=Count("municipalities")),
                )
            )
            .annotate(
                municipality_count=Count("counties__municipalities", distinct=True),
            )
        )
        return render_page(request, "networks/office_list.html", {"offices": offices})


class OfficeDetailView(ScopedMixin, View):
    model = Office

    def get(self, request, slug):
        office = get_object_or_404(self.get_queryset().select_related("organisation"), slug=slug)
        counties = (
            scoped(County, request.user)
            .filter(office=office)
            .order_by("number")
            .prefetch_related(
                Prefetch(
                    "municipalities",
                    queryset=scoped(Municipality, request.user).order_by("label"),
                )
            )
        )
        agencies = (
            scoped(Organisation, request.user)
            .filter(region=office, kind__in=AGENCY_KINDS)
            .order_by("kind", "name")
        )
        return render_page(
            request,
            "networks/office_detail.html",
            {"office": office, "counties": counties, "agencies": agencies},
        )


class CountyDetailView(ScopedMixin, View):
    model = County

    def get(self, request, number):
        county = get_object_or_404(self.get_queryset().select_related("office"), number=number)
        municipalities = scoped(Municipality, request.user).filter(county=county).order_by("label")
        return render_page(
            request,
            "networks/county_detail.html",
            {"county": county, "municipalities": municipalities},
        )


class MunicipalityListView(ScopedMixin, View):
    """Filterable list; filters push their URL and the table is swapped by HTMX."""

    model = Municipality
    paginate_by = 50

    def get(self, request):
        queryset = self.get_queryset().select_related("county", "county__office")
        filterset = MunicipalityFilterSet(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        if "ordering" not in request.GET:
            rows = rows.order_by("label")
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        ordering = (request.GET.get("ordering") or "name").split(",")[0]
        return render_page(
            request,
            "networks/municipality_list.html",
            {
                "filter": filterset,
                "page": page,
                "page_range": page.paginator.get_elided_page_range(
                    page.number, on_each_side=2, on_ends=1
                ),
                "query": query.urlencode(),
                "ordering": ordering,
                "columns": self.columns(query, ordering),
                # Lazy: only the full page (the filter form) evaluates it.
                "counties": scoped(County, request.user).order_by("number"),
            },
            partial="results",
        )

    #: Sortable columns: (ordering key of MunicipalityFilterSet, heading, numeric).
    COLUMNS = (
        ("number", gettext_lazy("Number"), False),
        ("name", gettext_lazy("Municipality"), False),
        ("county", gettext_lazy("County"), False),
        (None, gettext_lazy("State Administrator"), False),
        ("population", gettext_lazy("Population"), True),
    )

    def columns(self, query, ordering):
        """Table headings with the link that sorts by them (ascending first, then
        descending) and their ``aria-sort`` state."""
        base = query.copy()
        base.pop("ordering", None)
        headings = []
        for key, label, numeric in self.COLUMNS:
            heading = {"label": label, "numeric": numeric, "key": key}
            if key:
                current = ordering.removeprefix("-") == key
                descending = current and ordering.startswith("-")
                heading["aria_sort"] = (
                    ("descending" if descending else "ascending") if current else "none"
                )
                link = base.copy()
                link["ordering"] = key if descending or not current else f"-{key}"
                heading["url"] = "?" + link.urlencode()
            headings.append(heading)
        return headings


class MunicipalityDetailView(ScopedMixin, View):
    model = Municipality

    def get(self, request, number):
        municipality = get_object_or_404(
            self.get_queryset().select_related("county", "county__office", "organisation"),
            number=number,
        )
        org = municipality.organisation
        memberships = (
            scoped(NetworkMembership, request.user)
            .filter(organisation=org)
            .select_related("network")
            .order_by("network__name", "joined_on")
        )
        council_seat = (
            scoped(CouncilMembership, request.user)
            .filter(
                organisation=org, council__office=municipality.county.office, until__isnull=True
            )
            .first()
        )
        neighbours = municipality.neighbours.order_by("label").only("number", "label")
        can_see_roster = (
            Organisation.objects.with_roster_visible_to(request.user).filter(pk=org.pk).exists()
        )
        return render_page(
            request,
            "networks/municipality_detail.html",
            {
                "municipality": municipality,
                "office": municipality.county.office,
                "memberships": memberships,
                "council_seat": council_seat,
                "neighbours": neighbours,
                "can_see_roster": can_see_roster,
            },
        )


class NetworkListView(ScopedMixin, View):
    model = Network

    def get(self, request):
        networks = (
            self.get_queryset()
            .select_related("owner")
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
            )
        )
        return render_page(request, "networks/network_list.html", {"networks": networks})


class NetworkDetailView(ScopedMixin, View):
    model = Network

    def get(self, request, slug, form=None):
        network = get_object_or_404(self.get_queryset().select_related("owner"), slug=slug)
        memberships = list(
            scoped(NetworkMembership, request.user)
            .filter(network=network)
            .select_related("organisation", "organisation__municipality")
            .order_by("left_on", "organisation__name")
        )
        can_edit = request.user.has_perm("networks.edit_network_members", network)
        return render_page(
            request,
            "networks/network_detail.html",
            {
                "network": network,
                "current": [m for m in memberships if m.left_on is None],
                "former": [m for m in memberships if m.left_on is not None],
                "can_edit": can_edit,
                "form": form
                or (NetworkMemberForm(network=network, user=request.user) if can_edit else None),
            },
        )


class NetworkMemberAddView(ScopedMixin, View):
    model = Network

    def post(self, request, slug):
        network = get_object_or_404(self.get_queryset(), slug=slug)
        if not request.user.has_perm("networks.edit_network_members", network):
            raise PermissionDenied
        form = NetworkMemberForm(request.POST, network=network, user=request.user)
        if form.is_valid():
            try:
                membership = actions.do_add_network_member(
                    network,
                    form.cleaned_data["organisation"],
                    joined_on=form.cleaned_data["joined_on"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(org)s is now a member of %(network)s.")
                    % {"org": membership.organisation, "network": network},
                )
                return redirect("networks:network-detail", slug=network.slug)
        return _render_network_with_form(request, network, form)


def _render_network_with_form(request, network, form):
    view = NetworkDetailView()
    view.request = request
    response = view.get(request, network.slug, form=form)
    response.status_code = 400
    return response


class NetworkMemberEndView(ScopedMixin, View):
    model = NetworkMembership

    def post(self, request, slug, uuid):
        membership = get_object_or_404(
            self.get_queryset().select_related("network", "organisation"),
            network__slug=slug,
            uuid=uuid,
        )
        if not request.user.has_perm("networks.edit_network_members", membership.network):
            raise PermissionDenied
        form = EndMembershipForm(request.POST)
        if form.is_valid():
            try:
                actions.do_end_network_membership(
                    membership, left_on=form.cleaned_data["left_on"], acting_user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("The membership of %(org)s has ended.") % {"org": membership.organisation},
                )
        else:
            messages.error(request, _("Give the date the membership ended."))
        return redirect("networks:network-detail", slug=slug)


class CouncilListView(ScopedMixin, View):
    """The national overview of the ten county preparedness councils, and which big
    cities (the members of SNB and KS Storbynettverk) sit where, with their status (the
    report's recommendation 5). Three queries however many seats there are."""

    model = Council

    def get(self, request):
        current = Q(memberships__until__isnull=True)
        councils = list(
            self.get_queryset()
            .select_related("office")
            .annotate(
                member_count=Count("memberships", filter=current & Q(memberships__status="member")),
                invited_count=Count(
                    "memberships", filter=current & Q(memberships__status="invited")
                ),
                observer_count=Count(
                    "memberships", filter=current & Q(memberships__status="observer")
                ),
            )
            .order_by("office__name_bokmaal")
        )
        return render_page(
            request,
            "networks/council_list.html",
            {"councils": councils, "big_cities": big_city_seats(request.user)},
        )


#: The big-city networks whose members the overview shows (networks.json).
BIG_CITY_NETWORKS = ("snb", "ks-storbynettverk")


def big_city_seats(user):
    """Each big city (a current member of SNB or KS Storbynettverk) with its own office's
    council and its current seat there, if any. Two queries."""
    cities = list(
        scoped(Municipality, user)
        .filter(
            organisation__network_memberships__network__slug__in=BIG_CITY_NETWORKS,
            organisation__network_memberships__left_on__isnull=True,
        )
        .distinct()
        .select_related("county__office__council")
        .annotate(
            in_snb=Count(
                "organisation__network_memberships",
                filter=Q(
                    organisation__network_memberships__network__slug="snb",
                    organisation__network_memberships__left_on__isnull=True,
                ),
            )
        )
        .order_by("-population")
    )
    seats = {
        seat.organisation_id: seat
        for seat in scoped(CouncilMembership, user)
        .current()
        .filter(organisation__in=[c.organisation_id for c in cities])
        .select_related("council")
    }
    rows = []
    for city in cities:
        council = getattr(city.county.office, "council", None)
        seat = seats.get(city.organisation_id)
        rows.append(
            {
                "city": city,
                "council": council,
                "seat": seat if seat and council and seat.council_id == council.pk else None,
                "in_snb": city.in_snb > 0,
            }
        )
    return rows


class CouncilDetailView(ScopedMixin, View):
    """A council's seats, current and former, and the history of its changes (who did
    what when, from pghistory). The chairing office's officers add and end seats here."""

    model = Council

    def get(self, request, slug, add_form=None, status=200):
        council = get_object_or_404(self.get_queryset().select_related("office"), office__slug=slug)
        seats = list(
            scoped(CouncilMembership, request.user)
            .filter(council=council)
            .select_related("organisation", "organisation__municipality")
            .order_by("until", "status", "organisation__name")
        )
        can_edit = request.user.has_perm("networks.edit_council", council)
        if can_edit and add_form is None:
            add_form = CouncilMemberForm(council=council, user=request.user)
        response = render_page(
            request,
            "networks/council_detail.html",
            {
                "council": council,
                "current": [s for s in seats if s.until is None],
                "former": [s for s in seats if s.until is not None],
                "can_edit": can_edit,
                "form": add_form if can_edit else None,
                "end_form": EndCouncilSeatForm() if can_edit else None,
                "history": council_history(council),
            },
        )
        response.status_code = status
        return response


def council_history(council, limit=50):
    """The latest changes to the council's seats: what changed, by whom, when."""
    Event = CouncilMembership.pgh_event_model
    events = list(
        Event.objects.filter(council=council)
        .select_related("organisation", "pgh_context")
        .order_by("-pgh_id")[:limit]
    )
    user_ids = {(e.pgh_context.metadata or {}).get("user") for e in events if e.pgh_context_id} - {
        None
    }
    names = {
        u.pk: u.get_full_name() or u.email
        for u in User.objects.filter(pk__in=[i for i in user_ids if isinstance(i, int)])
    }
    rows = []
    for event in events:
        metadata = (event.pgh_context.metadata or {}) if event.pgh_context_id else {}
        rows.append(
            {
                "at": event.pgh_created_at,
                "organisation": event.organisation,
                "status": CouncilStatus(event.status).label,
                "since": event.since,
                "until": event.until,
                "kind": event.pgh_label,
                "by": names.get(metadata.get("user")) or metadata.get("command") or "",
            }
        )
    return rows


class CouncilMemberAddView(ScopedMixin, View):
    model = Council

    def post(self, request, slug):
        council = get_object_or_404(self.get_queryset().select_related("office"), office__slug=slug)
        if not request.user.has_perm("networks.edit_council", council):
            raise PermissionDenied
        form = CouncilMemberForm(request.POST, council=council, user=request.user)
        if form.is_valid():
            try:
                seat = actions.do_add_council_member(
                    council,
                    form.cleaned_data["organisation"],
                    status=form.cleaned_data["status"],
                    since=form.cleaned_data["since"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(org)s now has a seat in the council (%(status)s).")
                    % {"org": seat.organisation, "status": seat.get_status_display().lower()},
                )
                return redirect_htmx(
                    request, reverse("networks:council-detail", kwargs={"slug": slug})
                )
        view = CouncilDetailView()
        view.request = request
        return view.get(request, slug, add_form=form, status=400)


class CouncilMemberEndView(ScopedMixin, View):
    model = CouncilMembership

    def post(self, request, slug, uuid):
        seat = get_object_or_404(
            self.get_queryset().select_related("council__office", "organisation"),
            council__office__slug=slug,
            uuid=uuid,
        )
        if not request.user.has_perm("networks.edit_council", seat.council):
            raise PermissionDenied
        form = EndCouncilSeatForm(request.POST)
        if form.is_valid():
            try:
                actions.do_end_council_membership(
                    seat, until=form.cleaned_data["until"], acting_user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("The seat of %(org)s has ended.") % {"org": seat.organisation}
                )
        else:
            messages.error(request, _("Give the date the seat ended."))
        return redirect_htmx(request, reverse("networks:council-detail", kwargs={"slug": slug}))


# --- neighbours --------------------------------------------------------------------------


class OfficeNeighboursView(ScopedMixin, View):
    """The neighbour pairs of an office's region (at least one municipality in it), each
    with how it was found, the pairs removed and why; the office's officers add and
    remove pairs here. Four queries however many pairs."""

    model = NeighbourLink

    def get(self, request, slug, add_form=None, status=200):
        office = get_object_or_404(scoped(Office, request.user), slug=slug)
        links = list(
            self.get_queryset()
            .of_region(office)
            .select_related("first__county", "second__county")
            .order_by("removed_at", "first__label", "second__label")
        )
        can_edit = request.user.has_perm("networks.edit_neighbours", office)
        if can_edit and add_form is None:
            add_form = NeighbourAddForm(office=office, user=request.user)
        in_region = [m for m in scoped(Municipality, request.user).filter(county__office=office)]
        current = [link for link in links if link.removed_at is None]
        paired = {link.first_id for link in current} | {link.second_id for link in current}
        response = render_page(
            request,
            "networks/neighbour_list.html",
            {
                "office": office,
                "current": current,
                "removed": [link for link in links if link.removed_at is not None],
                "without": [m for m in in_region if m.pk not in paired],
                "bases": sorted(Counter(link.get_basis_display() for link in current).items()),
                "can_edit": can_edit,
                "form": add_form if can_edit else None,
                "remove_form": NeighbourRemoveForm() if can_edit else None,
                "distance": WATER_DISTANCE_M,
            },
        )
        response.status_code = status
        return response


class NeighbourAddView(ScopedMixin, View):
    model = Office

    def post(self, request, slug):
        office = get_object_or_404(self.get_queryset(), slug=slug)
        if not request.user.has_perm("networks.edit_neighbours", office):
            raise PermissionDenied
        form = NeighbourAddForm(request.POST, office=office, user=request.user)
        if form.is_valid():
            try:
                link = actions.do_add_neighbour_link(
                    form.cleaned_data["first"],
                    form.cleaned_data["second"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(a)s and %(b)s are now neighbours.") % {"a": link.first, "b": link.second},
                )
                return redirect_htmx(
                    request, reverse("networks:office-neighbours", kwargs={"slug": slug})
                )
        view = OfficeNeighboursView()
        view.request = request
        return view.get(request, slug, add_form=form, status=400)


class NeighbourRemoveView(ScopedMixin, View):
    model = NeighbourLink

    def post(self, request, slug, uuid):
        office = get_object_or_404(scoped(Office, request.user), slug=slug)
        link = get_object_or_404(
            self.get_queryset()
            .of_region(office)
            .current()
            .select_related("first__county", "second__county"),
            uuid=uuid,
        )
        if not request.user.has_perm("networks.remove_neighbour_link", link) or not (
            request.user.has_perm("networks.edit_neighbours", office)
        ):
            raise PermissionDenied
        form = NeighbourRemoveForm(request.POST)
        if form.is_valid():
            try:
                actions.do_remove_neighbour_link(
                    link, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("%(a)s and %(b)s are no longer neighbours.")
                    % {"a": link.first, "b": link.second},
                )
        else:
            messages.error(request, _("Give the reason for the change."))
        return redirect_htmx(request, reverse("networks:office-neighbours", kwargs={"slug": slug}))


class MapView(ScopedMixin, PageMixin, TemplateView):
    """The municipalities coloured by State Administrator office; beside the map, the same
    information as lists of links for keyboard and screen-reader users."""

    model = Office
    template_name = "networks/map.html"

    def get_context_data(self, **kwargs):
        offices = list(self.get_queryset().order_by("name_bokmaal").values("slug", "name_bokmaal"))
        by_office = {office["slug"]: [] for office in offices}
        for row in (
            scoped(Municipality, self.request.user)
            .order_by("label")
            .values("number", "label", "county__office__slug")
        ):
            by_office.setdefault(row["county__office__slug"], []).append(row)
        for office in offices:
            office["municipalities"] = by_office.get(office["slug"], [])
        return super().get_context_data(offices=offices, **kwargs)


# --- An organisation's private pages ---------------------------------------------------


class RosterMixin(ScopedMixin):
    """The organisation is looked up among those whose roster the user may see: others
    get 404."""

    model = ContactEntry

    def get_organisation(self, org_uuid):
        return get_object_or_404(
            Organisation.objects.with_roster_visible_to(self.request.user).select_related("region"),
            uuid=org_uuid,
        )


class RosterView(RosterMixin, View):
    def get(self, request, org_uuid):
        organisation = self.get_organisation(org_uuid)
        contacts = self.get_queryset().filter(organisation=organisation)
        return render_page(
            request,
            "networks/roster.html",
            {
                "organisation": organisation,
                "contacts": contacts,
                "can_edit": request.user.has_perm("networks.edit_roster", organisation),
            },
        )


class RosterEditView(RosterMixin, View):
    """Create (no ``uuid``) or edit a roster line. Emergency managers only."""

    def dispatch(self, request, org_uuid, uuid=None):
        self.organisation = self.get_organisation(org_uuid)
        self.contact = (
            get_object_or_404(self.get_queryset(), organisation=self.organisation, uuid=uuid)
            if uuid
            else ContactEntry(organisation=self.organisation)
        )
        if not request.user.has_perm("networks.edit_roster", self.organisation):
            raise PermissionDenied
        return super().dispatch(request, org_uuid, uuid)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "networks/roster_form.html",
            {
                "organisation": self.organisation,
                "form": form,
                "contact": self.contact,
            },
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request, org_uuid, uuid=None):
        return self.render_form(ContactEntryForm(instance=self.contact))

    def post(self, request, org_uuid, uuid=None):
        form = ContactEntryForm(request.POST, instance=self.contact)
        if not form.is_valid():
            return self.render_form(form, status=400)
        actions.do_save_contact(form.instance, acting_user=request.user)
        messages.success(request, _("The contact list has been saved."))
        url = reverse("networks:roster", kwargs={"org_uuid": self.organisation.uuid})
        # The form posts by HTMX and swaps itself; on success the whole page moves on.
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class RosterDeleteView(RosterMixin, View):
    def post(self, request, org_uuid, uuid):
        organisation = self.get_organisation(org_uuid)
        contact = get_object_or_404(self.get_queryset(), organisation=organisation, uuid=uuid)
        if not request.user.has_perm("networks.edit_roster", organisation):
            raise PermissionDenied
        actions.do_delete_contact(contact, acting_user=request.user)
        messages.success(
            request, _("%(contact)s was removed from the contact list.") % {"contact": contact}
        )
        return redirect("networks:roster", org_uuid=organisation.uuid)


class PeopleView(ScopedMixin, View):
    """The people and roles of an organisation: visible only inside it."""

    model = RoleAssignment

    def get(self, request, org_uuid):
        organisation = get_object_or_404(
            Organisation.objects.with_people_visible_to(request.user), uuid=org_uuid
        )
        assignments = (
            self.get_queryset()
            .filter(organisation=organisation)
            .select_related("user", "network")
            .order_by("user__last_name", "user__first_name")
        )
        return render_page(
            request,
            "networks/people.html",
            {"organisation": organisation, "assignments": assignments},
        )
