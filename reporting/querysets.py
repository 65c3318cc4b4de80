"""The access rules for report forms, in one place (see portal/access.py).

A report form is a template every organisation reports on or reads the results of, so
every signed-in user sees every form and its published versions. Who may create and
publish forms is a rule (``reporting/rules.py``), not a visibility question.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When

from portal.access import NOTHING, viewer_for
from reporting.rules import submitter_orgs

# reporting.models imports this module for its managers, so a queryset that needs another
# model imports it inside the method (an import cycle, not a habit).


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

    def real(self):
        """Not exercises — neither marked as one nor in an exercise crisis frame: what
        statistics and KS summaries count unless exercises are asked for."""
        return self.exclude(Q(is_exercise=True) | Q(frame__is_exercise=True))


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
        return self.filter(q).with_answers_for(user)

    def with_answers_for(self, user):
        """Annotate what ``user`` may read of each submission's answers — the one rule for
        pages, the API, exports and dashboards (``visible_to`` applies it):

        * ``visible_answers``: the answers once submitted, for everyone who sees the
          submission; a draft's answers only for the municipality's own people (its
          writers and readers). The office, the issuer and national analysts get ``{}``
          for a draft: they see that it exists (``status``) and when it was last saved
          (``updated_at``), never what it says.
        * ``answers_withheld``: true where a draft's answers were left out.

        A submitted report is amended by submitting again (``do_submit``; a draft over a
        submitted report is refused), so a submitted submission's ``answers`` are always
        its last revision's: there is no unsent amendment to leak.

        ``user`` None (a task, a benchmark) reads as nobody's own: submitted answers only.
        """
        from reporting.models import SubmissionStatus

        viewer = viewer_for(user)
        readable = Q(status=SubmissionStatus.SUBMITTED)
        if viewer.org_ids:
            readable |= Q(municipality_id__in=viewer.org_ids)
        return self.annotate(
            visible_answers=Case(
                When(readable, then=F("answers")),
                default=Value({}, output_field=models.JSONField()),
                output_field=models.JSONField(encoder=DjangoJSONEncoder),
            ),
            answers_withheld=Case(
                When(readable, then=Value(False)),
                default=Value(True),
                output_field=models.BooleanField(),
            ),
        )

    def editable_by(self, user):
        """The municipality's emergency managers and crisis staff write its submissions."""
        return self.filter(municipality_id__in=submitter_orgs(user))


class SubmissionCommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments on a submission are seen by whoever sees the submission."""
        from reporting.models import Submission

        return self.filter(submission__in=Submission.objects.visible_to(user))


class RoundScheduleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A recurring round is its issuer's."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        return self.filter(issuer_id__in=viewer.org_ids)


class CompilationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who sees a compiled picture:

        * the organisation compiling it (the office for a regional one, the issuer for a
          national one), drafts included;
        * once published, every municipality in the round — the regional picture of its
          own region and the national picture — and the officers of every region in it;
        * the round's issuer: a regional picture once published or forwarded;
        * every national analyst: a regional picture once the office forwards it, and
          the national picture once published;
        * KS analysts: published pictures (aggregates only; submissions stay hidden).
        """
        from reporting.models import ReportingRound

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        through = ReportingRound.recipients.through.objects
        published = Q(published_at__isnull=False)
        q = Q(author_org_id__in=viewer.org_ids)
        q |= published & (
            Q(level="national")
            & Exists(
                through.filter(
                    reportinground_id=OuterRef("round_id"), organisation_id__in=viewer.org_ids
                )
            )
            | Q(level="regional")
            & Exists(
                through.filter(
                    reportinground_id=OuterRef("round_id"),
                    organisation_id__in=viewer.org_ids,
                    organisation__region_id=OuterRef("office_id"),
                )
            )
        )
        if viewer.officer_office_ids:
            q |= published & Exists(
                through.filter(
                    reportinground_id=OuterRef("round_id"),
                    organisation__region_id__in=viewer.officer_office_ids,
                )
            )
        upward = published | Q(forwarded_at__isnull=False)
        q |= Q(round__issuer_id__in=viewer.org_ids) & upward
        if viewer.has_role("national_analyst"):
            q |= Q(forwarded_at__isnull=False) | Q(level="national") & published
        if viewer.has_role("ks_analyst"):
            q |= published
        return self.filter(q)


class PictureSeenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who saw a published picture: known to the compiling organisation, the round's
        issuer, and each municipality about itself."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        return self.filter(
            Q(organisation_id__in=viewer.org_ids)
            | Q(compilation__author_org_id__in=viewer.org_ids)
            | Q(compilation__round__issuer_id__in=viewer.org_ids)
        )


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is seen only by the user who asked for it."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        return self.filter(requested_by_id=viewer.user_id)
