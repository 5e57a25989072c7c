"""Filters of the joint operation pages: the standard result set's labels and order."""

from django import template
from django.utils.translation import gettext as _

from ipex.cooperation import results
from ipex.seizures.models import Category

register = template.Library()


def _labels() -> dict[str, str]:
    return {
        "seizures": _("Seizures"),
        "detentions": _("Detentions"),
        "cases_opened": _("Cases opened"),
        "production_lines": _("Production lines dealt with"),
        "enterprises": _("Enterprises dealt with"),
        "arrests": _("Arrests"),
        "websites": _("Websites acted on"),
        "alerts": _("Alerts"),
    }


@register.filter
def figure_label(key: str) -> str:
    if key.startswith("items:"):
        code = key.removeprefix("items:")
        category = Category.objects.filter(code=code).first()
        return _("Items seized: %(category)s") % {"category": category.name if category else code}
    return _labels().get(key, key)


@register.filter
def figure_rows(figures: dict) -> list[tuple[str, int]]:
    return results.figure_rows(figures)
