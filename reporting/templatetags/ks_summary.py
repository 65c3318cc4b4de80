"""``{{ value|ks_cell }}``: a KS summary's cell as text, the way the file's figures are
read back (``reporting.exports.summary_figures.display``)."""

from django import template

from reporting.exports.summary_figures import display

register = template.Library()


@register.filter
def ks_cell(value):
    return value if isinstance(value, str) else display(value)


@register.filter
def ks_rate(value):
    """A rate for a <meter> (0 … 1), or "" when it is suppressed or none."""
    return "" if value is None or isinstance(value, str) else f"{value:.4f}"
