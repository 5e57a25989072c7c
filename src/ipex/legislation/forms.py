"""The node administrators' forms; the services check what the fields cannot."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from ipex.directory.forms import BootstrapMixin
from ipex.legislation import services
from ipex.legislation.models import Article, ArticleVersion, Law

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def model_form(model, fields: tuple[str, ...], widgets: dict | None = None) -> type:
    """A plain form with the model's fields (no model validation: the service's is the one
    that counts, with its errors beside the fields)."""
    return type(
        f"{model.__name__}Form",
        (BootstrapMixin, forms.Form),
        fields_for_model(model, fields=fields, widgets=widgets or {}),
    )


LawForm = model_form(Law, services.LAW_FIELDS, {"adopted_on": DATE})
ArticleForm = model_form(Article, services.ARTICLE_FIELDS)
VersionForm = model_form(
    ArticleVersion,
    services.VERSION_FIELDS,
    {"effective_from": DATE, "effective_to": DATE},
)
