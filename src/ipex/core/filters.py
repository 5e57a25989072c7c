import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ipex.core.models import AuditEntry

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
DATE = {"class": "form-control form-control-sm", "type": "date"}


def only_filter(label, method: str) -> django_filters.BooleanFilter:
    """A list's "only …" checkbox, narrowing the list with the filter set's ``method``."""
    return django_filters.BooleanFilter(
        method=method, label=label, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


def choice_filter(choices, label, **options) -> django_filters.ChoiceFilter:
    """A list's filter by one of ``choices``, shown as the lists' small select."""
    return django_filters.ChoiceFilter(
        choices=choices, label=label, widget=forms.Select(attrs=SELECT), **options
    )


def by_code(model, narrow):
    """A filter set's method for a filter that names a record of ``model`` (a place, an
    organisation) by its code, in any case: ``narrow(queryset, record)`` narrows the list to
    what lies under that record; an unknown code leaves nothing."""

    def method(filterset, queryset, name, value):  # noqa: ARG001 - django-filter's signature
        record = model.objects.filter(code=value.strip().upper()).first()
        return queryset.none() if record is None else narrow(queryset, record)

    return method


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        label=_("Action"), lookup_expr="startswith", widget=forms.TextInput(attrs=TEXT)
    )
    actor = django_filters.CharFilter(
        label=_("Actor"),
        field_name="actor_label",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs=TEXT),
    )
    record = django_filters.CharFilter(
        label=_("Record (uuid)"), field_name="object_uuid", widget=forms.TextInput(attrs=TEXT)
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(DATE)
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(DATE)
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "record", "since", "until"]
