"""A notification is written in each recipient's language (issue 15): `notify` calls a text function
once per language among the recipients; a plain string is stored as given."""

import pytest
from django.utils.translation import gettext as _

from sinergi.accounts.notifications import notify
from sinergi.accounts.roles import Role
from testkit.builders import user_make


@pytest.mark.django_db
def test_each_recipient_reads_the_notification_in_their_language(world):
    indonesian = user_make("kpu.id", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    english = user_make("kpu.en", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    english.preferred_language = "en"
    english.save()
    calls = []

    def title() -> str:
        calls.append(1)
        return _("Laporan baru %(ref)s: %(category)s") % {"ref": "LK-1", "category": "Politik uang"}

    created = notify(users=[indonesian, english], title=title, body="64.02.06", source="incidents")
    shown = {n.user_id: (n.title, n.body) for n in created}
    assert shown == {
        indonesian.pk: ("Laporan baru LK-1: Politik uang", "64.02.06"),
        english.pk: ("New report LK-1: Politik uang", "64.02.06"),
    }
    assert len(calls) == 2  # once per language, not once per person
    assert indonesian.notifications.get().title == "Laporan baru LK-1: Politik uang"
