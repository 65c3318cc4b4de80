"""Who may act on incidents (used by views, API permissions and templates)."""

import rules

from incidents.models import Incident


@rules.predicate
def writes_incident(user, incident):
    return (
        incident is not None and Incident.objects.editable_by(user).filter(pk=incident.pk).exists()
    )


rules.add_perm("incidents.write_log", writes_incident)
rules.add_perm("incidents.change_incident", writes_incident)
rules.add_perm("incidents.share_incident", writes_incident)
