"""In Chromium: a Polri planner solves the Kukar plan, opens a Polsek's annex, runs a scenario."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_solves_the_kukar_plan_and_opens_a_polsek_annex(page, units, planner_users, no_risk):
    page.sinergi_login("perencana.polri")
    page.goto("/pengamanan/")
    page.fill("#plan-create input[name=title]", "Rencana Pilkada Kukar")
    page.click("#plan-create-submit")
    page.wait_for_selector("#units-table")
    assert page.inner_text("#plan-method") == "HiGHS"
    assert page.inner_text("#polri-short") == "0"
    page.wait_for_function("document.getElementById('posts-map').dataset.features === '3'")
    page.click("#units-table >> text=Polsek Tenggarong >> xpath=.. >> a:has-text('lihat')")
    page.wait_for_selector("#annex-table")
    assert "64.02.06.1001.001" in page.inner_text("#annex-table")
    assert page.get_attribute("#annex-pdf", "href").endswith("polsek-tenggarong.pdf")
    page.go_back()
    page.check("#scenario-form input[name=without_bko]")
    page.select_option("#scenario-form select[name=raise_area]", "64.02.06")
    page.click("#scenario-submit")
    page.wait_for_selector("#compare-table")
    assert "Δ" in page.inner_text("#compare-table")
