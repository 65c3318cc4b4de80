"""``{% if user|sees_dashboard:round %}``: whether to link a round's dashboard (the
round's issuer and the officers of its regions; see ``reporting.dashboards.queries``)."""

from django import template

from reporting.dashboards.queries import dashboard_scope

register = template.Library()


@register.filter
def sees_dashboard(user, round_):
    if round_ is None or not getattr(user, "is_authenticated", False):
        return False
    regions, _sees_all = dashboard_scope(user, round_)
    return bool(regions)
