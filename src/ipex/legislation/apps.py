from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class LegislationConfig(registry.DeclaredAppConfig):
    """The legislation library: laws, their articles and each article's versions in force.
    It stands just above ``directory`` because cases cite its articles."""

    name = "ipex.legislation"
    label = "legislation"
    verbose_name = _("Legislation")
    demo_order = 20  # legislation.demo.demo_lines: the Copyright Law, Criminal Law 217/218
    # the provisions' articles: a bare migrate files every legal provision under one (cases 0012)
    seeded = (
        "legislation.Law",
        "legislation.Article",
        "legislation.ArticleVersion",
        "legislation.SearchDocument",
    )
