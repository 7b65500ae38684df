"""The token page fits a 360 px phone: each token becomes a small card that names its fields."""

import pytest

from sinergi.accounts.tokens import token_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_token_page_is_no_wider_than_a_phone(page, personas):
    token_create(user=personas.coordinator, name="laptop-posko-kecamatan")
    page.set_viewport_size({"width": 360, "height": 740})
    page.sinergi_login(personas.coordinator.username)
    page.goto("/akun/token/")
    row = page.locator("#tokens tbody tr").first
    assert "laptop-posko-kecamatan" in row.inner_text() and "WITA" in row.inner_text()  # Kukar's zone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    # On a phone each cell names its column (the table head is hidden).
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('#tokens td[data-label]'), '::before').content"
    )
    assert label == '"Nama: "'
    assert not page.locator("#tokens thead").is_visible()
