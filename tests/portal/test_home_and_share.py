"""The home page shows each app's panels that have something for the reader, in the app
order; the share form reaches the records of the kinds registered for it, and only those."""

from __future__ import annotations

import datetime as dt

from ipex.core.models import Distribution
from ipex.core.registry import DashboardPanel, dashboard_panels
from ipex.seizures.models import Seizure
from tests.conftest import client_for


def test_home_shows_the_panels_that_have_something_for_the_reader_in_order(people):
    admin_page = client_for(people.admin).get("/").content.decode()
    positions = [
        admin_page.index(f'id="{heading}"')
        for heading in ("h-roles", "h-admin", "h-jobs", "h-recent")
    ]
    assert positions == sorted(positions)
    officer_page = client_for(people.owner).get("/").content.decode()
    assert 'id="h-roles"' in officer_page
    for hidden in ("h-admin", "h-sub", "h-groups", "h-tasks", "h-tips"):
        assert f'id="{hidden}"' not in officer_page


def test_a_panel_registered_by_an_app_appears_on_the_home_page(people):
    dashboard_panels.register(
        "test.hello",
        DashboardPanel("directory/_panel_roles.html", lambda user: {"memberships": []}),
        order=1,
    )
    try:
        page = client_for(people.owner).get("/").content.decode()
    finally:
        dashboard_panels._entries.pop("test.hello")
    assert page.count('id="h-roles"') == 2
    assert "You do not belong to any organisation yet" in page


def test_share_form_changes_who_sees_a_seizure_and_returns_to_its_page(record, people):
    seizure = record()
    assert client_for(people.colleague).get(f"/seizures/{seizure.uuid}/").status_code == 404
    response = client_for(people.owner).post(
        f"/share/seizure/{seizure.uuid}", {"distribution": Distribution.NODE}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/seizures/{seizure.uuid}/"
    seizure.refresh_from_db()
    assert seizure.distribution == Distribution.NODE
    assert client_for(people.colleague).get(f"/seizures/{seizure.uuid}/").status_code == 200


def test_share_form_is_404_for_an_unknown_kind_or_a_record_the_user_cannot_see(record, people):
    seizure = record(day=dt.date(2012, 3, 15))
    post = {"distribution": Distribution.NODE}
    assert client_for(people.owner).post(f"/share/memo/{seizure.uuid}", post).status_code == 404
    assert (
        client_for(people.colleague).post(f"/share/seizure/{seizure.uuid}", post).status_code == 404
    )
    assert Seizure.objects.get(pk=seizure.pk).distribution == Distribution.ORG
