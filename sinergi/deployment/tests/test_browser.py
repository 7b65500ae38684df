"""In Chromium: a Polri planner solves the Kukar plan, opens a Polsek's annex, runs a scenario."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_solves_the_kukar_plan_and_opens_a_polsek_annex(page, units, planner_users):
    page.sinergi_login("perencana.polri")
    page.goto("/pengamanan/")
    page.fill("#plan-create input[name=title]", "Rencana Pilkada Kukar")
    page.click("#plan-create-submit")
    page.wait_for_selector("#units-table")
    assert page.inner_text("#plan-method") == "HiGHS"
    assert page.inner_text("#polri-short") == "0"
    page.locator("#posts-map[data-features='3']").wait_for(state="attached")
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


MARKUP = "<img src=x onerror=alert(1)>"


def test_names_with_markup_render_as_text_in_the_posts_map(page, units, planner_users):
    from sinergi.accounts.models import Agency
    from sinergi.areas.models import Area
    from sinergi.deployment.services import plan_create

    plan = plan_create(area_code="64.02", title="Peta", options={}, actor=planner_users["polri"])
    Area.objects.filter(code="64.02.06").update(name=f"Tenggarong {MARKUP}")
    Agency.objects.filter(code="polsek-tenggarong").update(name=f"Polsek {MARKUP}")
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.sinergi_login("perencana.polri")
    page.goto(f"/pengamanan/rencana/{plan.pk}/")
    page.locator("#posts-map[data-features='3']").wait_for(state="attached")
    # Open every post's tooltip (Leaflet binds them to the circle markers).
    page.evaluate(
        "() => document.querySelectorAll('#posts-map path.leaflet-interactive')"
        ".forEach(p => p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))"
    )
    page.wait_for_selector(".leaflet-tooltip")
    texts = page.eval_on_selector_all(".leaflet-tooltip", "els => els.map(e => e.textContent)")
    assert any(MARKUP in t for t in texts), texts
    assert page.eval_on_selector_all(".leaflet-tooltip img", "els => els.length") == 0
    assert dialogs == []
