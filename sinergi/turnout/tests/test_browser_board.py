"""The voting-day board refreshes itself when reports arrive, without reloading the page."""

import re

import pytest
from playwright.sync_api import expect

from sinergi.accounts.roles import Role
from sinergi.areas.models import Election
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.setup import election_prepare
from sinergi.turnout.tests.conftest import at
from testkit.builders import user_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_updates_when_reports_arrive(page, world, personas):
    election = Election.objects.get(slug="pilbup-kukar-2024")
    election_prepare(election)
    operator = user_make("kpu.kukar", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    page.sinergi_login("koordinator")
    page.goto("/partisipasi/64.02/?titik=11")
    assert page.locator("#reported-tps").inner_text().startswith("0 /")
    page.evaluate("window.__marker = 'same page'")
    reports_submit(
        election=election,
        items=[ReportInput(tps_code=f"64.02.06.1001.00{i}", checkpoint="11", voters=150) for i in (1, 2)],
        actor=operator,
        at=at(11, 5),
    )
    # Locator polling, not wait_for_function: the CSP forbids the eval that a string predicate needs.
    expect(page.locator("#reported-tps")).to_have_text(re.compile(r"^2 /"), timeout=20_000)
    assert page.evaluate("window.__marker") == "same page"  # updated in place, not reloaded
    assert "51,72 %" in page.locator("#turnout-pct").inner_text()
    assert page.locator("#children-table tr[data-code='64.02.06']").count() == 1
