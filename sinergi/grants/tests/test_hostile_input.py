"""Text typed by users cannot become a formula in the XLSX export, and the pages carry no inline
script (the Content-Security-Policy allows scripts from 'self' only)."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.grants import services
from sinergi.grants.export import OWN_FORMULA, _formula
from sinergi.grants.tests.factories import ELECTION, SIGNED, agreement_make, post

HOSTILE = "=cmd|' /C calc'!A0"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.django_db
def test_the_export_holds_no_formula_from_user_text(users):
    agreement = services.agreement_create(
        actor=users["finance"],
        election_slug=ELECTION,
        recipient_code="kpu-kukar",
        number=HOSTILE,
        signed_on=SIGNED,
        amount="1000",
        policy_code="41-2020-sekaligus",
    )
    post(users["finance"], agreement, "disbursement", "400", "d1")
    services.budget_figure_add(
        actor=users["finance"],
        election_slug=ELECTION,
        label="+SUM(1,2)",
        amount="1000",
        source="@HYPERLINK(\"http://x\")",
        note="-2+3",
    )
    response = client_for(users["finance"]).get(reverse("grants:export", args=["64.02"]))
    book = load_workbook(BytesIO(response.content))
    formulas, texts = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(cell.value)
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    # Only the export's own arithmetic on cell references is a formula ...
    assert formulas and all(OWN_FORMULA.fullmatch(f) for f in formulas), formulas
    assert not any("cmd" in f or "HYPERLINK" in f for f in formulas)
    # ... and the user's text is kept, made inert.
    assert "'" + HOSTILE in texts and "'+SUM(1,2)" in texts
    assert any(t.startswith("'@HYPERLINK") for t in texts)


def test_the_export_refuses_to_build_a_formula_that_is_not_its_own():
    assert _formula("=SUM(F5:F9)") == "=SUM(F5:F9)"
    with pytest.raises(ValueError):
        _formula("=cmd|' /C calc'!A0")
    with pytest.raises(ValueError):
        _formula('=HYPERLINK("http://x")')


def test_no_template_has_inline_script_or_event_handlers():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name


@pytest.mark.django_db
def test_the_agreement_page_loads_its_script_from_a_static_file(users):
    agreement = agreement_make(users["finance"])
    page = client_for(users["finance"]).get(
        reverse("grants:agreement", kwargs={"election": ELECTION, "recipient": agreement.recipient.code})
    )
    html = page.content.decode()
    assert page.status_code == 200 and "grants/grants.js" in html
    assert "uses = {disbursement" not in html  # the entry form's script is no longer inline
