"""The national paragraph of a seizure bulletin agrees with the published NCAC figures.

Pure Python: no database, so none of these tests uses the ``db`` fixture.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipex.seizures.bulletin import (
    LANGUAGES,
    TOP_CATEGORIES,
    format_quantity,
    national_paragraph,
)
from ipex.seizures.reference import national_csv

# CI copies shared/ beside the repository clone, not inside it.
CSV_PATH = national_csv(2012)

NBSP = "\xa0"

EN_REFERENCE = (
    "107 million pirated items seized nationwide, including 19.08 million books, "
    "1.14 million periodicals, 65.87 million audiovisual products, 13.01 million electronic "
    "publications, 7.74 million software discs and 90 thousand items of other kinds."
)
ZH_2012 = (
    "2012年，各级版权管理部门共查缴各类盗版品1.07亿件，其中图书1908万册、期刊114万份、"
    "音像制品6587万盘、电子出版物1301万张、软件光盘774万张、其他9万件。"
)
RU_2012 = (
    "В 2012 году органы всех уровней сообщили об изъятии по всей стране 107\xa0млн единиц "
    "пиратской продукции, в том числе 19,08\xa0млн книг, 1,14\xa0млн периодических изданий, "
    "65,87\xa0млн единиц аудиовизуальной продукции, 13,01\xa0млн электронных изданий, "
    "7,74\xa0млн дисков с программным обеспечением и 90\xa0тыс. единиц прочей продукции."
)


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def figures_2012() -> dict[str, int]:
    return {row["category"]: int(row["quantity"]) for row in _rows() if row["year"] == "2012"}


def test_csv_covers_every_category(figures_2012):
    assert set(figures_2012) == set(TOP_CATEGORIES)


def test_english_paragraph_states_the_reference_sentence(figures_2012):
    text = national_paragraph(year=2012, figures=figures_2012, language="en")
    assert EN_REFERENCE in text
    assert text == "In 2012, administrations at all levels reported " + EN_REFERENCE


def test_english_paragraph_with_country(figures_2012):
    text = national_paragraph(year=2012, figures=figures_2012, language="en", country="China")
    assert "107 million pirated items seized nationwide in China, including 19.08 million" in text


def test_chinese_paragraph(figures_2012):
    assert national_paragraph(year=2012, figures=figures_2012, language="zh-hans") == ZH_2012


def test_russian_paragraph_keeps_no_break_spaces(figures_2012):
    assert national_paragraph(year=2012, figures=figures_2012, language="ru") == RU_2012


@pytest.mark.parametrize("language", ["zh-hans", "ru"])
def test_country_is_ignored_outside_english(figures_2012, language):
    with_country = national_paragraph(
        year=2012, figures=figures_2012, language=language, country="X"
    )
    assert with_country == national_paragraph(year=2012, figures=figures_2012, language=language)


def test_order_of_figures_does_not_matter(figures_2012):
    reversed_figures = dict(reversed(list(figures_2012.items())))
    assert EN_REFERENCE in national_paragraph(year=2012, figures=reversed_figures, language="en")


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["category"])
def test_published_as_matches_format_quantity(row):
    assert format_quantity(int(row["quantity"]), "en") == row["published_as"]


@pytest.mark.parametrize(
    ("n", "language", "total", "expected"),
    [
        (19_080_000, "en", False, "19.08 million"),
        (1_140_000, "en", False, "1.14 million"),
        (90_000, "en", False, "90 thousand"),
        (107_000_000, "en", True, "107 million"),
        (107_000_000, "en", False, "107 million"),
        (106_930_000, "en", True, "107 million"),
        (106_930_000, "en", False, "106.93 million"),
        (9_999, "en", False, "9,999"),
        (9_999, "en", True, "9,999"),
        (1_234, "en", True, "1,234"),
        (0, "en", False, "0"),
        (19_080_000, "zh-hans", False, "1908万"),
        (1_140_000, "zh-hans", False, "114万"),
        (90_000, "zh-hans", False, "9万"),
        (107_000_000, "zh-hans", True, "1.07亿"),
        (106_930_000, "zh-hans", True, "1.07亿"),
        (9_999, "zh-hans", False, "9,999"),
        (19_080_000, "ru", False, f"19,08{NBSP}млн"),
        (90_000, "ru", False, f"90{NBSP}тыс."),
        (107_000_000, "ru", True, f"107{NBSP}млн"),
        (106_930_000, "ru", True, f"107{NBSP}млн"),
        (9_999, "ru", False, f"9{NBSP}999"),
        # Rounding a total is half up, to three significant figures.
        (1_065_000_000, "en", True, "1.07 billion"),
        (999_500, "en", True, "1 million"),
        (12_345, "en", True, "12.3 thousand"),
    ],
)
def test_format_quantity(n, language, total, expected):
    assert format_quantity(n, language, total=total) == expected


def test_zero_categories_are_left_out():
    figures = {"books": 19_080_000, "periodicals": 0, "software": 7_740_000, "other": 0}
    en = national_paragraph(year=2012, figures=figures, language="en")
    assert en == (
        "In 2012, administrations at all levels reported 26.8 million pirated items seized "
        "nationwide, including 19.08 million books and 7.74 million software discs."
    )
    zh = national_paragraph(year=2012, figures=figures, language="zh-hans")
    assert zh == (
        "2012年，各级版权管理部门共查缴各类盗版品2680万件，其中图书1908万册、软件光盘774万张。"
    )
    ru = national_paragraph(year=2012, figures=figures, language="ru")
    assert ru == (
        "В 2012 году органы всех уровней сообщили об изъятии по всей стране 26,8\xa0млн единиц "
        "пиратской продукции, в том числе 19,08\xa0млн книг и 7,74\xa0млн дисков с программным "
        "обеспечением."
    )
    for text in (en, zh, ru):
        assert "期刊" not in text
        assert "periodical" not in text
        assert "периодических" not in text


def test_single_category():
    figures = {"books": 19_080_000}
    en = national_paragraph(year=2013, figures=figures, language="en")
    assert en == (
        "In 2013, administrations at all levels reported 19.1 million pirated items seized "
        "nationwide: 19.08 million books."
    )
    assert "including" not in en
    assert " and " not in en
    zh = national_paragraph(year=2013, figures=figures, language="zh-hans")
    assert zh == "2013年，各级版权管理部门共查缴盗版品1910万件，均为图书，计1908万册。"
    ru = national_paragraph(year=2013, figures=figures, language="ru")
    assert ru == (
        "В 2013 году органы всех уровней сообщили об изъятии по всей стране 19,1\xa0млн единиц "
        "пиратской продукции: 19,08\xa0млн книг."
    )
    assert "в том числе" not in ru


def test_small_full_quantities_agree_in_number():
    figures = {"books": 1, "software": 21}
    en = national_paragraph(year=2013, figures=figures, language="en")
    assert "22 pirated items" in en
    assert "1 book and 21 software discs." in en
    ru = national_paragraph(year=2013, figures=figures, language="ru")
    assert "22 единиц пиратской продукции, в том числе 1 книги и 21 диска с программным" in ru


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "In 2014, administrations at all levels reported no pirated items seized nationwide.",
        ),
        ("zh-hans", "2014年，各级版权管理部门未报告查缴任何盗版品。"),
        ("ru", "В 2014 году органы всех уровней не сообщили об изъятии пиратской продукции."),
    ],
)
@pytest.mark.parametrize("figures", [{}, {"books": 0, "other": 0}], ids=["empty", "zeros"])
def test_no_seizures(language, expected, figures):
    assert national_paragraph(year=2014, figures=figures, language=language) == expected


def test_no_seizures_with_country():
    text = national_paragraph(year=2014, figures={}, language="en", country="Russia")
    assert text.endswith("reported no pirated items seized nationwide in Russia.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_negative_quantity_is_rejected(language):
    with pytest.raises(ValueError, match="negative"):
        format_quantity(-1, language)
    with pytest.raises(ValueError, match="negative"):
        national_paragraph(year=2012, figures={"books": 5, "other": -1}, language=language)


@pytest.mark.parametrize("language", ["fr", "zh", "zh_Hans_CN", "", "EN"])
def test_unknown_language_is_rejected(language):
    with pytest.raises(ValueError, match="language"):
        format_quantity(1, language)
    with pytest.raises(ValueError, match="language"):
        national_paragraph(year=2012, figures={"books": 1}, language=language)


def test_unknown_category_is_rejected():
    with pytest.raises(ValueError, match="categories"):
        national_paragraph(year=2012, figures={"posters": 5}, language="en")


def test_non_integer_quantity_is_rejected():
    with pytest.raises(TypeError):
        format_quantity(1.5, "en")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_quantity(True, "en")


@given(
    figures=st.dictionaries(
        st.sampled_from(TOP_CATEGORIES), st.integers(min_value=0, max_value=10**13)
    ),
    year=st.integers(min_value=1990, max_value=2100),
)
def test_paragraph_states_the_total_and_no_negative_sign(figures, year):
    total = sum(figures.values())
    for language in LANGUAGES:
        text = national_paragraph(year=year, figures=figures, language=language)
        if total:
            assert format_quantity(total, language, total=True) in text
        else:
            assert national_paragraph(year=year, figures={}, language=language) == text
        assert "-" not in text
        assert "\u2212" not in text  # MINUS SIGN, as some locales write negatives


# ---------------------------------------------------------------- enforcement sentence


@pytest.mark.parametrize(
    ("lines", "enterprises", "language", "expected"),
    [
        (
            233,
            8,
            "en",
            "In 2013, 233 unauthorised optical-disc production lines were cracked down and 8 "
            "enterprises with legal business certificates were shut down or punished for piracy.",
        ),
        (
            1,
            1,
            "en",
            "In 2013, 1 unauthorised optical-disc production line was cracked down and 1 "
            "enterprise with a legal business certificate was shut down or punished for piracy.",
        ),
        (
            0,
            8,
            "en",
            "In 2013, 8 enterprises with legal business certificates were shut down or punished "
            "for piracy.",
        ),
        (
            233,
            8,
            "zh-hans",
            "2013年，查处非法光盘生产线233条，8家有合法经营资质的企业因从事盗版被关停或处罚。",
        ),
        (
            21,
            1,
            "ru",
            "В 2013 году пресечена деятельность 21 нелегальной линии по производству оптических "
            "дисков; к 1 предприятию, имеющему законную лицензию, за пиратство применены "
            "закрытие или наказание.",
        ),
        (
            233,
            0,
            "ru",
            "В 2013 году пресечена деятельность 233 нелегальных линий по производству "
            "оптических дисков.",
        ),
    ],
)
def test_enforcement_sentence(lines, enterprises, language, expected):
    from ipex.seizures.bulletin import enforcement_paragraph

    assert (
        enforcement_paragraph(year=2013, lines=lines, enterprises=enterprises, language=language)
        == expected
    )


def test_no_enforcement_sentence_when_nothing_was_done_and_bad_input_is_refused():
    from ipex.seizures.bulletin import enforcement_paragraph

    assert enforcement_paragraph(year=2013, lines=0, enterprises=0, language="en") == ""
    with pytest.raises(ValueError):
        enforcement_paragraph(year=2013, lines=-1, enterprises=0, language="en")
    with pytest.raises(ValueError):
        enforcement_paragraph(year=2013, lines=1, enterprises=0, language="de")
