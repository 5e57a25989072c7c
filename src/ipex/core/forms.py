"""Form foundations: the door for inputs on HTML forms, as ``VisibleRelatedField`` is for the
API. A form field that names a record offers and accepts only what the user may reference."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ipex.core.visibility import UnknownRecord, resolve_model, resolve_visible, unknown_message


class PlainSelect(forms.Select):
    """A ``<select>`` written out in Python instead of through one template per option: the
    same element (attributes, the selected option, option groups), without the cost that a
    list of hundreds of places (the tip form's) pays on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


class VisibleModelChoiceField(forms.ModelChoiceField):
    """A record by uuid (or code), from ``Model.objects.visible_to(user)``; the form binds the
    user (:class:`VisibleFormMixin`) and may narrow ``queryset`` further. Missing, malformed and
    hidden get the same "Unknown <thing>."."""

    def __init__(self, model, *, slug_field: str = "uuid", label_from=None, **kwargs):
        self.model = resolve_model(model)
        self.label_from = label_from
        kwargs.setdefault("empty_label", "—" if not kwargs.get("required", True) else None)
        super().__init__(self.model._default_manager.none(), to_field_name=slug_field, **kwargs)

    def bind_user(self, user) -> None:
        self.queryset = self.model._default_manager.visible_to(user)

    def label_from_instance(self, obj) -> str:
        return self.label_from(obj) if self.label_from else super().label_from_instance(obj)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return resolve_visible(
                self.model, None, value, field=self.to_field_name, queryset=self.queryset
            )
        except UnknownRecord as exc:
            raise forms.ValidationError(unknown_message(self.model), code="invalid_choice") from exc


class VisibleFormMixin:
    """Binds the user to every :class:`VisibleModelChoiceField` of the form: ``Form(data,
    user=request.user)``. A form without a user offers nothing (the door stays shut)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, VisibleModelChoiceField):
                field.bind_user(user)
