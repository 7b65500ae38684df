from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.conftest import client_for
from sinergi.core.timezones import local_today
from sinergi.meetings import services
from sinergi.meetings.models import Attendance, Invitee

pytestmark = pytest.mark.django_db


def test_minutes_pdf_carries_the_meeting_and_a_signature_block(founding, personas):
    meeting = founding["meeting"]
    services.invitee_add(
        actor=personas.coordinator, meeting=meeting, spec=services.InviteeSpec(agency_code="polres-kukar")
    )
    invitee = Invitee.objects.get(meeting=meeting)
    services.attendance_set(
        actor=personas.coordinator, invitee=invitee, attendance=Attendance.REPRESENTED, represented_by="Wakapolres"
    )
    services.meeting_update(
        actor=personas.coordinator, meeting=meeting, minutes="Rapat berjalan lancar.", minute_taker="Notulis Kesbangpol"
    )
    response = client_for(personas.coordinator).get(f"/rapat/{meeting.pk}/notulen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in [
        "NOTULEN RAPAT",
        "Gedung Putri Karang Melenu",
        "03-09-2024 pukul 09.00 WITA",
        "Sunggono",
        "mewakili Bupati Kutai Kartanegara",
        "Diwakili: Wakapolres",
        "Camat memetakan kerawanan",
        "Petakan kerawanan",
        "Rapat berjalan lancar.",
        "Notulis Kesbangpol",
        "Pimpinan Rapat",
    ]:
        assert expected in text, expected


def test_action_list_xlsx_flags_overdue_days(founding, personas):
    response = client_for(personas.coordinator).get(f"/rapat/{founding['meeting'].pk}/tindak-lanjut.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("Tindak lanjut: ")  # the title, a blank row, then the header
    header = [c.value for c in sheet[3]]
    row = [c.value for c in sheet[4]]
    assert row[header.index("Tindak lanjut")] == "Petakan kerawanan"
    assert row[header.index("Status")] == "Terbuka"
    assert row[header.index("Lewat tenggat (hari)")] == (local_today("64.02") - date(2024, 9, 30)).days


def _english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    return client


def test_minutes_pdf_follows_the_language_switch(founding, personas):
    web = _english(client_for(personas.coordinator))
    response = web.get(f"/rapat/{founding['meeting'].pk}/notulen.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    for expected in ["MINUTES OF THE MEETING", "09/03/2024 at 09:00 WITA", "Follow-up plan", "Due date", "Generated "]:
        assert expected in text, expected
    assert "NOTULEN RAPAT" not in text and "Halaman" not in text


@pytest.mark.parametrize(
    ("english", "header", "date_format"),
    [(False, "Lewat tenggat (hari)", "DD-MM-YYYY"), (True, "Days overdue", "MM/DD/YYYY")],
)
def test_action_xlsx_headers_in_the_readers_language_and_dates_stay_dates(founding, personas, english, header, date_format):
    web = client_for(personas.coordinator)
    response = (_english(web) if english else web).get("/rapat/tindak-lanjut.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert header in [c.value for c in sheet[3]]
    due = sheet.cell(row=4, column=9)
    assert (due.value.date(), due.number_format) == (date(2024, 9, 30), date_format)
