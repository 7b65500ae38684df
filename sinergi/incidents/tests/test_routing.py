import pytest

from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, TENGGARONG_TPS, report_make


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "area", "agency"),
    [
        ("intimidasi-kekerasan", TENGGARONG_TPS, "polsek-tenggarong"),
        # Muara Badak is guarded by Polres Bontang, not Polres Kukar (the Bontang case).
        ("intimidasi-kekerasan", MUARA_BADAK_TPS, "polres-bontang"),
        ("gangguan-pemungutan", "64.02.05.2001", "polres-bontang"),
        ("politik-uang", TENGGARONG_TPS, "panwascam-tenggarong"),
        ("politik-uang", MUARA_BADAK_TPS, "bawaslu-kukar"),
        ("netralitas", "64.02.06.1001", "panwascam-tenggarong"),
        ("logistik", TENGGARONG_TPS, "kpu-kukar"),
        ("bencana", "64.02.06.1001", "pemkab-kukar"),
        ("lainnya", TENGGARONG_TPS, "kesbangpol-kukar"),
    ],
)
def test_category_routes_to_the_covering_agency(personas, category, area, agency):
    report = report_make(personas.coordinator, category=category, area_code=area)
    assert report.agency is not None and report.agency.code == agency
    assert report.events.get(kind="created").agency == report.agency


@pytest.mark.django_db
def test_routed_agency_is_notified(personas):
    from sinergi.incidents.tests.factories import kapolsek

    police = kapolsek()
    report = report_make(personas.field_officer)
    assert police.notifications.filter(title__contains=report.ref).exists()
