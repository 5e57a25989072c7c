"""The demo's news and events (synthetic wording, real facts): the China–Russia video
conference on cooperation against piracy, reported in the NCAC's news item of 29 July 2013,
as an event and a news item in three languages. The figures are those of
``seizures/data/README.md`` and ``national-seizures-2012-CN.csv``; the time of day is
synthetic. Idempotent (the item is found again by its tag)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from ipex.directory.models import Organisation, User
from ipex.portal import services
from ipex.portal.models import DatasetVersion, NewsItem
from ipex.seizures.models import Bulletin
from ipex.seizures.services import bulletin_publish

TAG = "video-conference-2013"
NOTE = {
    "en": "*Synthetic demo text; the figures and facts are those published.*",
    "zh-hans": "*合成演示文本；数据和事实均为已公布的内容。*",
    "ru": "*Синтетический демонстрационный текст; цифры и факты — опубликованные.*",
}
ITEMS = {
    "en": (
        "China and Russia review their cooperation against piracy by video conference",
        "The copyright, police and customs authorities of both countries met by video "
        "conference; China presented its 2012 enforcement figures.",
        "On 29 July 2013 the National Copyright Administration of China reported on its "
        "cooperation with Russia against piracy, presented at a video conference of both "
        "countries' authorities.\n\n"
        "- In 2012 administrations at all levels seized **107 million** pirated items, "
        "including 19.08 million books, 1.14 million periodicals, 65.87 million audiovisual "
        "products, 13.01 million electronic publications, 7.74 million software discs and "
        "90 thousand items of other kinds.\n"
        "- By mid-2013, **233** unauthorised optical-disc production lines had been cracked "
        "down on, and **8** enterprises with legal business certificates shut down or "
        "punished for piracy.\n"
        "- Reporting an unauthorised optical-disc production line is rewarded with "
        "300,000 RMB; serious copyright infringement is punished with 3 to 7 years' "
        "imprisonment.\n\n"
        "Cooperating authorities: China — National Copyright Administration, Ministry of "
        "Public Security, General Administration of Customs; Russia — Ministry of Internal "
        "Affairs, Federal Customs Service.",
    ),
    "zh-hans": (
        "中俄通过视频会议回顾打击盗版合作",
        "两国版权、公安和海关部门举行视频会议；中方介绍了2012年执法数据。",
        "2013年7月29日，国家版权局通报了与俄罗斯开展打击盗版合作的情况，"
        "相关内容在两国主管部门的视频会议上作了介绍。\n\n"
        "- 2012年，各级版权行政管理部门共收缴各类盗版制品**1.07亿件**，其中图书1908万册、"
        "期刊114万份、音像制品6587万盘、电子出版物1301万张、软件774万张、其他9万件。\n"
        "- 截至2013年年中，共查处非法光盘生产线**233**条，"
        "关闭或处罚持证从事盗版活动的企业**8**家。\n"
        "- 举报非法光盘生产线奖励30万元人民币；严重侵犯著作权的，处3年以上7年以下有期徒刑。\n\n"
        "合作部门：中方——国家版权局、公安部、海关总署；俄方——内务部、联邦海关署。",
    ),
    "ru": (
        "Китай и Россия обсудили сотрудничество в борьбе с пиратством по видеосвязи",
        "Органы по авторскому праву, полиция и таможня двух стран провели видеоконференцию; "
        "Китай представил данные правоприменения за 2012 год.",
        "29 июля 2013 года Государственное управление по делам авторского права КНР "
        "сообщило о сотрудничестве с Россией в борьбе с пиратством, представленном на "
        "видеоконференции ведомств двух стран.\n\n"
        "- В 2012 году органы всех уровней изъяли **107 млн** контрафактных экземпляров, в "
        "том числе 19,08 млн книг, 1,14 млн периодических изданий, 65,87 млн аудиовизуальных "
        "продуктов, 13,01 млн электронных изданий, 7,74 млн дисков с программами и 90 тыс. "
        "прочих экземпляров.\n"
        "- К середине 2013 года пресечена работа **233** нелегальных линий по производству "
        "оптических дисков, **8** предприятий с действующими лицензиями закрыты или "
        "наказаны за пиратство.\n"
        "- За сообщение о нелегальной линии по производству дисков выплачивается "
        "вознаграждение 300 000 юаней; за серьёзное нарушение авторских прав — лишение "
        "свободы на срок от 3 до 7 лет.\n\n"
        "Сотрудничающие ведомства: Китай — Государственное управление по делам авторского "
        "права, Министерство общественной безопасности, Главное таможенное управление; "
        "Россия — МВД, Федеральная таможенная служба.",
    ),
}
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def demo_lines(country: str) -> list[str]:  # noqa: ARG001 - the Chinese node's news only
    """``ipex demo``'s part for news and events (registered in ``PortalConfig``)."""
    return [open_data_line(), news_line()]


def open_data_line() -> str:
    """The 2012 national bulletin published from the demo's approved reports, and with it
    the open datasets of 2012 (once: a published bulletin is left as it is)."""
    if Bulletin.objects.filter(country__code="CN", year=2012).exists():
        return "Open data: 0 datasets published."
    statistician = User.objects.get(email="statistician@ncac.demo")
    bulletin_publish(actor=statistician, country="CN", year=2012)
    count = DatasetVersion.objects.filter(year=2012).count()
    return f"Open data: the 2012 bulletin and {count} datasets published."


def news_line() -> str:
    if NewsItem.objects.filter(tags__contains=TAG).exists():
        return "News and events: 0 news items and 0 events added."
    ncac = Organisation.objects.get(code="CN-NCAC")
    press = User.objects.get(email="press@ncac.demo")
    approver = User.objects.get(email="newsdesk@ncac.demo")
    first = None
    for language, (title, summary, body) in ITEMS.items():
        item = services.news_draft(
            actor=press,
            owner_org=ncac,
            language=language,
            title=title,
            summary=summary,
            body=f"{body}\n\n{NOTE[language]}",
            category="event_report",
            tags=f"Russia, cooperation, {TAG}",
            translation_of=first,
        )
        services.news_submit(actor=press, item=item)
        services.news_publish(actor=approver, item=item)
        first = first or item
    event = services.event_create(
        actor=press,
        owner_org=ncac,
        name_en="China–Russia video conference on cooperation against piracy",
        name_zh_hans="中俄打击盗版合作视频会议",
        name_ru="Российско-китайская видеоконференция о сотрудничестве в борьбе с пиратством",
        starts_at=dt.datetime(2013, 7, 29, 10, 0, tzinfo=BEIJING),
        ends_at=dt.datetime(2013, 7, 29, 12, 0, tzinfo=BEIJING),
        time_zone="Asia/Shanghai",
        online=True,
        organisations=list(Organisation.objects.filter(code__in=["CN-NCAC", "CN-MPS", "CN-GAC"])),
        statistics_year=2012,
        news_item=first,
        description="Date as reported by the NCAC on 29 July 2013; the time of day is synthetic.",
    )
    services.event_publish(actor=approver, event=event)
    return "News and events: 3 news items and 1 event added (synthetic wording, real facts)."
