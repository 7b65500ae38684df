"""Broadcasts: who is selected by area x role x agency kind, the preview counts, the second approver
above the size, sector limits, retries, opted-out recipients."""

import pytest

from sinergi.accounts.roles import AgencyKind, Role
from sinergi.conftest import client_for
from sinergi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from sinergi.messaging.models import OutboundMessage
from sinergi.reach import selectors, services
from sinergi.reach.models import Broadcast, BroadcastState, Recipient
from testkit.builders import user_make

TENGGARONG = "64.02.06"
KUKAR = "64.02"


def _audience(actor, area, roles=(), kinds=()):
    return services.audience_check(actor=actor, area_code=area, roles=list(roles), agency_kinds=list(kinds))


@pytest.mark.django_db
def test_recipients_by_area_role_and_agency_kind(roster, personas):
    coordinator = personas.coordinator
    count = lambda *a, **k: services.audience_count(_audience(coordinator, *a, **k))  # noqa: E731
    assert count(TENGGARONG, kinds=[AgencyKind.KPPS]) == 6  # 2 desa x 3 TPS
    assert count(KUKAR, kinds=[AgencyKind.KPPS]) == 9
    assert count("64.02.06.1001", kinds=[AgencyKind.KPPS]) == 3
    assert count(TENGGARONG, kinds=[AgencyKind.KPPS, AgencyKind.PPS]) == 8
    assert count(TENGGARONG, kinds=[AgencyKind.TPS_SUPERVISOR], roles=[Role.FIELD_OFFICER]) == 6
    assert count(TENGGARONG, kinds=[AgencyKind.KPPS], roles=[Role.FIELD_OFFICER]) == 0
    # Everyone in Tenggarong: 6 KPPS, 6 supervisors, 2 PPS and the Panwascam field officer.
    assert count(TENGGARONG) == 15
    area = roster.kpps["64.02.06.1001.001"].memberships.get().area
    assert area.code == "64.02.06.1001"
    from sinergi.areas.models import Area

    by_child = selectors.audience_by_child(Area.objects.get(code=KUKAR), [], [AgencyKind.KPPS])
    assert [(code, n) for code, _name, n in by_child] == [("64.02.05", 3), ("64.02.06", 6)]


@pytest.mark.django_db
def test_sector_and_area_limits(roster, personas):
    kpu = user_make("kpu-op", Role.KPU_OPERATOR, KUKAR, "kpu-kukar")
    assert services.audience_count(_audience(kpu, TENGGARONG, kinds=[AgencyKind.KPPS])) == 6
    with pytest.raises(Forbidden):  # Bawaslu's TPS supervisors are not KPU's to message
        _audience(kpu, TENGGARONG, kinds=[AgencyKind.TPS_SUPERVISOR])
    with pytest.raises(Forbidden):  # "every kind" includes other sectors
        _audience(kpu, TENGGARONG)
    with pytest.raises(NotFound):
        _audience(personas.outsider, TENGGARONG, kinds=[AgencyKind.KPPS])
    with pytest.raises(NotFound):  # a field officer does not read reach at all
        _audience(personas.field_officer, TENGGARONG, kinds=[AgencyKind.KPPS])
    with pytest.raises(ValidationFailed) as refused:
        _audience(personas.coordinator, TENGGARONG, kinds=["kpps", "nonsense"])
    assert refused.value.field == "agency_kinds" and "nonsense" in refused.value.detail


@pytest.mark.django_db
def test_broadcast_below_the_size_goes_out_at_once(roster, personas):
    broadcast, created = services.broadcast_create(
        actor=personas.coordinator,
        area_code=TENGGARONG,
        roles=[],
        agency_kinds=[AgencyKind.KPPS],
        text="Rapat bimtek besok pukul 08.00 di kantor camat",
        client_id="b-1",
    )
    assert created and broadcast.state == BroadcastState.SENT and broadcast.recipient_count == 6
    messages = OutboundMessage.objects.filter(batch=broadcast.batch)
    assert messages.count() == 6
    assert set(messages.values_list("address", flat=True)) == {
        u.person.phones.get().e164 for tps, u in roster.kpps.items() if tps.startswith(TENGGARONG)
    }
    assert all(m.text.startswith("Sinergi: Rapat bimtek") and m.channel == "sms" for m in messages)
    assert set(Recipient.objects.filter(broadcast=broadcast).values_list("area_code", flat=True)) == {
        "64.02.06.1001",
        "64.02.06.2001",
    }
    # A retry of the same request changes nothing; another body under the same id is a conflict.
    again, created = services.broadcast_create(
        actor=personas.coordinator,
        area_code=TENGGARONG,
        roles=[],
        agency_kinds=[AgencyKind.KPPS],
        text="Rapat bimtek besok pukul 08.00 di kantor camat",
        client_id="b-1",
    )
    assert again.pk == broadcast.pk and not created and OutboundMessage.objects.count() == 6
    with pytest.raises(Conflict):
        services.broadcast_create(
            actor=personas.coordinator, area_code=KUKAR, roles=[], agency_kinds=["kpps"], text="lain", client_id="b-1"
        )


@pytest.mark.django_db
def test_second_approver_above_the_size_and_never_the_sender(roster, personas, settings):
    settings.SINERGI_BROADCAST_APPROVAL_ABOVE = 5
    second = user_make("koordinator-2", Role.COORDINATOR, KUKAR, "kesbangpol-kukar")
    observer = user_make("pemantau", Role.OBSERVER, KUKAR, "kesbangpol-kukar")
    broadcast, _ = services.broadcast_create(
        actor=personas.coordinator, area_code=KUKAR, roles=[], agency_kinds=["kpps"], text="Siaran besar"
    )
    assert broadcast.state == BroadcastState.PENDING and broadcast.recipient_count == 9
    assert not OutboundMessage.objects.exists()
    assert second.notifications.filter(title__contains=broadcast.code).exists()  # asked to approve
    with pytest.raises(Conflict) as own:
        services.broadcast_approve(actor=personas.coordinator, broadcast_id=broadcast.pk)
    assert "sendiri" in own.value.detail
    with pytest.raises(Forbidden):
        services.broadcast_approve(actor=observer, broadcast_id=broadcast.pk)
    with pytest.raises(NotFound):
        services.broadcast_approve(actor=personas.outsider, broadcast_id=broadcast.pk)
    assert not OutboundMessage.objects.exists()
    approved = services.broadcast_approve(actor=second, broadcast_id=broadcast.pk)
    assert approved.state == BroadcastState.SENT and approved.approved_by == second
    assert OutboundMessage.objects.filter(batch=broadcast.batch).count() == 9
    with pytest.raises(Conflict):  # approved once
        services.broadcast_approve(actor=second, broadcast_id=broadcast.pk)
    # The database refuses a sender approving its own broadcast, whatever the caller.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Broadcast.objects.filter(pk=broadcast.pk).update(approved_by=personas.coordinator)


@pytest.mark.django_db
def test_opted_out_and_unreachable_recipients_are_recorded_not_messaged(roster, personas):
    from django.utils import timezone

    chair = roster.kpps["64.02.06.1001.001"]
    chair.person.opted_out_at = timezone.now()
    chair.person.save()
    mute = roster.kpps["64.02.06.1001.002"]
    mute.person.phones.all().delete()
    broadcast, _ = services.broadcast_create(
        actor=personas.coordinator, area_code="64.02.06.1001", roles=[], agency_kinds=["kpps"], text="Uji"
    )
    rows = {r.user_id: r for r in Recipient.objects.filter(broadcast=broadcast)}
    assert rows[chair.pk].message is None and "BERHENTI" in rows[chair.pk].refused
    assert rows[mute.pk].message is None and rows[mute.pk].refused
    assert OutboundMessage.objects.filter(batch=broadcast.batch).count() == 1


@pytest.mark.django_db
def test_pages_preview_then_send(roster, personas):
    client = client_for(personas.coordinator)
    form = {"area_code": TENGGARONG, "agency_kinds": ["kpps"], "text": "Siaran uji halaman", "client_id": "web-1"}
    preview = client.post("/jangkauan/siaran/baru/", form | {"action": "preview"})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="preview"' in body and "6 penerima di Tenggarong" in body
    assert not Broadcast.objects.exists()
    sent = client.post("/jangkauan/siaran/baru/", form | {"action": "send"})
    broadcast = Broadcast.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/jangkauan/siaran/{broadcast.pk}/"
    refused = client_for(personas.outsider).get(f"/jangkauan/siaran/{broadcast.pk}/")
    assert refused.status_code == 404
    bad = client.post("/jangkauan/siaran/baru/", form | {"area_code": "99.99", "action": "preview"})
    assert "99.99" in bad.content.decode() and not bad.context["preview"]


@pytest.mark.django_db
def test_sending_costs_the_same_number_of_queries_for_any_audience(roster, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.reach.permissions import REACH

    REACH.write_scopes(personas.coordinator)  # the sender's memberships load once per request
    counts = []
    for area in ("64.02.06.1001", "64.02"):
        with CaptureQueriesContext(connection) as captured:
            broadcast, _ = services.broadcast_create(
                actor=personas.coordinator, area_code=area, roles=[], agency_kinds=[], text=f"Uji {area}"
            )
        counts.append(len(captured))
        queued = Recipient.objects.filter(broadcast=broadcast, message__isnull=False).count()
        assert OutboundMessage.objects.filter(batch=broadcast.batch).count() == queued > 0
    assert broadcast.recipient_count > 3 * Broadcast.objects.order_by("pk")[0].recipient_count
    assert counts[0] == counts[1]
