"""What the benchmarks with a database of their own share: making it, pointing the
default connection at it, dropping it, and the viewer's facts as hand-written SQL takes
them.

A benchmark's database is made with Django's test-database machinery (created, migrated,
loaded with the reference data it names) so the development database is never touched.
Databases may be entered one after the other (``bench/run.py`` runs several benchmarks);
each remembers the connection's names from before it and puts them back when dropped, so
they are dropped in the reverse order of entering.
"""

from __future__ import annotations

import io
import json
import time

from django.db import connection


def dumps(value) -> str:
    """JSON for comparing a portal function's result with its raw SQL's."""
    return json.dumps(value, default=str)


class OwnDatabase:
    def __init__(self, name: str, commands=("load_structure",)):
        self.name = name
        self.commands = tuple(commands)
        self._previous = None  # (NAME, TEST NAME) before entering

    @property
    def entered(self) -> bool:
        return self._previous is not None

    def enter(self, verbosity=0) -> list[str]:
        """Create, migrate and load the database and point the default connection at it
        (until :meth:`cleanup`). Entering twice does nothing the second time."""
        from django.core.management import call_command

        if self.entered:
            return []
        began = time.perf_counter()
        old_name = connection.settings_dict["NAME"]
        test_settings = connection.settings_dict.setdefault("TEST", {})
        old_test_name = test_settings.get("NAME")
        test_settings["NAME"] = self.name
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False
        )
        self._previous = (old_name, old_test_name)
        for command in self.commands:
            call_command(command, verbosity=0, stdout=io.StringIO())
        return [
            f"own database {self.name}: created, migrated, {', '.join(self.commands)} in "
            f"{time.perf_counter() - began:.1f} s"
        ]

    def cleanup(self) -> None:
        """Drop the database and point the connection back (idempotent)."""
        if not self.entered:
            return
        old_name, old_test_name = self._previous
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        connection.settings_dict["TEST"]["NAME"] = old_test_name
        self._previous = None


def viewer_params(user) -> dict:
    """The user's facts, as the hand-written SQL takes them: organisations, networks and
    the regions of the organisations."""
    from networks.structure.models import Organisation
    from portal.access import viewer_for

    viewer = viewer_for(user)
    regions = list(
        Organisation.objects.filter(pk__in=viewer.org_ids)
        .exclude(region_id=None)
        .values_list("region_id", flat=True)
    )
    return {"orgs": list(viewer.org_ids), "networks": list(viewer.network_ids), "regions": regions}
