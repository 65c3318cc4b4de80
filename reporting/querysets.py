"""The access rules for report forms, in one place (see portal/access.py).

A report form is a template every organisation reports on or reads the results of, so
every signed-in user sees every form and its published versions. Who may create and
publish forms is a rule (``reporting/rules.py``), not a visibility question.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, viewer_for


class ReportFormQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.all() if viewer_for(user).authenticated else self.filter(NOTHING)


class ReportFormVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published versions only: a version is what a round is issued with."""
        if not viewer_for(user).authenticated:
            return self.filter(NOTHING)
        return self.filter(published_at__isnull=False)


class ReportingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A round is visible to its issuer's people, to the people of its recipients, and
        to the officers of an office whose region holds a recipient."""
        from reporting.models import ReportingRound

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        through = ReportingRound.recipients.through.objects
        q = Q(issuer_id__in=viewer.org_ids) | Exists(
            through.filter(reportinground_id=OuterRef("pk"), organisation_id__in=viewer.org_ids)
        )
        if viewer.officer_office_ids:
            q |= Exists(
                through.filter(
                    reportinground_id=OuterRef("pk"),
                    organisation__region_id__in=viewer.officer_office_ids,
                )
            )
        return self.filter(q)


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A submission is visible to its municipality's people, to the round issuer's
        people and to the officers of the municipality's State Administrator office."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        q = Q(municipality_id__in=viewer.org_ids) | Q(round__issuer_id__in=viewer.org_ids)
        if viewer.officer_office_ids:
            q |= Q(municipality__region_id__in=viewer.officer_office_ids)
        return self.filter(q)

    def editable_by(self, user):
        """The municipality's emergency managers and crisis staff write its submissions."""
        from reporting.rules import submitter_orgs

        return self.filter(municipality_id__in=submitter_orgs(user))
