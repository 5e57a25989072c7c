"""The 2013 demo special action (synthetic, labelled so): optical-disc production lines
cracked down, licensed enterprises punished, and a criminal judgment of 48 months within the
3-7 year range of Criminal Law Art. 217. Its counts agree with the published facts in
seizures/data/README.md: 233 unauthorised production lines cracked down and 8 enterprises with
legal business certificates shut down or punished. Everything goes through the services, so
the audit log, timelines, search index and figures are those of real work. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ipex.campaigns import services as campaigns
from ipex.campaigns.models import Campaign
from ipex.cases import services
from ipex.cases.models import LegalProvision
from ipex.core.models import Distribution
from ipex.directory.models import Organisation, User

NAME_EN = "2013 special action against optical-disc piracy (synthetic demo)"
PUBLISHED_LINES = 233
PUBLISHED_ENTERPRISES = 8

# organisation, officer, number of production-line cases
LINE_CASES = [
    ("CN-GD-BA-CB", "officer@baoan.demo", 120),
    ("CN-GD-CB", "officer@gd.demo", 60),
    ("CN-ZJ-CB", "officer@zj.demo", 30),
    ("CN-ZJ-YW-CB", "officer@yiwu.demo", 23),
]
ENTERPRISE_CASES = [("CN-GD-CB", "officer@gd.demo", 5), ("CN-ZJ-CB", "officer@zj.demo", 3)]


def _day(n: int) -> dt.date:
    """Dates spread over the first half of 2013."""
    return dt.date(2013, 1, 7) + dt.timedelta(days=(n * 5) % 170)


def build_case_demo() -> dict[str, int]:
    if Campaign.objects.filter(name_en=NAME_EN).exists():
        return {"campaigns": 0, "cases": 0}
    users = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    orgs = {o.code: o for o in Organisation.objects.all()}
    provisions = {
        p.code: p for p in LegalProvision.objects.filter(code__in=["CN-CL-217", "CN-CRIR-36"])
    }
    made = 0
    with transaction.atomic():
        campaign = campaigns.campaign_create(
            actor=users["supervisor@ncac.demo"],
            owner_org=orgs["CN-NCAC"],
            name_en=NAME_EN,
            name_zh_hans="2013年打击光盘盗版专项行动（合成演示数据）",
            name_ru="Спецоперация 2013 года против пиратства на оптических дисках (демо)",
            starts_on=dt.date(2013, 1, 1),
            ends_on=dt.date(2013, 12, 31),
            description=(
                "Synthetic demo data. Its totals match the published facts: 233 unauthorised "
                "optical-disc production lines cracked down and 8 licensed enterprises shut "
                "down or punished."
            ),
            participants=[orgs[c] for c in ("CN-GD-CB", "CN-ZJ-CB", "CN-MPS", "CN-GAC")],
        )
        supervisor = users["supervisor@ncac.demo"]
        for metric, target in (("lines_closed", 250), ("enterprises_punished", 8)):
            campaigns.campaign_add_target(
                actor=supervisor, campaign=campaign, metric=metric, target=target
            )

        n = 0
        for kind, title, table, operator, work in CASE_KINDS:
            for code, email, count in table:
                officer, org = users[email], orgs[code]
                for i in range(count):
                    n += 1
                    day = _day(n)
                    case = services.case_open(
                        actor=officer,
                        owner_org=org,
                        kind=kind,
                        title=title.format(i + 1),
                        summary="Synthetic demo case.",
                        campaign=campaign,
                        distribution=Distribution.NODE,
                        opened_on=day,
                    )
                    services.case_transition(actor=officer, case=case, action="investigate")
                    services.subject_link(
                        actor=officer, case=case, role="operator", **operator(org, n, i)
                    )
                    work(officer, case, day, n, i, provisions)
                    made += 1
    return {"campaigns": 1, "cases": made}


def _line_operator(org, n: int, i: int) -> dict:
    return {
        "kind": "production_line",
        "name": f"Replication line {org.code}-{i + 1:03d} (synthetic)",
        "sid_code": f"IFPI L{n:03X}",
        "location": org.name,
    }


def _enterprise_operator(org, n: int, i: int) -> dict:
    return {
        "kind": "enterprise",
        "name": f"Licensed disc replicator {org.code}-{i + 1} Co. (synthetic)",
        "registration_number": f"91{n:016d}",
        "has_business_licence": True,
    }


def _line_work(officer, case, day, n: int, i: int, provisions: dict) -> None:
    """An unauthorised production line found running and shut down; the first goes to court."""
    services.case_add_action(
        actor=officer, case=case, kind="raid", taken_on=day, notes="Line found running"
    )
    services.case_add_action(
        actor=officer,
        case=case,
        kind="shutdown",
        taken_on=day + dt.timedelta(days=1),
        notes="Equipment sealed and the line shut down",
    )
    services.case_transition(actor=officer, case=case, action="take_action")
    if n == 1:
        _criminal_judgment(officer, case, provisions["CN-CL-217"], day)


def _enterprise_work(officer, case, day, n: int, i: int, provisions: dict) -> None:
    """A licensed replicator pressing pirated discs: fined and its licence revoked."""
    services.case_add_action(
        actor=officer,
        case=case,
        kind="administrative_fine",
        taken_on=day,
        provision=provisions["CN-CRIR-36"],
        amount=150_000 + 10_000 * i,
    )
    services.case_add_action(actor=officer, case=case, kind="licence_revocation", taken_on=day)
    services.case_transition(actor=officer, case=case, action="take_action")
    services.case_transition(actor=officer, case=case, action="close", outcome="penalised")


# kind of case, its title, who opens how many, the subject operating the line or business,
# and what is done in the case once its investigation starts
CASE_KINDS = [
    (
        "optical_disc_line",
        "Unauthorised disc line no. {} (synthetic)",
        LINE_CASES,
        _line_operator,
        _line_work,
    ),
    (
        "licensed_enterprise",
        "Licensed replicator pressing pirated discs no. {} (synthetic)",
        ENTERPRISE_CASES,
        _enterprise_operator,
        _enterprise_work,
    ),
]


def _criminal_judgment(officer, case, art217, day) -> None:
    """The first line case goes to court: referral, arrest, 48 months under Art. 217."""
    services.subject_link(
        actor=officer, case=case, kind="person", name="Operator Chen (synthetic)", role="suspect"
    )
    services.case_add_action(
        actor=officer, case=case, kind="criminal_referral", taken_on=day + dt.timedelta(days=3)
    )
    services.case_transition(actor=officer, case=case, action="refer")
    services.case_add_action(
        actor=officer,
        case=case,
        kind="judgment",
        taken_on=day + dt.timedelta(days=120),
        provision=art217,
        months=48,
        notes="Sentenced to 48 months' imprisonment",
    )
    services.case_transition(actor=officer, case=case, action="close", outcome="convicted")


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the Chinese node's cases only
    """``ipex demo``'s part for cases (registered in ``CasesConfig.ready``)."""
    cases = build_case_demo()
    return [
        f"2013 special action: {cases['campaigns']} special action and {cases['cases']} "
        "cases added (synthetic)."
    ]
