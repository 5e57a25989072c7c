"""Categories: the default tree matches the published data, and validity periods keep past
years in the categories they were reported in."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from ipex.core.errors import DomainError
from ipex.seizures.models import Category
from ipex.seizures.reference import national_csv


def test_default_codes_match_the_published_csv(db):
    with national_csv(2012).open(encoding="utf-8") as handle:
        published = {row["category"] for row in csv.DictReader(handle)}
    tops = set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert tops == published
    children = set(
        Category.objects.filter(parent__code="audiovisual").values_list("code", flat=True)
    )
    assert children == {
        "audiovisual.cd",
        "audiovisual.vcd",
        "audiovisual.dvd",
        "audiovisual.bluray",
    }
    books = Category.objects.get(code="books")
    assert (books.name_zh_hans, books.name_ru) == ("图书", "Книги")


def test_a_reclassification_does_not_rewrite_past_years(record, people):
    old = Category.objects.get(code="other")
    old.valid_to = dt.date(2013, 12, 31)
    old.save()
    Category.objects.create(
        code="merchandise", name_en="Merchandise", valid_from=dt.date(2014, 1, 1), sort_order=99
    )
    record(day=dt.date(2012, 5, 1), items=[{"category": "other", "quantity": 5}])
    with pytest.raises(DomainError) as err:
        record(day=dt.date(2014, 5, 1), items=[{"category": "other", "quantity": 5}])
    assert "unknown category 'other'" in err.value.fields["items.1"][0]
    with pytest.raises(DomainError):
        record(day=dt.date(2012, 5, 1), items=[{"category": "merchandise", "quantity": 5}])
    record(day=dt.date(2014, 5, 1), items=[{"category": "merchandise", "quantity": 5}])


def test_categories_api_is_public(db, client):
    response = client.get("/api/v1/categories", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    names = {row["code"]: row["name"] for row in response.json()}
    assert names["audiovisual"] == "音像制品"
