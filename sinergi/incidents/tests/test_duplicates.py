from datetime import UTC, datetime, timedelta

import pytest

from sinergi.conftest import client_for
from sinergi.incidents import selectors, similarity
from sinergi.incidents.models import Report
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import TENGGARONG_TPS, bawaslu_analyst, kapolsek, report_make

T0 = datetime(2024, 11, 26, 12, 0, tzinfo=UTC)


def test_similarity_survives_affixes_and_case():
    a = "Ada pembagian amplop berisi uang di dekat TPS 001"
    assert similarity.similarity(a, "PEMBAGIAN amplop uang dekat tps") > 0.4
    assert similarity.similarity(a, "Banjir setinggi lutut di balai desa") < 0.15


@pytest.mark.django_db
def test_suggestions_are_same_place_category_window_and_similar_text(personas):
    make = lambda **kw: report_make(personas.field_officer, category="politik-uang", now=T0 + timedelta(days=4), **kw)  # noqa: E731
    base = make(description="Pembagian amplop berisi uang di dekat TPS", occurred_at=T0)
    same = make(description="ada pembagian amplop uang dekat TPS", occurred_at=T0 + timedelta(hours=3))
    make(description="ada pembagian amplop uang dekat TPS", occurred_at=T0 + timedelta(days=3))  # too late
    make(description="ada pembagian amplop uang dekat TPS", area_code="64.02.06.2001.002", occurred_at=T0)  # other TPS
    make(description="Spanduk calon dirusak orang tak dikenal", occurred_at=T0)  # different story
    report_make(
        personas.field_officer, category="lainnya", description="Pembagian amplop uang dekat TPS", occurred_at=T0
    )
    found = selectors.duplicate_candidates(personas.coordinator, base)
    assert [r.pk for r, _score in found] == [same.pk]


@pytest.mark.django_db
def test_merging_keeps_both_originals_and_links_them(personas):
    first = report_make(personas.field_officer, area_code=TENGGARONG_TPS, description="Massa mengancam KPPS di TPS")
    second = report_make(
        personas.field_officer, area_code=TENGGARONG_TPS, description="Ada massa ancam petugas KPPS TPS"
    )
    client = client_for(bawaslu_analyst())
    page = client.get(f"/laporan/{second.pk}/").content.decode()
    assert 'id="duplicates"' in page and "Gabungkan ke</a>" not in page and f"#{first.pk}" in page
    client.post(f"/laporan/{second.pk}/aksi/", {"action": "duplicate", "duplicate_of": first.pk})
    second.refresh_from_db()
    assert (second.state, second.duplicate_of_id, second.description) == (
        "duplikat",
        first.pk,
        "Ada massa ancam petugas KPPS TPS",
    )
    assert Report.objects.get(pk=first.pk).state == "baru"
    assert first.events.filter(kind="merged").exists()
    assert f"#{second.pk}" in client.get(f"/laporan/{first.pk}/").content.decode()
    # Marking the original as a duplicate of its own duplicate is refused (no cycles).
    response = client.post(
        f"/laporan/{first.pk}/aksi/", {"action": "duplicate", "duplicate_of": second.pk}, follow=True
    )
    assert "duplikat dirinya sendiri" in response.content.decode()


@pytest.mark.django_db
def test_a_report_page_lists_only_the_merged_duplicates_the_reader_may_see(personas):
    """A regency coordinator merges a Muara Badak report into a Tenggarong one; Polsek Tenggarong,
    which does not read Muara Badak, sees the Tenggarong report without that report's number."""
    original = report_make(personas.field_officer, area_code=TENGGARONG_TPS, description="Massa mengancam KPPS di TPS")
    elsewhere = report_make(
        None, area_code="64.02.05.2001.002", description="Massa ancam KPPS", channel="public", contact="0812"
    )
    report_transition(report_id=elsewhere.pk, actor=personas.coordinator, action="duplicate", duplicate_of=original.pk)
    assert Report.objects.get(pk=elsewhere.pk).duplicate_of_id == original.pk
    coordinator_page = client_for(personas.coordinator).get(f"/laporan/{original.pk}/")
    assert [d.pk for d in coordinator_page.context["originals_of"]] == [elsewhere.pk]
    police_page = client_for(kapolsek()).get(f"/laporan/{original.pk}/")
    assert police_page.status_code == 200
    assert list(police_page.context["originals_of"]) == []
    assert f'href="/laporan/{elsewhere.pk}/"' not in police_page.content.decode()
