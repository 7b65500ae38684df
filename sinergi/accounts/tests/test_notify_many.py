"""`notify_many` writes many notices at once (a national job) as `notify` writes one: each text once per
language among its readers, a row per reader, the webhook once per notice after commit."""

from types import SimpleNamespace

import pytest
from django.utils.translation import gettext as _

from sinergi.accounts.models import Notification
from sinergi.accounts.notifications import Notice, Reader, notify_many

pytestmark = pytest.mark.django_db


def test_each_reader_reads_each_notice_in_their_language(
    world, personas, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SINERGI_NOTIFY_WEBHOOK = "http://127.0.0.1:9/hook"
    posted: list = []
    monkeypatch.setattr("sinergi.accounts.notifications.post_webhook", SimpleNamespace(enqueue=posted.append))
    ina = Reader(personas.coordinator.pk, personas.coordinator.username, "id")
    eng = Reader(personas.field_officer.pk, personas.field_officer.username, "en")
    calls = []

    def title(ref: str) -> str:
        calls.append(ref)
        return _("Laporan baru %(ref)s: %(category)s") % {"ref": ref, "category": "Politik uang"}

    notices = [
        Notice([ina, eng], lambda: title("LK-1"), "/a"),
        Notice([eng, eng], lambda: title("LK-2"), "/b"),  # a reader named twice reads it once
        Notice([], lambda: title("LK-3"), "/c"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(notices, source="incidents", batch_size=2) == 3
    rows = set(Notification.objects.values_list("user_id", "title", "url", "source"))
    assert rows == {
        (ina.pk, "Laporan baru LK-1: Politik uang", "/a", "incidents"),
        (eng.pk, "New report LK-1: Politik uang", "/a", "incidents"),
        (eng.pk, "New report LK-2: Politik uang", "/b", "incidents"),
    }
    assert sorted(calls[:3]) == ["LK-1", "LK-1", "LK-2"]  # once per language and notice, not per reader
    assert [p["usernames"] for p in posted] == [
        sorted([ina.username, eng.username]),
        [eng.username],
        [],
    ]
    assert posted[0]["title"] == "Laporan baru LK-1: Politik uang"  # the gateway's copy is in Indonesian
