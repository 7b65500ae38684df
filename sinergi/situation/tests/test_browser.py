import pytest

from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_an_overdue_action_from_the_kukar_room_and_mark_it_done(world, personas, page):
    boss = personas.coordinator
    decision = decision_make(boss, meeting_make(boss), "Camat memetakan kerawanan")
    action = action_make(boss, decision, title="Peta kerawanan Tenggarong", agency="kesbangpol-kukar")

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.sinergi_login("koordinator")
    page.goto("/situasi/64.02/")
    # Locator polling, not wait_for_function: the CSP forbids the eval that a string predicate needs.
    page.wait_for_selector("#situation-map[data-features]", state="attached")
    assert errors == []
    assert "Ruang situasi" in page.inner_text("h1")
    item = page.locator("#attention li", has_text="Peta kerawanan Tenggarong")
    assert "lewat tenggat" in item.inner_text()
    item.locator("a").click()
    page.wait_for_url(f"**/rapat/tindak-lanjut/{action.pk}/")
    assert page.inner_text("#action-status") == "Terbuka"

    page.select_option("#id_status", "done")
    page.fill("#id_note", "Peta kerawanan diterima dari camat, lurah dan kades.")
    page.click("#status-submit")
    page.wait_for_selector("text=Status tindak lanjut diperbarui.")
    assert page.inner_text("#action-status") == "Selesai"
    action.refresh_from_db()
    assert action.status == "done"

    page.goto("/situasi/64.02/")
    assert page.locator("#attention li", has_text="Peta kerawanan Tenggarong").count() == 0


def test_a_desa_room_draws_its_tps_instead_of_an_empty_map(world, personas, page):
    from sinergi.areas.models import PollingStation

    for i, tps in enumerate(PollingStation.objects.filter(desa_id="64.02.06.1001").order_by("code")):
        tps.lat, tps.lng = -0.42 + i * 0.002, 116.99 + i * 0.002
        tps.save(update_fields=["lat", "lng"])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.sinergi_login("koordinator")
    page.goto("/situasi/64.02.06.1001/")
    page.wait_for_selector("#situation-map[data-points]", state="attached")
    assert errors == []
    assert page.get_attribute("#situation-map", "data-points") == "3"
    assert page.locator("#situation-map .leaflet-interactive").count() == 3
    assert page.is_hidden("#map-empty")
