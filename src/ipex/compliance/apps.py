from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class ComplianceConfig(registry.DeclaredAppConfig):
    name = "ipex.compliance"
    label = "compliance"
    verbose_name = _("Software legalisation")
    demo_order = 45  # compliance.demo.demo_lines
    seeded = ("compliance.Product", "compliance.NormalisationRule")  # the catalogue
