"""Every write of reach: broadcasts (create, approve, cancel), rehearsal test reports, the contact log
and reporters' consent. One transaction each, a history row each; messages queue after commit."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Membership, User
from sinergi.accounts.notifications import notify
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import Area, within
from sinergi.core.errors import Conflict, Forbidden, ValidationFailed
from sinergi.core.history import history_record
from sinergi.core.models import Channel as HistoryChannel
from sinergi.messaging import templates
from sinergi.messaging.services import send_many
from sinergi.people.phones import to_e164
from sinergi.people.selectors import people_in
from sinergi.reach.models import (
    Broadcast,
    BroadcastState,
    ContactLog,
    ContactOutcome,
    Recipient,
    ReporterConsent,
    TestReport,
)
from sinergi.reach.permissions import BROADCAST, REACH, REACH_AREA, approval_refusal, kinds_writable, sector_refusal

MAX_TEXT = 400  # the template adds a prefix and, for a test, the reply request: three SMS parts at most
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
TEST_CHANNELS = frozenset({"sms", "whatsapp", "telegram", "email", "web"})


def approval_threshold() -> int:
    """Broadcasts to more people than this wait for a second approver (`SINERGI_BROADCAST_APPROVAL_ABOVE`)."""
    return int(getattr(settings, "SINERGI_BROADCAST_APPROVAL_ABOVE", 300))


@dataclass(frozen=True)
class Audience:
    area: Area
    roles: list[str]
    agency_kinds: list[str]

    @property
    def area_code(self) -> str:
        return self.area.code

    def users(self) -> Any:
        return people_in(self.area_code, roles=self.roles or None, agency_kinds=self.agency_kinds or None)

    def memberships(self) -> Any:
        rows = Membership.objects.filter(within(self.area_code, "area__code"), user__is_active=True)
        if self.roles:
            rows = rows.filter(role__in=self.roles)
        if self.agency_kinds:
            rows = rows.filter(agency__kind__in=self.agency_kinds)
        return rows


def audience_check(*, actor: Any, area_code: str, roles: list[str], agency_kinds: list[str]) -> Audience:
    """The audience named by the form or API, validated and checked against the actor's rights:
    404 for an area the actor does not read, 403 for one it only reads or kinds outside its sector."""
    area_code = (area_code or "").strip()
    if not area_code:
        raise ValidationFailed(_("pilih wilayah penerima"), field="area_code")
    roles = sorted({r.strip() for r in roles if r and r.strip()})
    kinds = sorted({k.strip() for k in agency_kinds if k and k.strip()})
    unknown_roles = [r for r in roles if r not in Role.values]
    if unknown_roles:
        raise ValidationFailed(_("peran tidak dikenal: %(v)s") % {"v": ", ".join(unknown_roles)}, field="roles")
    unknown_kinds = [k for k in kinds if k not in AgencyKind.values]
    if unknown_kinds:
        raise ValidationFailed(
            _("jenis instansi tidak dikenal: %(v)s") % {"v": ", ".join(unknown_kinds)}, field="agency_kinds"
        )
    area = REACH_AREA.get(actor, area_code, write=True)
    refusal = sector_refusal(actor, area_code, kinds)
    if refusal:
        raise Forbidden(refusal)
    return Audience(area, roles, kinds)


def audience_count(audience: Audience) -> int:
    """How many people a broadcast to this audience reaches (each person once): one query."""
    return audience.users().count()


def _text_check(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed(_("tulis isi siaran"), field="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("isi siaran terlalu panjang: %(n)s karakter, paling banyak %(max)s") % {"n": len(text), "max": MAX_TEXT},
            field="text",
        )
    return text


def _new_code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if not Broadcast.objects.filter(code=code).exists():
            return code
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _body(b: Broadcast) -> dict[str, Any]:
    return {
        "area_code": b.area_id,
        "roles": b.roles,
        "agency_kinds": b.agency_kinds,
        "text": b.text,
        "is_test": b.is_test,
    }


def broadcast_create(
    *,
    actor: Any,
    area_code: str,
    roles: list[str],
    agency_kinds: list[str],
    text: str,
    is_test: bool = False,
    client_id: str | None = None,
    now: datetime | None = None,
) -> tuple[Broadcast, bool]:
    """Create a broadcast: sent at once up to the approval size, else waiting for a second approver.
    A retry with the same client id and body returns the stored broadcast and False; another body is a 409."""
    audience = audience_check(actor=actor, area_code=area_code, roles=roles, agency_kinds=agency_kinds)
    text = _text_check(text)
    client_id = (client_id or "").strip()[:80] or None
    sent_body = {
        "area_code": audience.area_code,
        "roles": audience.roles,
        "agency_kinds": audience.agency_kinds,
        "text": text,
        "is_test": bool(is_test),
    }
    if client_id:
        stored = Broadcast.objects.filter(client_id=client_id).first()
        if stored is not None:
            return _replay(actor, stored, sent_body), False
    now = now or timezone.now()
    try:
        with transaction.atomic():
            count = audience_count(audience)
            if count == 0:
                raise ValidationFailed(_("tidak ada penerima untuk pilihan ini"), field="area_code")
            broadcast = Broadcast.objects.create(
                code=_new_code(),
                client_id=client_id,
                area=audience.area,
                roles=audience.roles,
                agency_kinds=audience.agency_kinds,
                text=text,
                is_test=bool(is_test),
                recipient_count=count,
                created_by=actor,
                created_at=now,
            )
            history_record(
                object_type="reach.broadcast",
                object_key=str(broadcast.pk),
                action="create",
                actor=actor,
                changes=sent_body | {"recipient_count": count},
                area_code=audience.area_code,
            )
            if count > approval_threshold():
                _ask_approvers(broadcast)
            else:
                _dispatch(broadcast, now)
    except IntegrityError:
        stored = Broadcast.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return _replay(actor, stored, sent_body), False
    return broadcast, True


def _replay(actor: Any, stored: Broadcast, sent: dict[str, Any]) -> Broadcast:
    if stored.created_by_id != actor.pk or _body(stored) != sent:
        raise Conflict(
            _("client_id ini sudah dipakai untuk siaran lain (%(code)s)") % {"code": stored.code},
            code="client_id_reused",
        )
    return stored


def _ask_approvers(broadcast: Broadcast) -> None:
    """Tell the other writers over the area (in-app) that a broadcast waits for their approval."""
    ancestors = [broadcast.area_id, *ancestors_of(broadcast.area_id)]
    members = Membership.objects.filter(area_id__in=ancestors, role__in=[Role.COORDINATOR], user__is_active=True)
    users = User.objects.filter(pk__in=members.values("user_id")).exclude(pk=broadcast.created_by_id)
    notify(
        users=users,
        title=_("Siaran %(code)s ke %(n)s orang menunggu persetujuan")
        % {
            "code": broadcast.code,
            "n": broadcast.recipient_count,
        },
        url=f"/jangkauan/siaran/{broadcast.pk}/",
        source="reach",
        email=False,
    )


def _dispatch(broadcast: Broadcast, now: datetime) -> int:
    """Queue one message per recipient (each person once, under the area of their first membership in
    the audience) through messaging's bulk `send_many`: a constant number of queries for any audience.
    A recipient who opted out or cannot be reached is recorded with the reason."""
    audience = Audience(broadcast.area, broadcast.roles, broadcast.agency_kinds)
    first_area: dict[int, str] = {}
    for user_id, area_id in audience.memberships().order_by("user_id", "area_id").values_list("user_id", "area_id"):
        first_area.setdefault(user_id, area_id)
    users = list(User.objects.filter(pk__in=list(first_area)).order_by("pk"))
    key = "test_broadcast" if broadcast.is_test else "broadcast"
    texts: dict[str, str] = {}

    def text_for(user: Any) -> str:
        language = user.preferred_language or "id"
        if language not in texts:
            texts[language] = templates.render(key, {"text": broadcast.text, "code": broadcast.code}, language)
        return texts[language]

    queued = send_many(users=users, text=text_for, purpose="broadcast", batch=broadcast.batch)
    message_of = {m.user_id: m for m in queued.messages}
    refused = {user.pk: reason for user, reason in queued.refused}
    rows = [
        Recipient(
            broadcast=broadcast,
            user=user,
            area_code=first_area[user.pk],
            message=message_of.get(user.pk),
            refused=refused.get(user.pk, "")[:200],
        )
        for user in users
    ]
    Recipient.objects.bulk_create(rows, batch_size=1000)
    broadcast.state = BroadcastState.SENT
    broadcast.sent_at = now
    broadcast.recipient_count = len(rows)
    broadcast.save(update_fields=["state", "sent_at", "recipient_count"])
    return len(rows)


def _locked(actor: Any, broadcast_id: int) -> Broadcast:
    BROADCAST.get(actor, broadcast_id)  # 404 for who may not see it
    return Broadcast.objects.select_for_update().get(pk=broadcast_id)


def broadcast_approve(*, actor: Any, broadcast_id: int, now: datetime | None = None) -> Broadcast:
    """A second writer over the broadcast's area and sector, not its sender, approves: it goes out now."""
    with transaction.atomic():
        broadcast = _locked(actor, broadcast_id)
        refusal = BROADCAST.write_refusal(actor, broadcast)
        if refusal:
            raise Forbidden(refusal)
        refusal = approval_refusal(actor, broadcast)  # the sender itself, or not waiting any more
        if refusal:
            raise Conflict(refusal, code="approval_refused")
        now = now or timezone.now()
        broadcast.approved_by, broadcast.approved_at = actor, now
        broadcast.save(update_fields=["approved_by", "approved_at"])
        count = _dispatch(broadcast, now)
        history_record(
            object_type="reach.broadcast",
            object_key=str(broadcast.pk),
            action="approve",
            actor=actor,
            changes={"state": [BroadcastState.PENDING, BroadcastState.SENT], "recipients": count},
            area_code=broadcast.area_id,
        )
    return broadcast


def broadcast_cancel(*, actor: Any, broadcast_id: int, now: datetime | None = None) -> Broadcast:
    with transaction.atomic():
        broadcast = _locked(actor, broadcast_id)
        refusal = BROADCAST.write_refusal(actor, broadcast)
        if refusal:
            raise Forbidden(refusal)
        if broadcast.state != BroadcastState.PENDING:
            raise Conflict(_("hanya siaran yang menunggu persetujuan yang dapat dibatalkan"), code="not_pending")
        broadcast.state = BroadcastState.CANCELLED
        broadcast.cancelled_at = now or timezone.now()
        broadcast.save(update_fields=["state", "cancelled_at"])
        history_record(
            object_type="reach.broadcast",
            object_key=str(broadcast.pk),
            action="cancel",
            actor=actor,
            changes={"state": [BroadcastState.PENDING, BroadcastState.CANCELLED]},
            area_code=broadcast.area_id,
        )
    return broadcast


# --- rehearsal ---------------------------------------------------------------------------------


def test_report_record(
    *,
    user: Any,
    channel: str,
    broadcast: Broadcast | None = None,
    client_id: str | None = None,
    now: datetime | None = None,
) -> tuple[TestReport, bool]:
    """A field person's rehearsal test report on one channel; a retry with the same id is stored once."""
    if channel not in TEST_CHANNELS:
        raise ValidationFailed(_("kanal tidak dikenal: %(c)s") % {"c": channel}, field="channel")
    client_id = (client_id or "").strip()[:120] or None
    if client_id:
        stored = TestReport.objects.filter(client_id=client_id).first()
        if stored is not None:
            if stored.user_id != user.pk:
                raise Conflict(_("client_id ini sudah dipakai oleh laporan uji lain"), code="client_id_reused")
            return stored, False
    try:
        with transaction.atomic():
            report = TestReport.objects.create(
                user=user, channel=channel, broadcast=broadcast, client_id=client_id, at=now or timezone.now()
            )
            history_record(
                object_type="reach.test_report",
                object_key=str(report.pk),
                action="create",
                actor=user,
                channel=HistoryChannel.SMS if channel != "web" else HistoryChannel.WEB,
                changes={"channel": channel, "broadcast": broadcast.code if broadcast else None},
            )
    except IntegrityError:
        stored = TestReport.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return stored, False
    return report, True


def contact_record(
    *,
    actor: Any,
    area_code: str,
    person_id: int,
    outcome: str,
    note: str = "",
    client_id: str | None = None,
    now: datetime | None = None,
) -> tuple[ContactLog, bool]:
    """A coordinator records a call to someone on the call list of `area_code` (a writer over the area
    and the person's sector). A retry with the same client id is stored once."""
    if outcome not in ContactOutcome.values:
        raise ValidationFailed(_("hasil panggilan tidak dikenal: %(v)s") % {"v": outcome}, field="outcome")
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationFailed(_("catatan paling banyak 300 karakter"), field="note")
    REACH.check(actor, area_code, write=True, what=_("daftar telepon"))
    kinds = kinds_writable(actor, area_code)
    membership = (
        Membership.objects.filter(within(area_code, "area__code"), user_id=person_id, agency__kind__in=kinds)
        .order_by("area_id")
        .values_list("area_id", flat=True)
        .first()
    )
    if membership is None:
        raise ValidationFailed(_("orang ini tidak ada di daftar telepon wilayah Anda"), field="person")
    client_id = (client_id or "").strip()[:120] or None
    if client_id:
        stored = ContactLog.objects.filter(client_id=client_id).first()
        if stored is not None:
            if (stored.recorded_by_id, stored.person_id, stored.outcome, stored.note) != (
                actor.pk,
                person_id,
                outcome,
                note,
            ):
                raise Conflict(_("client_id ini sudah dipakai untuk catatan lain"), code="client_id_reused")
            return stored, False
    try:
        with transaction.atomic():
            entry = ContactLog.objects.create(
                person_id=person_id,
                area_code=membership,
                outcome=outcome,
                note=note,
                recorded_by=actor,
                client_id=client_id,
                at=now or timezone.now(),
            )
            history_record(
                object_type="reach.contact",
                object_key=str(entry.pk),
                action="create",
                actor=actor,
                changes={"person": person_id, "outcome": outcome, "note": note},
                area_code=membership,
            )
    except IntegrityError:
        stored = ContactLog.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return stored, False
    return entry, True


def reporter_consent_record(*, report: Any, contact: str, now: datetime | None = None) -> ReporterConsent:
    """A public reporter agreed to status updates at this number (E.164); refused if not a mobile number."""
    try:
        address = to_e164(contact)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="reporter_contact") from exc
    consent, _created = ReporterConsent.objects.get_or_create(
        report=report, defaults={"address": address, "agreed_at": now or timezone.now()}
    )
    return consent
