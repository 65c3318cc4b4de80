"""Who sees what of information down (the access layer for messages).

A message is seen by its sender organisation and by the organisations it reached (its
recipient rows): no one else, not even the office of a recipient's region ("an officer
of region A gets 404 for region B's messages"). Read receipts are the sender's alone.
"""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from portal.access import NOTHING, viewer_for


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        from networks.information.models import MessageRecipient  # models imports us

        viewer = viewer_for(user)
        if not viewer.authenticated or not viewer.org_ids:
            return self.filter(NOTHING)
        reached = MessageRecipient.objects.filter(
            message_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        return self.filter(Q(sender_id__in=viewer.org_ids) | Exists(reached))

    def with_read_count(self):
        """How many recipients have read, as a correlated subquery (no GROUP BY over the
        message's recipients: one index range per row)."""
        from networks.information.models import MessageRecipient  # models imports us

        read = (
            MessageRecipient.objects.filter(message_id=OuterRef("pk"), read_at__isnull=False)
            .order_by()
            .values("message_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(read_count=Coalesce(Subquery(read), 0))


class MessageRecipientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A receipt is the sender organisation's to see; a recipient sees its own row."""
        viewer = viewer_for(user)
        if not viewer.authenticated or not viewer.org_ids:
            return self.filter(NOTHING)
        return self.filter(
            Q(message__sender_id__in=viewer.org_ids) | Q(organisation_id__in=viewer.org_ids)
        )


class MessageQuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A question is seen by the sender organisation and the asking organisation; an
        answer the sender made public, by every recipient."""
        from networks.information.models import MessageRecipient  # models imports us

        viewer = viewer_for(user)
        if not viewer.authenticated or not viewer.org_ids:
            return self.filter(NOTHING)
        reached = MessageRecipient.objects.filter(
            message_id=OuterRef("message_id"), organisation_id__in=viewer.org_ids
        )
        return self.filter(
            Q(message__sender_id__in=viewer.org_ids)
            | Q(organisation_id__in=viewer.org_ids)
            | (Q(public=True, answered_at__isnull=False) & Exists(reached))
        )


class MessageAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from networks.information.models import Message  # models imports us

        return self.filter(message__in=Message.objects.visible_to(user).values("pk"))
