"""Issue 11 for meetings: one access layer, read-only roles do not write, client ids never 500,
spreadsheets hold no formulas from user text, no inline script in the templates."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import URLPattern
from openpyxl import load_workbook

from sinergi.accounts.access import OBJECT_ACCESS
from sinergi.accounts.guards import rule_of
from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.meetings import api as meetings_api
from sinergi.meetings import permissions
from sinergi.meetings import urls as meetings_urls
from sinergi.meetings.models import ActionItem, ProgressNote
from sinergi.meetings.tests.factories import action_make
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

READ_ONLY = [
    ("pemantau.kukar", Role.OBSERVER),
    ("inspektorat.kukar", Role.INSPECTOR),
    ("keuangan.kukar", Role.FINANCE),
]
INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture
def pemkab_action(founding, personas):
    """An action item of Pemkab Kukar, as the demo's grant actions are."""
    return action_make(
        personas.coordinator, founding["decision"], title="Cairkan hibah", agency="pemkab-kukar", area="64.02"
    )


def post_json(client, url, body, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


# --- 1. one access layer -------------------------------------------------------------------------


def test_every_meetings_object_type_has_one_rule():
    kinds = {k for k in OBJECT_ACCESS if k.startswith("meetings.")}
    assert kinds == {
        "meetings.meeting",
        "meetings.invitee",
        "meetings.decision",
        "meetings.action",
        "meetings.evidence",
    }


def test_every_meetings_page_and_operation_declares_its_rule():
    missing, seen = [], 0
    for pattern in meetings_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        seen += 1
        if rule_of(pattern.callback) is None:
            missing.append(pattern.name)
    for path_ops in meetings_api.router.path_operations.values():
        for op in path_ops.operations:
            seen += 1
            if rule_of(op.view_func) is None:
                missing.append(op.view_func.__name__)
    assert seen == 26 and not missing


def test_action_rule_lists_and_gets_alike(pemkab_action, personas):
    observer = user_make("pemantau.kukar", Role.OBSERVER, "64.02", "pemkab-kukar")
    assert permissions.ACTION.visible(observer).filter(pk=pemkab_action.pk).exists()
    assert permissions.ACTION.get(observer, pemkab_action.pk) == pemkab_action
    assert not permissions.ACTION.can_write(observer, pemkab_action)
    assert not permissions.ACTION.visible(personas.outsider).exists()


# --- 2. read-only roles do not write ------------------------------------------------------------


@pytest.mark.parametrize(("username", "role"), READ_ONLY)
@pytest.mark.parametrize("status", ["done", "dropped"])
def test_read_only_roles_of_the_responsible_agency_may_not_change_status_by_api(
    pemkab_action, client, bearer, username, role, status
):
    reader = user_make(username, role, "64.02", "pemkab-kukar")
    url = f"/api/v1/action-items/{pemkab_action.pk}/status"
    response = post_json(client, url, {"status": status, "note": "selesai"}, bearer(reader))
    assert response.status_code == 403, response.content
    assert client.get(f"/api/v1/action-items/{pemkab_action.pk}", headers=bearer(reader)).status_code == 200
    pemkab_action.refresh_from_db()
    assert pemkab_action.status == "open" and not pemkab_action.notes.exists()


@pytest.mark.parametrize(("username", "role"), READ_ONLY)
@pytest.mark.parametrize("status", ["done", "dropped"])
def test_read_only_roles_of_the_responsible_agency_may_not_change_status_by_form(pemkab_action, username, role, status):
    reader = user_make(username, role, "64.02", "pemkab-kukar")
    web = client_for(reader)
    page = web.get(f"/rapat/tindak-lanjut/{pemkab_action.pk}/")
    assert page.status_code == 200 and 'id="status-form"' not in page.content.decode()
    response = web.post(f"/rapat/tindak-lanjut/{pemkab_action.pk}/", {"status": status, "note": "selesai"})
    assert response.status_code == 403
    pemkab_action.refresh_from_db()
    assert pemkab_action.status == "open" and not pemkab_action.notes.exists()


def test_a_writing_member_of_the_responsible_agency_still_updates(pemkab_action, client, bearer):
    sekda = user_make("sekda.kukar", Role.LEADER, "64.02", "pemkab-kukar")
    camat = user_make("camat", Role.FIELD_OFFICER, "64.02.06", "pemkab-kukar")
    url = f"/api/v1/action-items/{pemkab_action.pk}/status"
    assert post_json(client, url, {"status": "in_progress", "note": "mulai"}, bearer(camat)).status_code == 201
    assert post_json(client, url, {"status": "done", "note": "selesai"}, bearer(sekda)).status_code == 201


# --- 3. client ids ------------------------------------------------------------------------------


def test_a_note_client_id_reused_on_another_action_is_409_naming_it(founding, pemkab_action, personas, client, bearer):
    boss = bearer(personas.coordinator)
    first = post_json(
        client,
        f"/api/v1/action-items/{founding['action'].pk}/status",
        {"status": "done", "note": "ok", "client_id": "n-1"},
        boss,
    )
    assert first.status_code == 201
    clash = post_json(
        client,
        f"/api/v1/action-items/{pemkab_action.pk}/status",
        {"status": "done", "note": "ok", "client_id": "n-1"},
        boss,
    )
    assert clash.status_code == 409, clash.content
    assert clash.json()["code"] == "client_id_reused" and "n-1" in clash.json()["detail"]
    assert ProgressNote.objects.count() == 1
    pemkab_action.refresh_from_db()
    assert pemkab_action.status == "open"


def test_a_note_retry_returns_the_stored_note_and_a_different_body_is_409(founding, personas, client, bearer):
    boss = bearer(personas.coordinator)
    url = f"/api/v1/action-items/{founding['action'].pk}/status"
    body = {"status": "in_progress", "note": "mulai", "client_id": "n-2"}
    first = post_json(client, url, body, boss)
    again = post_json(client, url, body, boss)
    assert (first.status_code, again.status_code) == (201, 200) and first.json() == again.json()
    other = post_json(client, url, {**body, "status": "done", "note": "selesai"}, boss)
    assert other.status_code == 409
    error = other.json()
    assert error["stored"] == {"status": "in_progress", "note": "mulai"}
    assert error["sent"] == {"status": "done", "note": "selesai"}
    assert "mulai" in error["detail"] and "selesai" in error["detail"]
    assert ProgressNote.objects.count() == 1


def test_an_action_client_id_reused_with_another_body_is_409(founding, personas, client, bearer):
    boss = bearer(personas.coordinator)
    url = f"/api/v1/decisions/{founding['decision'].pk}/action-items"
    body = {
        "title": "Renpam",
        "agency": "polres-kukar",
        "area_code": "64.02",
        "due_date": "2024-10-31",
        "client_id": "a-1",
    }
    first = post_json(client, url, body, boss)
    again = post_json(client, url, body, boss)
    assert (first.status_code, again.status_code) == (201, 200) and first.json() == again.json()
    other = post_json(client, url, {**body, "title": "Renpam lain"}, boss)
    assert other.status_code == 409
    assert other.json()["stored"]["title"] == "Renpam" and other.json()["sent"]["title"] == "Renpam lain"
    assert ActionItem.objects.filter(client_id="a-1").count() == 1


def test_a_meeting_client_id_reused_with_another_body_is_409(personas, client, bearer):
    from sinergi.meetings.tests.test_api import MEETING

    boss = bearer(personas.coordinator)
    assert post_json(client, "/api/v1/meetings", MEETING, boss).status_code == 201
    assert post_json(client, "/api/v1/meetings", MEETING, boss).status_code == 200
    other = post_json(client, "/api/v1/meetings", {**MEETING, "title": "Rakor lain"}, boss)
    assert other.status_code == 409
    assert other.json()["stored"]["title"] == MEETING["title"] and other.json()["sent"]["title"] == "Rakor lain"


# --- 4. formula injection -----------------------------------------------------------------------


def _cells(content: bytes):
    sheet = load_workbook(BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("which", ["meeting", "list"])
def test_action_xlsx_holds_no_formula_from_user_text(founding, personas, which):
    action_make(personas.coordinator, founding["decision"], title=INJECTION, agency="pemkab-kukar", area="64.02")
    web = client_for(personas.coordinator)
    url = f"/rapat/{founding['meeting'].pk}/tindak-lanjut.xlsx" if which == "meeting" else "/rapat/tindak-lanjut.xlsx"
    response = web.get(url)
    assert response.status_code == 200
    cells = _cells(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + INJECTION for c in cells)


# --- 5. no inline script ------------------------------------------------------------------------

TEMPLATES = Path(permissions.__file__).parent / "templates"


def test_templates_hold_no_inline_script_or_handlers():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text, template


def test_pages_render_without_inline_script(founding, personas):
    web = client_for(personas.coordinator)
    for url in [
        "/rapat/",
        f"/rapat/{founding['meeting'].pk}/",
        f"/rapat/{founding['meeting'].pk}/ubah/",
        "/rapat/baru/",
        f"/rapat/tindak-lanjut/{founding['action'].pk}/",
        "/rapat/tindak-lanjut/",
    ]:
        body = web.get(url).content.decode()
        content = body.split("<main", 1)[-1]
        assert not re.search(r"<script(?![^>]*\bsrc=)", content), url


def test_reminders_go_to_the_members_who_may_act(pemkab_action):
    from datetime import datetime

    from sinergi.accounts.models import Notification
    from sinergi.meetings.reminders import reminders_send
    from sinergi.meetings.tests.factories import WITA

    readers = [user_make(username, role, "64.02", "pemkab-kukar") for username, role in READ_ONLY]
    sekda = user_make("sekda.kukar", Role.LEADER, "64.02", "pemkab-kukar")
    reminders_send(now=datetime(2024, 10, 5, 9, tzinfo=WITA))
    assert Notification.objects.filter(user=sekda).exists()
    assert not Notification.objects.filter(user__in=readers).exists()


def test_who_is_tasked_reads_the_meeting_that_tasked_them_and_no_other(founding, personas, client, bearer):
    from sinergi.meetings.tests.factories import meeting_make

    officer = personas.field_officer  # Tenggarong; the founding meeting is the regency's
    other = meeting_make(personas.coordinator, title="Rakor tanpa tugas Tenggarong")
    page = client_for(officer).get(f"/rapat/tindak-lanjut/{founding['action'].pk}/")
    assert page.status_code == 200 and founding["meeting"].title in page.content.decode()
    # Every meeting an action page or list names is one the same rule lets the user open.
    assert permissions.MEETING.get(officer, founding["meeting"].pk) == founding["meeting"]
    assert client_for(officer).get(f"/rapat/{founding['meeting'].pk}/").status_code == 200
    assert client_for(officer).get(f"/rapat/{other.pk}/").status_code == 404
    listed = client.get("/api/v1/meetings", headers=bearer(officer)).json()
    assert [m["id"] for m in listed] == [founding["meeting"].pk]
    assert not permissions.MEETING.can_write(officer, founding["meeting"])


def test_a_clash_with_a_record_the_sender_may_not_read_names_only_the_sent_body(founding, personas, client, bearer):
    from sinergi.accounts.roles import AgencyKind
    from sinergi.accounts.services import agency_ensure
    from sinergi.meetings.tests.factories import decision_make, meeting_make

    kukar = bearer(personas.coordinator)
    body = {"title": "Rahasia Kukar", "agency": "polres-kukar", "area_code": "64.02", "due_date": "2024-10-31"}
    url = f"/api/v1/decisions/{founding['decision'].pk}/action-items"
    assert post_json(client, url, {**body, "client_id": "shared"}, kukar).status_code == 201
    agency_ensure(
        code="kesbangpol-samarinda", name="Kesbangpol Samarinda", kind=AgencyKind.KESBANGPOL, area_code="64.72"
    )
    samarinda = user_make("koord.smd", Role.COORDINATOR, "64.72", "kesbangpol-samarinda")
    meeting = meeting_make(samarinda, area="64.72", title="Rakor Samarinda")
    decision = decision_make(samarinda, meeting)
    sent = {"title": "Renpam Samarinda", "agency": "kpu-samarinda", "area_code": "64.72", "due_date": "2024-10-31"}
    clash = post_json(
        client, f"/api/v1/decisions/{decision.pk}/action-items", {**sent, "client_id": "shared"}, bearer(samarinda)
    )
    assert clash.status_code == 409
    assert clash.json()["stored"] == {} and "Rahasia" not in clash.content.decode()
    assert clash.json()["sent"]["title"] == "Renpam Samarinda"
