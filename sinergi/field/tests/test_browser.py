"""In real Chromium at 360 x 740: install the service worker, go offline, queue a turnout report, an
incident with a photo and a checklist, close the page and open it again (still offline), go online,
and see each stored on the server exactly once with its receipt saying so; a refusal comes back with
its reason."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from sinergi.field.tests.conftest import OUTSIDE_DESA, OWN_TPS
from sinergi.incidents.models import Report as IncidentReport
from sinergi.risk.models import Checklist
from sinergi.turnout.models import QualityRule
from sinergi.turnout.models import Report as TurnoutReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def camera_photo() -> bytes:
    """A photo as a phone camera takes it: larger than the app sends."""
    image = Image.new("RGB", (2400, 1800), "skyblue")
    image.paste(Image.new("RGB", (800, 600), "darkgreen"), (400, 300))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def open_app(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/lapangan/")
    page.wait_for_selector("body.ready")


def install(page) -> None:
    open_app(page)
    assert page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    page.reload()  # now under the worker's control, with shell and reference data cached
    page.wait_for_selector("body.ready")


def fits_the_phone(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def receipts(page, state: str):
    page.goto("/lapangan/#kiriman")
    page.wait_for_selector("body.ready")
    return page.locator(f"#receipts li[data-state={state}]")


def test_offline_reports_are_sent_once_when_the_network_returns(page, officer, election, checklist_round):
    # The test's clock is not voting day: the off-schedule quality rule would flag any report.
    QualityRule.objects.filter(code="off_schedule").update(enabled=False)
    page.sinergi_login(officer.username)
    install(page)
    context = page.context
    context.set_offline(True)
    page.reload()  # the shell and the reference data open with no network at all
    page.wait_for_selector("body.ready")
    assert "Sukarame" in page.inner_text("#who")
    assert page.inner_text("#net") == "Tanpa sinyal: laporan disimpan di HP"
    fits_the_phone(page)

    page.click("a[href='#partisipasi']")
    form = page.locator("#form-turnout")
    assert "TPS 001 · Sukarame" in form.locator(".chosen-label").inner_text()  # the own TPS, no code typed
    form.locator("select[name=checkpoint]").select_option("09")
    form.locator("input[name=voters]").fill("85")
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")
    page.locator("#receipts li[data-state=waiting]").first.wait_for()

    page.goto("/lapangan/#kejadian")
    page.wait_for_selector("body.ready")
    form = page.locator("#form-incident")
    form.locator("select[name=category]").select_option("politik-uang")
    form.locator("textarea[name=description]").fill("Ada pembagian amplop di dekat TPS pagi ini")
    form.locator("input[name=photo]").set_input_files(
        {"name": "kamera.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
    )
    form.locator(".photo-note").wait_for()
    fits_the_phone(page)
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")

    page.goto("/lapangan/#periksa")
    page.wait_for_selector("body.ready")
    form = page.locator("#form-checklist")
    assert checklist_round.name in form.locator(".round-name").inner_text()
    form.locator(".q input[type=checkbox]").first.check()
    fits_the_phone(page)
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")
    page.locator("#receipts li[data-state=waiting]").nth(2).wait_for()
    fits_the_phone(page)
    assert page.locator("#receipts li[data-state=waiting]").count() == 3
    expect(page.locator("#pending-count")).to_have_text("3")

    # Close the app and open it again, still offline: the outbox is on the phone.
    page.close()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    receipts(page, "waiting").nth(2).wait_for()
    assert receipts(page, "waiting").count() == 3
    assert not TurnoutReport.objects.exists() and not IncidentReport.objects.exists()
    assert not Checklist.objects.exists()

    context.set_offline(False)
    page.locator("#receipts li[data-state=stored]").nth(2).wait_for(timeout=30_000)
    assert page.locator("#receipts li[data-state=waiting]").count() == 0

    turnout = TurnoutReport.objects.get()
    assert (turnout.slot.tps_id, turnout.voters, turnout.reporter_id) == (OWN_TPS, 85, officer.pk)
    assert (turnout.client_id or "").startswith("hp-")
    incident = IncidentReport.objects.get()
    assert incident.polling_station_id == OWN_TPS and incident.reporter_id == officer.pk
    attachment = incident.attachments.get()
    with Image.open(attachment.file) as stored:  # resized on the phone before it queued
        assert max(stored.size) == 1280 and stored.format == "JPEG"
    checklist = Checklist.objects.get()
    assert checklist.tps_id == OWN_TPS and checklist.round_id == checklist_round.pk

    # Reopened online: nothing is sent twice.
    page.reload()
    page.wait_for_selector("body.ready")
    page.evaluate("() => window.sinergiField.flush(true)")
    assert TurnoutReport.objects.count() == 1 and IncidentReport.objects.count() == 1
    assert Checklist.objects.count() == 1
    receipts(page, "stored").nth(2).wait_for()
    assert receipts(page, "stored").count() == 3


def test_a_refusal_and_a_flag_come_back_to_the_receipts(page, roaming_officer, election):
    QualityRule.objects.filter(code="off_schedule").update(enabled=False)
    page.sinergi_login(roaming_officer.username)
    install(page)
    page.context.set_offline(True)
    page.goto("/lapangan/#partisipasi")
    page.wait_for_selector("body.ready")
    form = page.locator("#form-turnout")
    form.locator("input[name=voters]").fill("900")  # more than the own TPS's DPT
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")
    page.goto("/lapangan/#partisipasi")
    page.wait_for_selector("body.ready")
    form = page.locator("#form-turnout")
    form.locator(".find-text").fill("Rawa")  # a TPS found by its desa name, in no election here
    form.locator(f".hit[data-code='{OUTSIDE_DESA}.001']").click()
    form.locator("input[name=voters]").fill("40")
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")
    page.context.set_offline(False)
    refused = page.locator("#receipts li[data-state=refused]")
    refused.wait_for(timeout=30_000)
    assert f"Ditolak\nTPS {OUTSIDE_DESA}.001 bukan TPS Pilbup Kukar 2024" in refused.inner_text()
    flagged = page.locator("#receipts li[data-state=flagged]")
    flagged.wait_for()
    assert "Perlu koreksi" in flagged.inner_text() and "900 pemilih > batas" in flagged.inner_text()
    assert TurnoutReport.objects.get().slot.tps_id == OWN_TPS  # the refused one stored nothing


def test_a_report_waiting_too_long_is_offered_as_an_sms(page, officer, election):
    page.sinergi_login(officer.username)
    install(page)
    page.context.set_offline(True)
    page.clock.install()
    page.goto("/lapangan/#partisipasi")
    page.wait_for_selector("body.ready")
    form = page.locator("#form-turnout")
    form.locator("select[name=checkpoint]").select_option("11")
    form.locator("input[name=voters]").fill("85")
    form.locator("button.send").click()
    page.wait_for_url("**#kiriman")
    waiting = page.locator("#receipts li[data-state=waiting]")
    waiting.wait_for()
    assert waiting.locator("a.sms").count() == 0  # not yet: it has not waited long
    page.clock.fast_forward("16:00")
    page.click("#send-now")
    link = page.locator("#receipts li[data-state=waiting] a.sms")
    link.wait_for()
    assert link.get_attribute("href") == f"sms:?body=TPS%20{OWN_TPS}%2011%2085"
    assert f"TPS {OWN_TPS} 11 85" in waiting.inner_text()


def test_a_phone_clock_hours_ahead_does_not_date_an_incident_in_the_future(page, officer, election):
    import datetime as dt

    from django.utils import timezone

    QualityRule.objects.filter(code="off_schedule").update(enabled=False)
    page.sinergi_login(officer.username)
    page.clock.install(time=timezone.now() + dt.timedelta(hours=3))  # the phone's clock is 3 hours ahead
    open_app(page)
    page.goto("/lapangan/#partisipasi")
    page.fill("#form-turnout input[name=voters]", "85")
    page.click("#form-turnout button.send")
    page.locator("#receipts li[data-state=stored]").wait_for()  # a live answer: its Date header sets the offset
    page.goto("/lapangan/#kejadian")
    form = page.locator("#form-incident")
    form.locator("textarea[name=description]").fill("Ada pembagian amplop di dekat TPS pagi ini")
    form.locator("button.send").click()
    page.locator("#receipts li[data-state=stored]").nth(1).wait_for()
    incident = IncidentReport.objects.get()
    assert abs((incident.occurred_at - timezone.now()).total_seconds()) < 300


def test_a_logged_out_phone_drops_the_cached_shell_and_data(page, officer, election):
    page.sinergi_login(officer.username)
    install(page)
    cached = "async () => !!(await caches.match('/api/v1/field/reference')) && !!(await caches.match('/lapangan/'))"
    assert page.evaluate(cached)
    page.context.clear_cookies()  # the session ended (logout, expiry)
    page.goto("/lapangan/")
    page.wait_for_url("**/akun/masuk/**")
    gone = "async () => !(await caches.match('/api/v1/field/reference'))"
    for _ in range(50):  # the worker deletes them right after answering the navigation
        if page.evaluate(gone):
            break
        page.wait_for_timeout(100)
    assert not page.evaluate("async () => !!(await caches.match('/api/v1/field/reference'))")
    assert not page.evaluate("async () => !!(await caches.match('/lapangan/'))")
