"""The access rules for report forms, in one place (see portal/access.py).

A report form is a template every organisation reports on or reads the results of, so
every signed-in user sees every form and its published versions. Who may create and
publish forms is a rule (``reporting/rules.py``), not a visibility question.
"""

from django.db import models

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
