from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, viewer_for


class CommentRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A comment round (høring) is seen by the document's owner, by those invited to
        comment (the network's current members and the named organisations), by the
        organisations that commented in it (a member that has since left the network still
        sees its own comments and the owner's decisions), and — "go in line", as for the
        document it shares — by the officers of the owner's region."""
        # models imports this module
        from networks.comment_rounds.models import CommentRound, DocumentComment

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
        from networks.comment_rounds.models import CommentRound  # models imports this module

        return self.filter(round__in=CommentRound.objects.visible_to(user))
