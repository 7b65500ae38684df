"""The order annex's files follow the reader's language; its footer carries the plan area's zone."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.conftest import client_for
from sinergi.deployment.services import plan_create

pytestmark = pytest.mark.django_db


def _files(client, plan) -> tuple[list, str]:
    args = [plan.pk, "polsek-tenggarong"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("deployment:annex_xlsx", args=args)).content)).active
    pdf = PdfReader(io.BytesIO(client.get(reverse("deployment:annex_pdf", args=args)).content))
    return [c.value for c in sheet[4]], " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_the_annex_headers_follow_the_language_switch(units, planner_users):
    plan = plan_create(area_code="64.02", title="Bahasa", options={}, actor=planner_users["polri"])
    client = client_for(planner_users["polri"])
    header, text = _files(client, plan)
    assert header[:5] == ["Pos", "Kecamatan", "Kelas", "TPS", "Kebutuhan P/T/L"]
    assert "Lampiran rencana pengamanan TPS: Polsek Tenggarong" in text and "WITA · Halaman 1" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    header, text = _files(client, plan)
    assert header[:5] == ["Post", "District (kecamatan)", "Class", "TPS", "Needed P/T/L"]
    assert "Annex to the TPS security plan: Polsek Tenggarong" in text and "WITA · Page 1" in text
