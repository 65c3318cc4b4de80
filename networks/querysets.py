from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, owner_visible_q, shared_visible_q, viewer_for


class DirectoryQuerySet(models.QuerySet):
    """Reference data (the structure of Norwegian preparedness) is open to every
    signed-in user and to nobody else."""

    def visible_to(self, user):
        return self.all() if viewer_for(user).authenticated else self.filter(NOTHING)


class ContactEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A crisis contact roster is visible to its organisation and to the officers of
        the organisation's State Administrator office."""
        return self.filter(owner_visible_q(viewer_for(user), region_sees=True))


class OrganisationQuerySet(DirectoryQuerySet):
    def with_roster_visible_to(self, user):
        """Organisations whose crisis contact roster the user may see (the same rule as
        :meth:`ContactEntryQuerySet.visible_to`)."""
        return self.filter(owner_visible_q(viewer_for(user), owner="", region_sees=True))

    def with_people_visible_to(self, user):
        """Organisations whose people and roles the user may see: only their own."""
        return self.filter(owner_visible_q(viewer_for(user), owner="", region_sees=False))


# --- the library: shared like everything else (portal.access.shared_visible_q) ---------


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A document is seen by its owner, by the audiences it is shared with, and by
        the owner's State Administrator office once it is shared with anyone."""
        from networks.models import DocumentShare

        return self.filter(shared_visible_q(viewer_for(user), DocumentShare, "document"))


class DocumentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from networks.models import Document

        return self.filter(document__in=Document.objects.visible_to(user))


class AdoptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who adopted which version: known to the adopter, to the origin's owner, and
        to the officers of both regions (sharing goes in line)."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        q = Q(organisation_id__in=viewer.org_ids) | Q(source__owner_id__in=viewer.org_ids)
        if viewer.officer_office_ids:
            q |= Q(organisation__region_id__in=viewer.officer_office_ids) | Q(
                source__owner__region_id__in=viewer.officer_office_ids
            )
        return self.filter(q)


class CommentRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A comment round (høring) is seen by the document's owner, by those invited to
        comment (the network's current members and the named organisations), by the
        organisations that commented in it (a member that has since left the network still
        sees its own comments and the owner's decisions), and — "go in line", as for the
        document it shares — by the officers of the owner's region."""
        from networks.models import CommentRound, DocumentComment

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        invited = CommentRound.organisations.through.objects.filter(
            commentround_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        commented = DocumentComment.objects.filter(
            round_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        q = (
            Q(document__owner_id__in=viewer.org_ids)
            | Q(network_id__in=viewer.network_ids)
            | Exists(invited)
            | Exists(commented)
        )
        if viewer.officer_office_ids:
            q |= Q(document__owner__region_id__in=viewer.officer_office_ids)
        return self.filter(q)


class DocumentCommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments are open to everyone who sees the comment round."""
        from networks.models import CommentRound

        return self.filter(round__in=CommentRound.objects.visible_to(user))


# --- resources and mutual aid -------------------------------------------------------------


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A resource is seen by its owner, by the audiences it is shared with, and by
        the owner's State Administrator office once shared with anyone."""
        from networks.models import ResourceShare

        return self.filter(shared_visible_q(viewer_for(user), ResourceShare, "resource"))


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An assistance agreement is seen by its parties and the officers of their
        regions."""
        from networks.models import Agreement

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        parties = Agreement.parties.through.objects.filter(agreement_id=OuterRef("pk"))
        q = Q(owner_id__in=viewer.org_ids) | Exists(
            parties.filter(organisation_id__in=viewer.org_ids)
        )
        if viewer.officer_office_ids:
            q |= Exists(parties.filter(organisation__region_id__in=viewer.officer_office_ids))
        return self.filter(q)


class AssistanceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A request for assistance is seen by the requester, by those it was sent to
        (named organisations, the network's current members, the office when sent to it),
        by organisations that made an offer, and — "go in line" — always by the officers
        of the requester's region and by those of any offerer's region."""
        from networks.models import AssistanceOffer, AssistanceRequest

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
        from networks.models import JointProcurement

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
