"""Text of the national paragraph of a seizure bulletin, in English, Chinese and Russian.

A bulletin is read by authorities on both sides of a border, so every figure is written the way
a reader of that language expects it: "19.08 million" in English, "1908万" in Chinese (counted
in 万 and 亿, not in thousands and millions) and "19,08 млн" in Russian. Babel's CLDR data
decides those styles, so this module only chooses the wording around the figures.

This module is deliberately pure Python: no models, no database and no gettext catalogue. The
sentences depend on grammar that a translator working string by string cannot see (Russian case
and number agreement after a figure, Chinese measure words per category), and the published
reference figures in ``seizures/data`` pin the exact wording down, so the three languages live
here side by side and are tested as whole sentences.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel.numbers import format_compact_decimal, format_decimal

__all__ = ["LANGUAGES", "TOP_CATEGORIES", "format_quantity", "national_paragraph"]

#: Category codes of the reference CSV, in the order a bulletin lists them.
TOP_CATEGORIES: tuple[str, ...] = (
    "books",
    "periodicals",
    "audiovisual",
    "electronic_publications",
    "software",
    "other",
)

#: Django language codes a bulletin can be written in.
LANGUAGES: tuple[str, ...] = ("en", "zh-hans", "ru")

# Babel locale and compact style per Django language code. English spells the magnitude out
# ("19.08 million"), as the published NCAC figures do; Chinese and Russian use their usual
# short forms (万/亿, млн/тыс.), which are not abbreviations to their readers.
_BABEL_LOCALES: dict[str, str] = {"en": "en", "zh-hans": "zh_Hans_CN", "ru": "ru"}
_COMPACT_STYLES: dict[str, str] = {"en": "long", "zh-hans": "short", "ru": "short"}

# Below this a quantity is written in full: "9,999 books" is exact and as short as
# "10 thousand books", which would overstate it.
_FULL_BELOW = 10_000

# Precision of a total. The published total of 2012 is "107 million" while its categories add
# up to 106.93 million: a total is a headline figure, and two more digits would only suggest an
# accuracy that the sum of reports from every level of administration does not have.
_TOTAL_SIGNIFICANT_DIGITS = 3

_EN_PARTS: dict[str, tuple[str, str]] = {
    # category: (singular, plural); the singular is only used for exactly 1.
    "books": ("{n} book", "{n} books"),
    "periodicals": ("{n} periodical", "{n} periodicals"),
    "audiovisual": ("{n} audiovisual product", "{n} audiovisual products"),
    "electronic_publications": ("{n} electronic publication", "{n} electronic publications"),
    "software": ("{n} software disc", "{n} software discs"),
    "other": ("{n} item of other kinds", "{n} items of other kinds"),
}

# Chinese: (label, measure word). The label of "other" differs when it stands alone, because
# "均为其他" ("all of them other") is not a sentence a reader would accept.
_ZH_PARTS: dict[str, tuple[str, str]] = {
    "books": ("图书", "册"),
    "periodicals": ("期刊", "份"),
    "audiovisual": ("音像制品", "盘"),
    "electronic_publications": ("电子出版物", "张"),
    "software": ("软件光盘", "张"),
    "other": ("其他", "件"),
}
_ZH_SINGLE_LABELS: dict[str, str] = {"other": "其他盗版品"}

# Russian: the whole paragraph governs its figures in the genitive ("об изъятии … книг").
# After "млн"/"тыс." and after any full number other than one ending in 1 (but not 11) the
# noun is genitive plural; after 1, 21, 101 … it is genitive singular ("1 книги").
_RU_PARTS: dict[str, tuple[str, str]] = {
    # category: (genitive singular, genitive plural)
    "books": ("книги", "книг"),
    "periodicals": ("периодического издания", "периодических изданий"),
    "audiovisual": ("единицы аудиовизуальной продукции", "единиц аудиовизуальной продукции"),
    "electronic_publications": ("электронного издания", "электронных изданий"),
    "software": (
        "диска с программным обеспечением",
        "дисков с программным обеспечением",
    ),
    "other": ("единицы прочей продукции", "единиц прочей продукции"),
}
_RU_TOTAL: tuple[str, str] = ("единицы пиратской продукции", "единиц пиратской продукции")


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(
            f"Unknown bulletin language {language!r}; expected one of {', '.join(LANGUAGES)}."
        )


def _check_quantity(n: int, what: str = "quantity") -> None:
    # bool is an int subclass; True books is a bug upstream, not a figure.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"A {what} must be a whole number, not {type(n).__name__}.")
    if n < 0:
        raise ValueError(f"A {what} cannot be negative (got {n}).")


def _round_significant(n: int, digits: int) -> int:
    """Round a non-negative integer half up to ``digits`` significant digits, exactly.

    Integer arithmetic rather than ``round()`` on a float: totals can exceed what a float
    holds exactly, and ``round()`` rounds half to even (1,065 million would become 1.06 billion
    instead of the 1.07 billion a reader expects).
    """
    excess = len(str(n)) - digits
    if excess <= 0:
        return n
    factor = 10**excess
    return (n + factor // 2) // factor * factor


def format_quantity(n: int, language: str, *, total: bool = False) -> str:
    """Write a quantity of seized items the way a reader of ``language`` expects it.

    Quantities of 10,000 and more are compact with up to two decimals (``"19.08 million"``,
    ``"1908万"``, ``"19,08\\xa0млн"``); smaller ones are written in full with the locale's
    grouping (``"9,999"``, ``"9\\xa0999"``), since a compact form would round them.

    With ``total=True`` the quantity is first rounded to three significant figures, as the
    published headline totals are (106,930,000 becomes ``"107 million"``, ``"1.07亿"``,
    ``"107\\xa0млн"``). A total below 10,000 is written in full and unrounded: there is no
    spurious precision to hide, and "1,230 items" for a sum of 1,234 would simply be wrong.

    Russian keeps the no-break space (U+00A0) that Babel puts between a number and its unit,
    and inside full numbers as the group separator: Russian typography forbids a line break
    there, and HTML and plain text both render it as an ordinary space. Callers comparing
    strings must therefore expect ``"\\xa0"``, not ``" "``.

    Raises ``ValueError`` for a negative quantity or a language not in :data:`LANGUAGES`.
    """
    _check_language(language)
    _check_quantity(n)
    locale = _BABEL_LOCALES[language]
    if n < _FULL_BELOW:
        return format_decimal(n, locale=locale)
    if total:
        n = _round_significant(n, _TOTAL_SIGNIFICANT_DIGITS)
    return format_compact_decimal(
        n, format_type=_COMPACT_STYLES[language], locale=locale, fraction_digits=2
    )


def _is_singular_en(n: int) -> bool:
    return n == 1


def _is_singular_ru(n: int) -> bool:
    # Only full numbers reach here in the singular; compact ones (>= 10,000) end in "млн",
    # "тыс." etc., after which the noun is always plural.
    return n < _FULL_BELOW and n % 10 == 1 and n % 100 != 11


def _join_en(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _paragraph_en(year: int, total: int, shown: list[tuple[str, int]], country: str | None) -> str:
    where = f"nationwide in {country}" if country else "nationwide"
    if total == 0:
        return f"In {year}, administrations at all levels reported no pirated items seized {where}."
    total_text = format_quantity(total, "en", total=True)
    item = "pirated item" if _is_singular_en(total) else "pirated items"
    parts = [
        _EN_PARTS[code][0 if _is_singular_en(n) else 1].format(n=format_quantity(n, "en"))
        for code, n in shown
    ]
    head = f"In {year}, administrations at all levels reported {total_text} {item} seized {where}"
    if len(parts) == 1:
        # "including" would suggest other categories exist; a colon states the only one.
        return f"{head}: {parts[0]}."
    return f"{head}, including {_join_en(parts)}."


def _paragraph_zh(year: int, total: int, shown: list[tuple[str, int]]) -> str:
    if total == 0:
        return f"{year}年，各级版权管理部门未报告查缴任何盗版品。"
    total_text = format_quantity(total, "zh-hans", total=True)
    if len(shown) == 1:
        # "各类" (of every kind) and "其中" (among them) would both be false for one kind.
        code, n = shown[0]
        label = _ZH_SINGLE_LABELS.get(code, _ZH_PARTS[code][0])
        unit = _ZH_PARTS[code][1]
        return (
            f"{year}年，各级版权管理部门共查缴盗版品{total_text}件，"
            f"均为{label}，计{format_quantity(n, 'zh-hans')}{unit}。"
        )
    parts = "、".join(
        f"{_ZH_PARTS[code][0]}{format_quantity(n, 'zh-hans')}{_ZH_PARTS[code][1]}"
        for code, n in shown
    )
    return f"{year}年，各级版权管理部门共查缴各类盗版品{total_text}件，其中{parts}。"


def _paragraph_ru(year: int, total: int, shown: list[tuple[str, int]]) -> str:
    if total == 0:
        return f"В {year} году органы всех уровней не сообщили об изъятии пиратской продукции."
    total_text = format_quantity(total, "ru", total=True)
    total_noun = _RU_TOTAL[0 if _is_singular_ru(total) else 1]
    parts = [
        f"{format_quantity(n, 'ru')} {_RU_PARTS[code][0 if _is_singular_ru(n) else 1]}"
        for code, n in shown
    ]
    head = (
        f"В {year} году органы всех уровней сообщили об изъятии по всей стране "
        f"{total_text} {total_noun}"
    )
    if len(parts) == 1:
        # A colon after the generalising phrase, as Russian punctuation has it for a list of
        # one; "в том числе" would suggest other kinds.
        return f"{head}: {parts[0]}."
    listed = ", ".join(parts[:-1]) + " и " + parts[-1]
    return f"{head}, в том числе {listed}."


def national_paragraph(
    *,
    year: int,
    figures: Mapping[str, int],
    language: str,
    country: str | None = None,
) -> str:
    """The national paragraph of a seizure bulletin: the year's total and its breakdown.

    ``figures`` maps category codes of :data:`TOP_CATEGORIES` to whole quantities. The total
    is the sum of all figures, rounded as a headline (see :func:`format_quantity`); categories
    that are 0 or missing are left out, so the paragraph never lists "0 periodicals"; the
    others are listed in :data:`TOP_CATEGORIES` order, whatever the order of ``figures``. A
    year without seizures (empty or all-zero figures) gets a sentence saying none were
    reported, rather than "0 pirated items".

    ``country`` is a display name already in ``language``. Only English uses it ("seized
    nationwide in China"); without it the English paragraph is exactly the wording of the
    NCAC reference sentence in ``seizures/data/README.md``. Chinese and Russian ignore it: "全国"
    and "по всей стране" already name the whole country of the issuing administration, and
    Russian would need the name in the prepositional case ("в Китае"), which a nominative
    display name cannot give.

    Raises ``ValueError`` for an unknown language, an unknown category code (its quantity
    would count in the total without being listed, so the breakdown could not be checked
    against it) or a negative quantity.
    """
    _check_language(language)
    unknown = sorted(set(figures) - set(TOP_CATEGORIES))
    if unknown:
        raise ValueError(
            f"Unknown seizure categories {unknown}; expected codes from {TOP_CATEGORIES}."
        )
    for code, n in figures.items():
        _check_quantity(n, f"quantity of {code}")
    total = sum(figures.values())
    shown = [(code, figures[code]) for code in TOP_CATEGORIES if figures.get(code)]
    if language == "en":
        return _paragraph_en(year, total, shown, country)
    if language == "zh-hans":
        return _paragraph_zh(year, total, shown)
    return _paragraph_ru(year, total, shown)


def _count_en(n: int, singular: str, plural: str) -> str:
    return f"{n:,} {singular if n == 1 else plural}"


def enforcement_paragraph(*, year: int, lines: int, enterprises: int, language: str) -> str:
    """The bulletin's enforcement sentence, from the cases themselves: unauthorised
    optical-disc production lines cracked down and licensed enterprises shut down or
    punished for piracy (the wording of the NCAC report in ``seizures/data/README.md``).
    Empty when both are 0: a bulletin does not announce that nothing was done."""
    _check_language(language)
    _check_quantity(lines, "production lines")
    _check_quantity(enterprises, "enterprises")
    if not lines and not enterprises:
        return ""
    if language == "en":
        parts = []
        if lines:
            parts.append(
                _count_en(
                    lines,
                    "unauthorised optical-disc production line was",
                    "unauthorised optical-disc production lines were",
                )
                + " cracked down"
            )
        if enterprises:
            parts.append(
                _count_en(
                    enterprises,
                    "enterprise with a legal business certificate was",
                    "enterprises with legal business certificates were",
                )
                + " shut down or punished for piracy"
            )
        return f"In {year}, " + " and ".join(parts) + "."
    if language == "zh-hans":
        parts = []
        if lines:
            parts.append(f"查处非法光盘生产线{lines}条")
        if enterprises:
            parts.append(f"{enterprises}家有合法经营资质的企业因从事盗版被关停或处罚")
        return f"{year}年，" + "，".join(parts) + "。"
    parts = []
    if lines:
        noun = "нелегальной линии" if _is_singular_ru(lines) else "нелегальных линий"
        parts.append(f"пресечена деятельность {lines} {noun} по производству оптических дисков")
    if enterprises:
        noun = (
            "предприятию, имеющему законную лицензию,"
            if _is_singular_ru(enterprises)
            else "предприятиям, имеющим законные лицензии,"
        )
        parts.append(f"к {enterprises} {noun} за пиратство применены закрытие или наказание")
    return f"В {year} году " + "; ".join(parts) + "."
