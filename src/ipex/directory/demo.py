"""The demo node: China's copyright administrations, police and customs (synthetic people).

Idempotent: running it again adds only what is missing. Everything goes through the services,
so the demo is audited like real work. The logins are listed in the README.
"""

from __future__ import annotations

from django.db import transaction

from ipex.core.audit import Actor
from ipex.directory import services
from ipex.directory.jurisdictions import seed_jurisdictions
from ipex.directory.models import (
    Jurisdiction,
    JurisdictionLevel,
    Membership,
    Node,
    Organisation,
    OrgKind,
    Role,
    SharingGroup,
    User,
)

DEMO_PASSWORD = "Demo-IPEX-2013"

# code, level, parent, then the names in the order of MultilingualName.NAME_FIELDS: cities and
# counties below ISO provinces.
LOCAL_JURISDICTIONS = [
    ("CN-GD-SZ", JurisdictionLevel.CITY, "CN-GD", "Shenzhen", "深圳市", "Шэньчжэнь"),
    ("CN-GD-SZ-BA", JurisdictionLevel.COUNTY, "CN-GD-SZ", "Bao'an District", "宝安区", "Баоань"),
    ("CN-ZJ-JH", JurisdictionLevel.CITY, "CN-ZJ", "Jinhua", "金华市", "Цзиньхуа"),
    ("CN-ZJ-JH-YW", JurisdictionLevel.COUNTY, "CN-ZJ-JH", "Yiwu", "义乌市", "Иу"),
]

# code, kind, jurisdiction, supervisor, then the name in each of MultilingualName.NAME_FIELDS
ORGANISATIONS = [
    (
        "CN-NCAC",
        OrgKind.COPYRIGHT_ADMIN,
        "CN",
        None,
        "National Copyright Administration of China",
        "国家版权局",
        "Национальное управление по авторским правам КНР",
    ),
    (
        "CN-GD-CB",
        OrgKind.COPYRIGHT_ADMIN,
        "CN-GD",
        "CN-NCAC",
        "Guangdong Provincial Copyright Bureau",
        "广东省版权局",
        "Управление по авторским правам провинции Гуандун",
    ),
    (
        "CN-GD-BA-CB",
        OrgKind.COPYRIGHT_ADMIN,
        "CN-GD-SZ-BA",
        "CN-GD-CB",
        "Bao'an District Copyright Bureau",
        "宝安区版权局",
        "Управление по авторским правам района Баоань",
    ),
    (
        "CN-ZJ-CB",
        OrgKind.COPYRIGHT_ADMIN,
        "CN-ZJ",
        "CN-NCAC",
        "Zhejiang Provincial Copyright Bureau",
        "浙江省版权局",
        "Управление по авторским правам провинции Чжэцзян",
    ),
    (
        "CN-ZJ-YW-CB",
        OrgKind.COPYRIGHT_ADMIN,
        "CN-ZJ-JH-YW",
        "CN-ZJ-CB",
        "Yiwu Copyright Bureau",
        "义乌市版权局",
        "Управление по авторским правам города Иу",
    ),
    (
        "CN-MPS",
        OrgKind.POLICE,
        "CN",
        None,
        "Ministry of Public Security",
        "公安部",
        "Министерство общественной безопасности КНР",
    ),
    (
        "CN-GD-PSD",
        OrgKind.POLICE,
        "CN-GD",
        "CN-MPS",
        "Guangdong Provincial Public Security Department",
        "广东省公安厅",
        "Департамент общественной безопасности провинции Гуандун",
    ),
    (
        "CN-GAC",
        OrgKind.CUSTOMS,
        "CN",
        None,
        "General Administration of Customs",
        "海关总署",
        "Главное таможенное управление КНР",
    ),
    (
        "CN-GAC-GZ",
        OrgKind.CUSTOMS,
        "CN-GD",
        "CN-GAC",
        "Guangzhou Customs",
        "广州海关",
        "Гуанчжоуская таможня",
    ),
    (
        "CN-RH-DEMO",
        OrgKind.RIGHTS_HOLDER,
        "CN-GD",
        None,
        "Pearl River Audio-Video Publishing (synthetic)",
        "珠江音像出版社（虚构）",
        "Издательство «Чжуцзян Аудио-Видео» (вымышленное)",
    ),
]

# e-mail, full name, organisation, role
USERS = [
    ("admin@ncac.demo", "Li Wei (demo)", "CN-NCAC", Role.NODE_ADMIN),
    ("supervisor@ncac.demo", "Zhang Min (demo)", "CN-NCAC", Role.SUPERVISOR),
    ("statistician@ncac.demo", "Chen Jing (demo)", "CN-NCAC", Role.STATISTICIAN),
    ("liaison@ncac.demo", "Wang Fang (demo)", "CN-NCAC", Role.LIAISON),
    ("rewards@ncac.demo", "Zhao Lei (demo)", "CN-NCAC", Role.REWARD_APPROVER),
    ("auditor@ncac.demo", "Sun Yan (demo)", "CN-NCAC", Role.AUDITOR),
    ("press@ncac.demo", "Feng Xue (demo)", "CN-NCAC", Role.PRESS_OFFICER),
    ("newsdesk@ncac.demo", "Tang Ning (demo)", "CN-NCAC", Role.NEWS_APPROVER),
    ("supervisor@gd.demo", "Huang Qiang (demo)", "CN-GD-CB", Role.SUPERVISOR),
    ("statistician@gd.demo", "Lin Hui (demo)", "CN-GD-CB", Role.STATISTICIAN),
    ("officer@gd.demo", "Liu Yang (demo)", "CN-GD-CB", Role.OFFICER),
    ("officer@baoan.demo", "Zhou Jun (demo)", "CN-GD-BA-CB", Role.OFFICER),
    ("supervisor@zj.demo", "Qian Yu (demo)", "CN-ZJ-CB", Role.SUPERVISOR),
    ("officer@zj.demo", "Wu Xia (demo)", "CN-ZJ-CB", Role.OFFICER),
    ("officer@yiwu.demo", "Xu Tao (demo)", "CN-ZJ-YW-CB", Role.OFFICER),
    ("liaison@mps.demo", "Ma Lin (demo)", "CN-MPS", Role.LIAISON),
    ("officer@gdpsd.demo", "He Bin (demo)", "CN-GD-PSD", Role.OFFICER),
    ("liaison@gac.demo", "Guo Hong (demo)", "CN-GAC", Role.LIAISON),
    ("officer@gzcustoms.demo", "Luo Ping (demo)", "CN-GAC-GZ", Role.OFFICER),
    ("rep@rightsholder.demo", "Deng Li (demo)", "CN-RH-DEMO", Role.RIGHTS_HOLDER_REP),
]


# The Russian demo node (``ipex demo --country RU``, ``make demo-federation``): synthetic.
RU_ORGANISATIONS = [
    (
        "RU-MVD",
        OrgKind.POLICE,
        "RU",
        None,
        "Ministry of Internal Affairs of Russia",
        "俄罗斯内务部",
        "МВД России",
    ),
    (
        "RU-FCS",
        OrgKind.CUSTOMS,
        "RU",
        None,
        "Federal Customs Service",
        "俄罗斯联邦海关署",
        "Федеральная таможенная служба",
    ),
    (
        "RU-FCS-FE",
        OrgKind.CUSTOMS,
        "RU-PRI",
        "RU-FCS",
        "Far Eastern Customs Administration",
        "远东海关局",
        "Дальневосточное таможенное управление",
    ),
]
RU_USERS = [
    ("admin@fcs.demo", "Ivanov Sergei (demo)", "RU-FCS", Role.NODE_ADMIN),
    ("liaison@fcs.demo", "Petrova Anna (demo)", "RU-FCS", Role.LIAISON),
    ("officer@fcs.demo", "Smirnov Dmitry (demo)", "RU-FCS", Role.OFFICER),
    ("officer@vladivostok.demo", "Kuznetsova Olga (demo)", "RU-FCS-FE", Role.OFFICER),
    ("liaison@mvd.demo", "Volkov Alexei (demo)", "RU-MVD", Role.LIAISON),
    ("officer@mvd.demo", "Sokolova Elena (demo)", "RU-MVD", Role.OFFICER),
]
DEMOS = {"CN": (LOCAL_JURISDICTIONS, ORGANISATIONS, USERS), "RU": ([], RU_ORGANISATIONS, RU_USERS)}


def build_demo(*, country: str = "CN", stdout=None) -> dict[str, int]:
    actor = Actor.system("ipex demo")
    counts = {"organisations": 0, "users": 0, "memberships": 0}
    local_jurisdictions, organisations, users = DEMOS[country]
    services.node_init()
    seed_jurisdictions(countries=None, subdivisions=False, actor=actor)
    seed_jurisdictions(countries=["CN", "RU"], subdivisions=True, actor=actor)
    with transaction.atomic():
        for code, level, parent, *names in local_jurisdictions:
            if not Jurisdiction.objects.filter(code=code).exists():
                services.jurisdiction_add(
                    actor=actor,
                    code=code,
                    level=level,
                    parent=Jurisdiction.objects.get(code=parent),
                    **dict(zip(Jurisdiction.NAME_FIELDS, names, strict=True)),
                )
        for code, kind, area, supervisor, *names in organisations:
            if Organisation.objects.filter(code=code).exists():
                continue
            services.organisation_create(
                actor=actor,
                code=code,
                kind=kind,
                jurisdiction=Jurisdiction.objects.get(code=area),
                supervisor=Organisation.objects.get(code=supervisor) if supervisor else None,
                **dict(zip(Organisation.NAME_FIELDS, names, strict=True)),
            )
            counts["organisations"] += 1
        for email, name, org_code, role in users:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = services.user_create(
                    actor=actor, email=email, full_name=name, password=DEMO_PASSWORD
                )
                counts["users"] += 1
            org = Organisation.objects.get(code=org_code)
            if not Membership.objects.filter(user=user, organisation=org, role=role).exists():
                services.membership_grant(actor=actor, user=user, organisation=org, role=role)
                counts["memberships"] += 1
        owner = Organisation.objects.filter(code="CN-GD-CB").first()
        if owner is not None and not SharingGroup.objects.filter(owner_org=owner).exists():
            group = services.sharing_group_create(
                actor=actor,
                owner_org=owner,
                name="Guangdong optical-disc task force",
                description="Copyright bureau, police and customs in Guangdong (synthetic demo).",
            )
            for member in ("CN-GD-PSD", "CN-GAC-GZ"):
                services.sharing_group_add_member(
                    actor=actor, group=group, organisation=Organisation.objects.get(code=member)
                )
        Node.objects.filter(is_local=True, is_demo=False).update(is_demo=True)
    return counts


def demo_lines(country: str) -> list[str]:
    """``ipex demo``'s part for the directory (registered in ``DirectoryConfig.ready``)."""
    counts = build_demo(country=country)
    if country == "RU":
        return [
            f"Demo ready (RU): {counts['organisations']} organisations, "
            f"{counts['users']} users and {counts['memberships']} roles added."
        ]
    return [
        f"Demo ready: {counts['organisations']} organisations, {counts['users']} users and "
        f"{counts['memberships']} roles added (existing ones kept)."
    ]
