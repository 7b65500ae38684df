"""A real browser: the finance office opens the regency overview, then one agreement, and records a
disbursement through the form."""

import datetime as dt

import pytest

from sinergi.grants.tests.factories import agreement_make, post
from testkit.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_and_one_agreement(page, users):
    kpu = agreement_make(
        users["finance"],
        amount="76055000000",
        policy="41-2020-bertahap",
        signed_on=dt.date(2023, 11, 10),
        budget_years=[(2023, "30422000000"), (2024, "45633000000")],
    )
    post(users["finance"], kpu, "disbursement", "30422000000", "d1", entry_date=dt.date(2023, 11, 28))
    agreement_make(users["finance"], recipient="polres-kukar", amount="8100000000")

    page.sinergi_login("keuangan", PASSWORD)
    page.goto("/hibah/64.02/")
    assert page.locator(".agreements-table tbody tr").count() == 2
    assert page.locator("#total-amount").inner_text() == "Rp 84.155.000.000"
    assert page.locator("#late-count").inner_text() == "2"  # KPU's 60 % and Polres' lump sum are overdue

    page.click(".agreements-table a:has-text('Kpu Kukar')")
    page.wait_for_url("**/hibah/nphd/pilbup-kukar-2024/kpu-kukar/")
    assert page.locator("#timeline svg path.series-disbursed").count() == 1
    assert page.locator("#tranches tr[data-status='paid']").count() == 1
    assert page.locator("#tranches tr[data-status='late']").count() == 1

    # The form's show/hide now comes from static/grants/grants.js (no inline script under the CSP).
    page.select_option("#id_kind", "correction")
    assert page.locator("[data-field=amount]").is_hidden()
    assert page.locator("[data-field=reverses_seq]").is_visible()
    page.select_option("#id_kind", "disbursement")
    assert page.locator("[data-field=reverses_seq]").is_hidden()
    page.fill("#id_amount", "45.633.000.000")
    page.fill("#id_entry_date", "2024-06-20")
    page.fill("#id_reference", "SP2D 05213/LS/2024")
    page.click("#entry-submit")
    page.wait_for_selector(".messages li")
    assert page.locator("#disbursed").inner_text() == "Rp 76.055.000.000"
    assert page.locator("#tranches tr[data-status='paid']").count() == 2
    assert page.locator("#ledger tbody tr").count() == 2
