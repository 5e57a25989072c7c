"""Recording seizures: validation of every bad input, all-or-nothing, figures kept current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import AuditEntry
from ipex.seizures import services
from ipex.seizures.models import SeizedItem, Seizure, StatFigure
from ipex.seizures.queries import seizure_stats


def figure(area, category, source="records", year=2012, subcategory=""):
    row = StatFigure.objects.filter(
        source=source,
        year=year,
        jurisdiction__code=area,
        category=category,
        subcategory=subcategory,
    ).first()
    return row.quantity if row else 0


def test_recording_a_seizure_updates_figures_up_to_the_country(record, people):
    seizure = record()
    assert seizure.items.count() == 2
    assert seizure.total_quantity == 1500
    for area in ("CN-GD-SZ-BA", "CN-GD", "CN"):
        assert figure(area, "audiovisual") == 1200
        assert figure(area, "audiovisual", subcategory="audiovisual.dvd") == 1200
        assert figure(area, "books") == 300
    assert figure("CN-ZJ", "books") == 0
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.changes) == (
        "seizures.seizure.recorded",
        {"items": 2, "quantity": 1500},
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"category": "books", "quantity": "abc"}, "'abc' is not a number"),
        ({"category": "books", "quantity": -5}, "cannot be negative"),
        ({"category": "books", "quantity": "2.5"}, "whole numbers"),
        ({"category": "comics", "quantity": 5}, "unknown category 'comics'"),
        ({"category": "books", "quantity": ""}, "a quantity is required"),
        (
            {"category": "books", "quantity": 5, "value_amount": "10", "value_currency": "X"},
            "three letters",
        ),
    ],
)
def test_bad_item_is_refused_and_nothing_is_written(record, item, message):
    with pytest.raises(DomainError) as err:
        record(items=[{"category": "books", "quantity": 1}, item])
    assert any(message in m for m in err.value.fields["items.2"])
    assert not Seizure.objects.exists()
    assert not SeizedItem.objects.exists()
    assert not StatFigure.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2099-01-01", "in the future"),
        ("12/03/2012", "is not a date"),
        ("1950-01-01", "too far in the past"),
    ],
)
def test_bad_dates_are_refused(record, day, message):
    with pytest.raises(DomainError) as err:
        record(day=day)
    assert message in err.value.fields["seized_on"][0]
    assert not Seizure.objects.exists()


def test_a_future_date_is_refused_even_one_day_ahead(record):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError):
        record(day=tomorrow)


def test_a_place_outside_the_organisations_jurisdiction_is_refused(record, areas):
    with pytest.raises(DomainError) as err:
        record(where=areas.zj)
    assert err.value.code == "outside_jurisdiction"
    assert not Seizure.objects.exists()


def test_an_officer_cannot_record_for_another_organisation(record, people, orgs):
    with pytest.raises(Forbidden):
        record(who=people.colleague, owner=orgs.ba)
    assert not Seizure.objects.exists()


def test_a_seizure_without_items_is_refused(record):
    with pytest.raises(DomainError) as err:
        record(items=[])
    assert "items" in err.value.fields


def test_editing_moves_the_figures(record, people, areas):
    seizure = record()
    services.seizure_update(
        actor=people.owner, seizure=seizure, items=[{"category": "software", "quantity": 40}]
    )
    assert figure("CN", "audiovisual") == 0
    assert figure("CN", "books") == 0
    assert figure("CN", "software") == 40
    seizure.refresh_from_db()
    assert seizure.version == 2


def test_editing_by_a_supervisor_is_refused(record, people):
    seizure = record()
    with pytest.raises(Forbidden):
        services.seizure_update(actor=people.supervisor, seizure=seizure, place="elsewhere")
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_withdrawing_removes_the_figures(record, people):
    seizure = record()
    services.seizure_withdraw(actor=people.owner, seizure=seizure, reason="recorded twice")
    assert figure("CN", "audiovisual") == 0
    assert not Seizure.objects.visible_to(people.owner).exists()


def test_record_figures_are_for_statisticians_and_supervisors_of_the_area(record, people):
    record()
    rows = seizure_stats(
        people.supervisor, area="CN-GD", year=2012, by="category", source="records"
    )
    assert {r["category"]: r["quantity"] for r in rows}["audiovisual"] == 1200
    national = seizure_stats(people.national, area="CN", year=2012, by="category", source="records")
    assert {r["category"]: r["quantity"] for r in national}["audiovisual"] == 1200
    with pytest.raises(Forbidden, match="your own organisation's area"):
        seizure_stats(people.supervisor, area="CN", year=2012, by="category", source="records")
    with pytest.raises(Forbidden):
        seizure_stats(people.owner, area="CN", year=2012, by="category", source="records")
    with pytest.raises(Forbidden):
        seizure_stats(None, area="CN", year=2012, by="category", source="records")
