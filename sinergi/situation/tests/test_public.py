import pytest
from django.test import Client

from sinergi.meetings.tests.factories import decision_make, meeting_make
from sinergi.situation import providers
from sinergi.situation.tests.toy_modules import SAMPLE

pytestmark = pytest.mark.django_db


def test_public_page_shows_only_what_is_public_without_login(world, personas, django_assert_num_queries):
    meeting = meeting_make(personas.coordinator)
    decision_make(personas.coordinator, meeting, "Seluruh TPS diamankan bersama TNI/Polri", public=True)
    decision_make(personas.coordinator, meeting, "Hibah Kodim belum cair, rahasia", public=False)
    anonymous = Client()
    meetings = {p.name: p.source for p in providers.discover()}["meetings"]
    with providers.only({"contoh": SAMPLE, "meetings": meetings}):
        page = anonymous.get("/situasi/publik/64.02.06/")
        html = page.content.decode()
        assert page.status_code == 200 and "public" in page["Cache-Control"]
        assert "TPS rawan diumumkan Bawaslu" in html and "42" in html
        assert "Seluruh TPS diamankan" in html and "rahasia" not in html
        assert "TPS sudah dinilai" not in html  # readiness is for roles only
        assert "csrfmiddlewaretoken" not in html and "Keluar" not in html
        with django_assert_num_queries(0):
            assert anonymous.get("/situasi/publik/64.02.06/").status_code == 200


def test_unknown_area_is_404(world):
    assert Client().get("/situasi/publik/99.99/").status_code == 404
