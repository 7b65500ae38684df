"""Reach's pages fit a 360 px phone: the broadcast form with its preview, the delivery board, the
rehearsal board and the call list with its call form."""

import pytest

from sinergi.reach import services
from sinergi.reach.tests.factories import roster_make

PHONE = {"width": 360, "height": 740}


def _narrow(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reach_pages_fit_a_phone(page, world, personas, channels_on):
    roster_make()
    page.set_viewport_size(PHONE)
    page.sinergi_login(personas.coordinator.username)
    page.goto("/jangkauan/siaran/baru/")
    page.fill("#id_area_code", "64.02.06")
    page.check("input[name=agency_kinds][value=kpps]")
    page.fill("#id_text", "Uji siaran dari ponsel")
    page.click("#preview-button")
    assert "6 penerima di Tenggarong" in page.locator("#preview h2").inner_text()
    _narrow(page)
    page.click("#send-button")
    page.wait_for_url("**/jangkauan/siaran/*/")
    assert page.locator("#board-total th").nth(1).inner_text() == "6"
    _narrow(page)
    services.test_report_record(user=personas.coordinator, channel="web")
    page.goto("/jangkauan/gladi/64.02.06/")
    assert page.locator("#staff").inner_text() == "14"
    _narrow(page)
    page.goto("/jangkauan/telepon/64.02.06/")
    assert page.locator("#call-list tbody tr").count() == 14
    _narrow(page)
    first = page.locator("#call-list tbody tr").first
    first.locator("select[name=outcome]").select_option("no_answer")
    first.locator("button").click()
    page.wait_for_url("**/jangkauan/telepon/64.02.06/")
    assert "tidak diangkat" in page.locator("#contact-log tbody").inner_text()
    _narrow(page)
