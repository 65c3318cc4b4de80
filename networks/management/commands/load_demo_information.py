"""Load the information-down demo (networks.information.demo_data): DSB's messages
during "Ekstremværet Hans" and Covid-19 and the Øst office's, with their read pattern.
Run ``load_demo`` and ``load_demo_incidents`` first (the accounts and the frames).
Idempotent."""

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks.information.demo_data import load_messages


class Command(BaseCommand):
    help = "Load the demo messages (DSB during Hans and Covid-19, the Øst office)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_information writes fictional messages.")
        with transaction.atomic(), pghistory.context(command="load_demo_information"):
            load_messages(self.stdout if options["verbosity"] else None)
