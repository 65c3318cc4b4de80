"""Load the seeded report forms (``reporting/seed_forms.py``) on top of the structure (run
``load_structure`` first).

Idempotent: a form is matched on (owner, title). A missing form is created with its
definition as version 1; an existing form whose latest version differs from the seed gets
the seed published as a new version (earlier versions are never changed); otherwise
nothing is written. Every write goes through ``reporting.actions``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks.structure.models import Organisation
from reporting import actions
from reporting.models import ReportForm
from reporting.seed_forms import SEED_FORMS


class Command(BaseCommand):
    help = "Load the seeded report forms (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = published = 0
        owners = Organisation.objects.in_bulk([slug for slug, *_ in SEED_FORMS], field_name="slug")
        for slug, title, description, track, kind, definition in SEED_FORMS:
            owner = owners.get(slug)
            if owner is None:
                raise CommandError(f"No organisation {slug!r}: run load_structure first.")
            form = ReportForm.objects.filter(owner=owner, title=title).first()
            if form is None:
                actions.do_create_form(
                    owner=owner,
                    acting_user=None,
                    title=title,
                    description=description,
                    track=track,
                    kind=kind,
                    definition=definition,
                )
                created += 1
                continue
            latest = form.versions.order_by("-number").first()
            if latest is None or latest.definition != definition:
                actions.do_publish_form_version(form, acting_user=None, definition=definition)
                published += 1
        if options["verbosity"]:
            self.stdout.write(
                f"Report forms: {created} created, {published} new versions, "
                f"{len(SEED_FORMS) - created - published} unchanged."
            )
