"""The reach services' checks, one refusal each: a broadcast's audience and text, cancelling, rehearsal
test reports and the call log. Each names its field (or is a 409) and writes nothing."""

import pytest

from sinergi.core.errors import Conflict, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.reach import services
from sinergi.reach.models import Broadcast, BroadcastState, ContactLog
from sinergi.reach.models import TestReport as RehearsalReport

pytestmark = pytest.mark.django_db

SUKARAME = "64.02.06.1001"
TENGGARONG = "64.02.06"
TPS = "64.02.06.1001.001"


def written() -> tuple[int, ...]:
    return (Broadcast.objects.count(), ContactLog.objects.count(), RehearsalReport.objects.count())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"area_code": "  "}, "area_code"),
        ({"roles": ["kapolda"]}, "roles"),
        ({"text": " \n "}, "text"),
        ({"text": "x" * (services.MAX_TEXT + 1)}, "text"),
        ({"roles": ["keuangan"]}, "area_code"),  # nobody in Sukarame has that role: no recipient
    ],
)
def test_a_broadcast_is_refused_naming_the_field(roster, personas, change, field):
    body = {"area_code": SUKARAME, "roles": [], "agency_kinds": ["kpps"], "text": "Gladi besok pukul 07.00"}
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.broadcast_create(actor=personas.coordinator, **{**body, **change})
    assert refused.value.field == field
    assert written() == before


def test_only_a_pending_broadcast_can_be_cancelled(roster, personas):
    sent, created = services.broadcast_create(
        actor=personas.coordinator, area_code=SUKARAME, roles=[], agency_kinds=["kpps"], text="Gladi besok"
    )
    assert created and sent.state == BroadcastState.SENT  # three KPPS heads: below the approval size
    with pytest.raises(Conflict) as refused:
        services.broadcast_cancel(actor=personas.coordinator, broadcast_id=sent.pk)
    assert refused.value.code == "not_pending"
    sent.refresh_from_db()
    assert sent.state == BroadcastState.SENT
    assert not HistoryEntry.objects.filter(object_type="reach.broadcast", action="cancel").exists()


def test_a_rehearsal_report_needs_a_known_channel_and_its_own_client_id(roster):
    kpps, supervisor = roster.kpps[TPS], roster.ptps[TPS]
    with pytest.raises(ValidationFailed) as refused:
        services.test_report_record(user=kpps, channel="merpati")
    assert refused.value.field == "channel"
    first, created = services.test_report_record(user=kpps, channel="sms", client_id="uji-1")
    again, created_again = services.test_report_record(user=kpps, channel="sms", client_id="uji-1")
    assert (created, created_again, again.pk) == (True, False, first.pk)  # a retry is stored once
    with pytest.raises(Conflict):
        services.test_report_record(user=supervisor, channel="sms", client_id="uji-1")
    assert RehearsalReport.objects.count() == 1


def test_a_call_log_entry_is_checked_before_it_is_written(roster, personas):
    kpps = roster.kpps[TPS]
    call = {"actor": personas.coordinator, "area_code": TENGGARONG, "person_id": kpps.pk}
    for change, field in [
        ({"outcome": "marah"}, "outcome"),
        ({"outcome": "no_answer", "note": "x" * 301}, "note"),
        ({"outcome": "no_answer", "person_id": personas.outsider.pk}, "person"),  # not on this call list
    ]:
        with pytest.raises(ValidationFailed) as refused:
            services.contact_record(**{**call, **change})
        assert refused.value.field == field
    assert not ContactLog.objects.exists()
    entry, _ = services.contact_record(**call, outcome="no_answer", note="tidak diangkat", client_id="c-1")
    assert (entry.area_code, entry.note) == (SUKARAME, "tidak diangkat")
    with pytest.raises(Conflict):  # the same client id for another call
        services.contact_record(**call, outcome="no_answer", note="sibuk", client_id="c-1")
    assert ContactLog.objects.count() == 1
