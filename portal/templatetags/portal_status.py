"""One status tag for every status in the portal: ``{% status_tag "incident" incident.status
incident.get_status_display %}`` renders includes/status_tag.html with the colour this
module gives that kind of status (Designsystemet's data-color names)."""

from django import template

register = template.Library()

#: Per kind of status: value → colour, and "*" for any other value.
STATUS_COLOURS: dict[str, dict[str, str]] = {
    "incident": {"active": "danger", "monitoring": "warning", "*": "neutral"},
    "task": {"open": "info", "in_progress": "warning", "done": "success", "*": "neutral"},
    "lesson": {
        "identified": "warning",
        "measure_decided": "info",
        "implemented": "accent",
        "*": "success",
    },
    "exercise": {"planned": "info", "held": "success", "*": "neutral"},
    "aid": {
        "open": "info",
        "fulfilled": "success",
        "accepted": "success",
        "cancelled": "danger",
        "declined": "danger",
        "*": "neutral",
    },
    "priority": {"critical": "danger", "high": "warning", "low": "neutral", "*": "info"},
}


def status_colour(kind: str, value: str) -> str:
    colours = STATUS_COLOURS[kind]
    return colours.get(value, colours["*"])


@register.inclusion_tag("includes/status_tag.html")
def status_tag(kind: str, value: str, label: str) -> dict[str, str]:
    return {"colour": status_colour(kind, value), "label": label}
