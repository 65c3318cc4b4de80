from django.db import models
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portal.access import NOTHING, viewer_for


class AssistanceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A request for assistance is seen by the requester, by those it was sent to
        (named organisations, the network's current members, the office when sent to it),
        by organisations that made an offer, and — "go in line" — always by the officers
        of the requester's region and by those of any offerer's region."""
        from networks.aid.models import AssistanceOffer, AssistanceRequest  # models imports us

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        named = AssistanceRequest.organisations.through.objects.filter(
            assistancerequest_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        offered = AssistanceOffer.objects.filter(
            request_id=OuterRef("pk"), offerer_id__in=viewer.org_ids
        )
        q = (
            Q(requester_id__in=viewer.org_ids)
            | Q(network_id__in=viewer.network_ids)
            | Exists(named)
            | Exists(offered)
        )
        if viewer.officer_office_ids:
            # Go in line on both sides: an office sees its region's requests, and the
            # requests its region's organisations offered to (it sees those offers).
            q |= Q(requester__region_id__in=viewer.officer_office_ids) | Exists(
                AssistanceOffer.objects.filter(
                    request_id=OuterRef("pk"), offerer__region_id__in=viewer.officer_office_ids
                )
            )
        return self.filter(q)

    def open(self):
        return self.filter(status="open")

    def with_quantities(self):
        """Offered (standing or accepted) and accepted quantities and the number of
        offers, as subqueries: one query however many requests and offers."""
        from networks.aid.models import AssistanceOffer, OfferStatus  # models imports us

        zero = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
        offers = (
            AssistanceOffer.objects.filter(request_id=OuterRef("pk"))
            .order_by()
            .values("request_id")
        )
        offered = offers.filter(status__in=[OfferStatus.OFFERED, OfferStatus.ACCEPTED]).annotate(
            t=Sum("quantity")
        )
        accepted = offers.filter(status=OfferStatus.ACCEPTED).annotate(t=Sum("accepted_quantity"))
        count = offers.annotate(n=Count("pk"))
        return self.annotate(
            offered=Coalesce(Subquery(offered.values("t")), zero),
            accepted=Coalesce(Subquery(accepted.values("t")), zero),
            offer_count=Coalesce(Subquery(count.values("n")), 0),
        )


class AssistanceOfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An offer is seen by the offerer, the requester, and the officers of either's
        region."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        q = Q(offerer_id__in=viewer.org_ids) | Q(request__requester_id__in=viewer.org_ids)
        if viewer.officer_office_ids:
            q |= Q(request__requester__region_id__in=viewer.officer_office_ids) | Q(
                offerer__region_id__in=viewer.officer_office_ids
            )
        return self.filter(q)


class JointProcurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A joint procurement is seen by the lead, the invited organisations, the
        network's current members and the officers of the lead's region."""
        from networks.aid.models import JointProcurement  # models imports us

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        invited = JointProcurement.organisations.through.objects.filter(
            jointprocurement_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        q = Q(lead_id__in=viewer.org_ids) | Q(network_id__in=viewer.network_ids) | Exists(invited)
        if viewer.officer_office_ids:
            q |= Q(lead__region_id__in=viewer.officer_office_ids)
        return self.filter(q)
