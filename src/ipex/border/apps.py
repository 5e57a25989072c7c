from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class BorderConfig(registry.DeclaredAppConfig):
    name = "ipex.border"
    label = "border"
    verbose_name = _("Customs protection of rights")
    demo_order = 55  # border.demo.demo_lines: after the seizures' categories and the directory
    shareable = (
        "ipex.border.federation.RecordationType",
        "ipex.border.federation.NoticeType",
        "ipex.border.federation.AnswerType",
    )
    seeded = ("border.DeadlineRule",)  # the CN, RU and EU default deadline rules
