import pytest

from sinergi.incidents.models import Report
from sinergi.incidents.tests.factories import TENGGARONG_TPS, kapolsek

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_field_officer_files_a_report_that_arrives_in_the_polsek_queue(personas, page):
    kapolsek()
    page.sinergi_login("petugas")
    page.goto("/laporan/baru/")
    page.select_option("#id_category", "intimidasi-kekerasan")
    page.fill("#id_area_code", TENGGARONG_TPS)
    page.select_option("#id_severity", "3")
    page.fill("#id_description", "Sekelompok orang mengancam pemilih di depan TPS 001")
    page.click("#report-submit")
    page.wait_for_selector("#report-facts")
    assert "Polsek Tenggarong" in page.inner_text("#report-agency")
    report = Report.objects.get()

    page.context.clear_cookies()
    page.sinergi_login("kapolsek")
    page.goto("/laporan/")
    row = page.locator(f"#queue-table tr[data-id='{report.pk}']")
    assert row.count() == 1 and "Intimidasi atau kekerasan" in row.inner_text()
    assert "Perlu tindakan saya" in page.inner_text("#tab-mine")
    # Triage it from the queue in bulk, then see the timeline.
    row.locator("input[name=ids]").check()
    page.select_option("#bulk-action", "verify")
    page.click("#bulk-submit")
    page.wait_for_selector(".messages")
    page.click(f"#queue-table tr[data-id='{report.pk}'] a")
    page.wait_for_selector("#timeline")
    assert "diverifikasi" in page.inner_text("#timeline")
    report.refresh_from_db()
    assert report.state == "diverifikasi"
    page.wait_for_load_state("networkidle")
