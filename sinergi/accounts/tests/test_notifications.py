import pytest
from django.core import mail

from sinergi.accounts.models import Agency
from sinergi.accounts.notifications import agency_users, mark_read, notify, unread_count
from sinergi.conftest import client_for


@pytest.mark.django_db(transaction=True)
def test_notify_stores_in_app_and_emails_after_commit(personas):
    personas.coordinator.email = "koordinator@kukar.test"
    personas.coordinator.save()
    notify(
        users=[personas.coordinator, personas.field_officer],
        title="Laporan baru",
        body="Politik uang",
        url="/laporan/1/",
        source="incidents",
    )
    assert unread_count(personas.coordinator) == 1
    assert [m.to for m in mail.outbox] == [["koordinator@kukar.test"]]
    assert "Laporan baru" in mail.outbox[0].subject
    page = client_for(personas.coordinator).get("/akun/notifikasi/").content.decode()
    assert "Laporan baru" in page
    assert mark_read(user=personas.coordinator) == 1
    assert unread_count(personas.coordinator) == 0


@pytest.mark.django_db
def test_agency_users_lists_members(personas):
    agency = Agency.objects.get(code="panwascam-tenggarong")
    assert agency_users([agency.pk]) == [personas.field_officer]
    assert agency_users([agency.pk], roles=["koordinator"]) == []
