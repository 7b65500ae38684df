import pytest

from sinergi.core.errors import Forbidden, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.meetings.models import Evidence
from sinergi.meetings.services import action_status_update
from testkit.builders import image_bytes

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def test_the_responsible_agency_marks_done_with_evidence(founding, personas):
    action = founding["action"]
    note = action_status_update(
        actor=personas.field_officer, action=action, status="done", note="Peta selesai", files=[("peta.png", PNG)]
    )
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    assert (note.status_before, note.status_after) == ("open", "done")
    evidence = Evidence.objects.get(note=note)
    assert evidence.content_type == "image/png" and evidence.size == len(PNG)
    assert HistoryEntry.objects.filter(object_type="meetings.actionitem", action="status").exists()


def test_read_only_roles_may_not_update(founding, observer):
    with pytest.raises(Forbidden):
        action_status_update(actor=observer, action=founding["action"], status="done", note="x")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("kosong.pdf", b"", "berkas kosong"),
        ("skrip.exe", b"MZ\x90\x00", "hanya berkas JPEG, PNG, WebP, PDF, DOCX/XLSX/ODT yang diterima"),
        ("foto.pdf", PNG, "tidak sesuai dengan namanya"),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "lebih besar dari 5 MB"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(founding, personas, name, content, reason):
    action = founding["action"]
    with pytest.raises(ValidationFailed, match=reason):
        action_status_update(
            actor=personas.field_officer, action=action, status="done", note="x", files=[(name, content)]
        )
    action.refresh_from_db()
    assert action.status == "open" and not action.notes.exists()


def test_rules_for_notes(founding, personas):
    action, who = founding["action"], personas.field_officer
    with pytest.raises(ValidationFailed, match="catatan"):
        action_status_update(actor=who, action=action, status="open")
    with pytest.raises(ValidationFailed, match="pembatalan"):
        action_status_update(actor=who, action=action, status="dropped")
    action_status_update(actor=who, action=action, status="done", note="selesai")
    with pytest.raises(ValidationFailed, match="membuka kembali"):
        action_status_update(actor=who, action=action, status="open")
    with pytest.raises(ValidationFailed, match="status"):
        action_status_update(actor=who, action=action, status="finished", note="x")


def test_a_retry_with_the_same_client_id_records_one_note(founding, personas):
    action = founding["action"]
    first = action_status_update(
        actor=personas.field_officer, action=action, status="in_progress", note="mulai", client_id="dev-1"
    )
    second = action_status_update(
        actor=personas.field_officer, action=action, status="in_progress", note="mulai", client_id="dev-1"
    )
    assert first.pk == second.pk and action.notes.count() == 1
