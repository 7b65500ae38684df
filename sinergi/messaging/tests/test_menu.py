"""The outbox link is shown only to roles whose rule lets them open it (no menu link answers 403)."""

import pytest

from sinergi.conftest import client_for

pytestmark = pytest.mark.django_db


def _menu_links(user) -> list[str]:
    response = client_for(user).get("/wilayah/", follow=True)
    assert response.status_code == 200
    return [url for _label, url, _active in response.context["nav_items"]]


def test_outbox_link_shown_to_coordinator_who_can_open_it(personas):
    assert "/pesan/" in _menu_links(personas.coordinator)
    assert client_for(personas.coordinator).get("/pesan/").status_code == 200


def test_outbox_link_hidden_from_field_officer_who_would_get_403(personas):
    links = _menu_links(personas.field_officer)
    assert "/pesan/" not in links
    assert "/wilayah/" in links  # the rest of the menu stays
    assert client_for(personas.field_officer).get("/pesan/").status_code == 403
