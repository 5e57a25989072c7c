"""The default category tree (DESIGN): codes match seizures/data/national-seizures-2012-CN.csv."""

from __future__ import annotations

# code, parent code, en, zh-hans, ru
DEFAULT_CATEGORIES = [
    ("books", None, "Books", "图书", "Книги"),
    ("periodicals", None, "Periodicals", "期刊", "Периодические издания"),
    ("audiovisual", None, "Audiovisual products", "音像制品", "Аудиовизуальная продукция"),
    ("audiovisual.cd", "audiovisual", "CD", "CD", "CD"),
    ("audiovisual.vcd", "audiovisual", "VCD", "VCD", "VCD"),
    ("audiovisual.dvd", "audiovisual", "DVD", "DVD", "DVD"),
    ("audiovisual.bluray", "audiovisual", "Blu-ray", "蓝光光盘", "Blu-ray"),
    (
        "electronic_publications",
        None,
        "Electronic publications",
        "电子出版物",
        "Электронные издания",
    ),
    ("software", None, "Software", "软件", "Программное обеспечение"),
    ("other", None, "Other", "其他", "Прочее"),
]


def seed_categories(category_model) -> int:
    """Create the default tree where missing (idempotent); works on historical models too."""
    created = 0
    by_code = {}
    for order, (code, parent, en, zh, ru) in enumerate(DEFAULT_CATEGORIES):
        category, was_created = category_model.objects.get_or_create(
            code=code,
            valid_to=None,
            defaults={
                "parent": by_code.get(parent),
                "name_en": en,
                "name_zh_hans": zh,
                "name_ru": ru,
                "sort_order": order,
            },
        )
        by_code[code] = category
        created += was_created
    return created
