"""Every write of the grants module. The ledger invariants live in `ledger_post`, which holds a row
lock on the agreement (SELECT ... FOR UPDATE) for the whole check-and-write; the database check
constraints on `Agreement` are the second line of defence."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Election
from sinergi.core.errors import Conflict, NotFound, ValidationFailed
from sinergi.core.formatting import rupiah
from sinergi.core.history import history_record
from sinergi.core.models import Channel
from sinergi.core.money import to_rupiah
from sinergi.core.timezones import local_today
from sinergi.grants import permissions, schedule
from sinergi.grants.models import (
    Account,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    BudgetFigure,
    DisbursementPolicy,
    EntryKind,
    LedgerEntry,
    Ratification,
    SpendingCategory,
    Tranche,
)
from sinergi.grants.permissions import AGREEMENT_TERMS, AGREEMENTS, REGIONS
from sinergi.grants.selectors import GENERATION_KEY

ACCOUNT_OF_KIND = {
    EntryKind.DISBURSEMENT: Account.DISBURSED,
    EntryKind.SPENDING: Account.SPENT,
    EntryKind.REFUND: Account.REFUNDED,
}
KIND_OF_ACCOUNT = {account: kind for kind, account in ACCOUNT_OF_KIND.items()}


def _bump_generation() -> None:
    """Public pages cache by generation; every committed write starts a new one."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, timezone.now().timestamp(), None))


# --- agreements -------------------------------------------------------------------------------


def _budget_years(raw: Sequence[tuple[int, Any]] | None, amount: Decimal, signed_on: dt.date) -> list[dict]:
    """[(year, amount)] -> stored form; the years must add up to the agreement amount exactly."""
    pairs = list(raw) if raw else [(signed_on.year, amount)]
    parsed = [(int(year), to_rupiah(value, field="budget_years")) for year, value in pairs]
    years = [year for year, _ in parsed]
    if len(set(years)) != len(years):
        raise ValidationFailed(_("setiap tahun anggaran hanya boleh muncul sekali"), field="budget_years")
    if any(value <= 0 for _, value in parsed):
        raise ValidationFailed(_("alokasi per tahun anggaran harus lebih dari nol"), field="budget_years")
    total = sum((value for _, value in parsed), Decimal(0))
    if total != amount:
        raise ValidationFailed(
            _("alokasi tahun anggaran berjumlah %(total)s, bukan %(amount)s") % {"total": rupiah(total), "amount": rupiah(amount)},
            field="budget_years",
        )
    return [{"year": year, "amount": str(value)} for year, value in sorted(parsed)]


def _policy(code: str) -> DisbursementPolicy:
    policy = DisbursementPolicy.objects.filter(code=code).first()
    if policy is None:
        raise ValidationFailed(_("pola pencairan '%(code)s' tidak dikenal") % {"code": code}, field="policy")
    return policy


def _steps(policy: DisbursementPolicy) -> list[schedule.Step]:
    return [
        schedule.Step(s.seq, s.label, s.share_pct, s.anchor, s.working_days, s.months_before)
        for s in policy.steps.order_by("seq")
    ]


def _tranches_regenerate(agreement: Agreement, policy: DisbursementPolicy) -> None:
    """The schedule is derived data: an addendum replaces it, the versions keep the history."""
    try:
        planned = schedule.plan(
            _steps(policy),
            amount=agreement.amount,
            signed_on=agreement.signed_on,
            voting_date=agreement.election.voting_date,
        )
    except schedule.CalendarNotCovered as exc:
        raise ValidationFailed(str(exc), field="signed_on") from None
    except ValueError as exc:  # a policy edited in the admin whose shares do not add up to 100 %
        raise ValidationFailed(_("pola pencairan %(code)s tidak valid: %(reason)s") % {"code": policy.code, "reason": exc}, field="policy") from None
    agreement.tranches.all().delete()
    Tranche.objects.bulk_create(
        [
            Tranche(
                agreement=agreement,
                seq=t.seq,
                label=t.label,
                share_pct=t.share_pct,
                amount=t.amount,
                cumulative=t.cumulative,
                due_on=t.due_on,
                rule=t.rule,
            )
            for t in planned
        ]
    )


def _check_terms(number: str, signed_on: dt.date, amount: Decimal, election: Election) -> None:
    if not number.strip():
        raise ValidationFailed(_("nomor NPHD wajib diisi"), field="number")
    if amount <= 0:
        raise ValidationFailed(_("nilai NPHD harus lebih dari nol"), field="amount")
    if signed_on > election.voting_date:
        raise ValidationFailed(_("NPHD tidak dapat ditandatangani setelah hari pemungutan suara"), field="signed_on")


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    election_slug: str,
    recipient_code: str,
    number: str,
    signed_on: dt.date,
    amount: Any,
    policy_code: str,
    budget_years: Sequence[tuple[int, Any]] | None = None,
    note: str = "",
    channel: str = Channel.WEB,
) -> Agreement:
    election = Election.objects.select_related("region").filter(slug=election_slug).first()
    if election is None:
        raise ValidationFailed(_("pemilihan '%(slug)s' tidak dikenal") % {"slug": election_slug}, field="election")
    REGIONS.get(actor, election.region_id, write=True)
    recipient = Agency.objects.filter(code=recipient_code).first()
    if recipient is None:
        raise ValidationFailed(_("instansi '%(code)s' tidak dikenal") % {"code": recipient_code}, field="recipient")
    value = to_rupiah(amount)
    _check_terms(number, signed_on, value, election)
    policy = _policy(policy_code)
    years = _budget_years(budget_years, value, signed_on)
    if Agreement.objects.filter(election=election, recipient=recipient).exists():
        raise Conflict(_("%(recipient)s sudah memiliki NPHD untuk %(election)s; gunakan adendum") % {"recipient": recipient.name, "election": election.name})
    agreement = Agreement.objects.create(
        election=election,
        region_id=election.region_id,
        recipient=recipient,
        number=number.strip(),
        signed_on=signed_on,
        amount=value,
        policy=policy,
    )
    AgreementVersion.objects.create(
        agreement=agreement,
        version=1,
        number=agreement.number,
        signed_on=signed_on,
        amount=value,
        policy=policy,
        budget_years=years,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _tranches_regenerate(agreement, policy)
    history_record(
        object_type="grants.agreement",
        object_key=str(agreement.pk),
        action="create",
        actor=actor,
        channel=channel,
        changes={"number": [None, agreement.number], "amount": [None, str(value)], "policy": [None, policy.code]},
        area_code=agreement.region_id,
    )
    _bump_generation()
    return agreement


@transaction.atomic
def agreement_amend(
    *,
    actor: Any,
    agreement_id: int,
    number: str,
    signed_on: dt.date,
    amount: Any,
    policy_code: str | None = None,
    budget_years: Sequence[tuple[int, Any]] | None = None,
    note: str = "",
    channel: str = Channel.WEB,
) -> AgreementVersion:
    """An addendum: a new version with new terms; earlier versions stay as they were signed."""
    agreement = _locked(agreement_id, "election", "policy")
    AGREEMENT_TERMS.get(actor, agreement.pk, write=True)
    if agreement.status == AgreementStatus.CLOSED:
        raise Conflict(_("NPHD ini sudah ditutup"))
    value = to_rupiah(amount)
    _check_terms(number, signed_on, value, agreement.election)
    if value < agreement.disbursed:
        raise ValidationFailed(
            _("nilai baru %(value)s lebih kecil dari yang sudah disalurkan (%(disbursed)s)")
            % {"value": rupiah(value), "disbursed": rupiah(agreement.disbursed)},
            field="amount",
        )
    policy = _policy(policy_code) if policy_code else agreement.policy
    years = _budget_years(budget_years, value, signed_on)
    before = {"amount": str(agreement.amount), "number": agreement.number, "policy": agreement.policy.code}
    version = AgreementVersion.objects.create(
        agreement=agreement,
        version=agreement.version + 1,
        number=number.strip(),
        signed_on=signed_on,
        amount=value,
        policy=policy,
        budget_years=years,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    # `signed_on` stays the original signing: tranches count from it, an addendum does not restart the clock.
    Agreement.objects.filter(pk=agreement.pk).update(
        version=version.version, number=version.number, amount=value, policy=policy
    )
    agreement.refresh_from_db()
    _tranches_regenerate(agreement, policy)
    history_record(
        object_type="grants.agreement",
        object_key=str(agreement.pk),
        action="amend",
        actor=actor,
        channel=channel,
        changes={
            "amount": [before["amount"], str(value)],
            "number": [before["number"], version.number],
            "policy": [before["policy"], policy.code],
        },
        note=note,
        area_code=agreement.region_id,
    )
    _bump_generation()
    return version


def _locked(agreement_id: int, *related: str) -> Agreement:
    """The agreement, row-locked until the transaction ends (SELECT ... FOR UPDATE OF the agreement)."""
    try:
        return Agreement.objects.select_for_update(of=("self",)).select_related(*related).get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise NotFound(_("NPHD tidak ditemukan")) from None


@transaction.atomic
def agreement_close(*, actor: Any, agreement_id: int, channel: str = Channel.WEB) -> Agreement:
    """Closing needs the books settled: everything disbursed and not spent has come back."""
    agreement = _locked(agreement_id)
    AGREEMENT_TERMS.get(actor, agreement.pk, write=True)
    if agreement.status == AgreementStatus.CLOSED:
        return agreement
    owed = agreement.disbursed - agreement.spent
    if agreement.refunded != owed:
        raise ValidationFailed(
            _(
                "NPHD belum dapat ditutup: sisa dana %(owed)s (disalurkan - realisasi) belum sama "
                "dengan yang dikembalikan %(refunded)s"
            )
            % {"owed": rupiah(owed), "refunded": rupiah(agreement.refunded)},
            field="refunded",
        )
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.CLOSED, closed_at=timezone.now())
    history_record(
        object_type="grants.agreement",
        object_key=str(agreement.pk),
        action="close",
        actor=actor,
        channel=channel,
        area_code=agreement.region_id,
    )
    _bump_generation()
    agreement.refresh_from_db()
    return agreement


# --- ledger -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    entry: LedgerEntry
    created: bool  # False when the client id was already stored (a retry)


@dataclass(frozen=True)
class EntryInput:
    kind: str
    amount: Decimal
    entry_date: dt.date
    reference: str
    category: str
    reverses_seq: int | None
    note: str


def ledger_post(
    *,
    actor: Any,
    agreement_id: int,
    kind: str,
    entry_date: dt.date,
    reference: str,
    client_id: str,
    amount: Any = None,
    category: str = "",
    reverses_seq: int | None = None,
    note: str = "",
    channel: str = Channel.WEB,
    today: dt.date | None = None,
) -> Posted:
    """Append one entry. A retry with the same client id returns the stored entry unchanged."""
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationFailed(_("client_id wajib diisi (maks. 64 karakter)"), field="client_id")
    if kind not in EntryKind.values:
        raise ValidationFailed(_("jenis entri '%(kind)s' tidak dikenal") % {"kind": kind}, field="kind")
    value = to_rupiah(amount) if amount not in (None, "") else None
    data = EntryInput(
        kind, value or Decimal(0), entry_date, (reference or "").strip(), category or "", reverses_seq, note.strip()
    )
    try:
        with transaction.atomic():
            return _post_locked(actor, agreement_id, data, client_id, channel, today)
    except IntegrityError as exc:
        # Only reachable if a constraint caught what the locked checks did not; nothing was written.
        raise Conflict(_("entri ditolak oleh basis data: %(reason)s") % {"reason": exc}) from None


def _post_locked(actor, agreement_id, data: EntryInput, client_id, channel, today) -> Posted:
    agreement = _locked(agreement_id)
    AGREEMENTS.get(actor, agreement.pk)  # NotFound unless the actor may read it
    stored = LedgerEntry.objects.filter(agreement=agreement, client_id=client_id).order_by()[:1]
    if stored:
        return Posted(_same_or_conflict(stored[0], data), False)
    reversed_entry = _reversed_entry(agreement, data)
    effective_kind = reversed_entry.kind if reversed_entry else data.kind
    if agreement.status == AgreementStatus.CLOSED:
        raise Conflict(_("NPHD ini sudah ditutup; tidak ada entri baru"))
    AGREEMENTS.get(actor, agreement.pk, write=True)
    permissions.check_post(actor, agreement, effective_kind)
    _validate_fields(agreement, data, today or local_today(agreement.region_id))
    account, delta = _effect(data, reversed_entry)
    totals = _new_totals(agreement, account, delta)
    entry = LedgerEntry.objects.create(
        agreement=agreement,
        seq=agreement.entry_count + 1,
        kind=data.kind,
        account=account,
        amount=delta,
        entry_date=data.entry_date,
        reference=data.reference,
        category=data.category if data.kind == EntryKind.SPENDING else "",
        reverses=reversed_entry,
        note=data.note,
        client_id=client_id,
        channel=channel,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Agreement.objects.filter(pk=agreement.pk).update(entry_count=entry.seq, **totals)
    history_record(
        object_type="grants.agreement",
        object_key=str(agreement.pk),
        action=f"ledger.{data.kind}",
        actor=actor,
        channel=channel,
        changes={account: [str(getattr(agreement, account)), str(totals[account])]},
        note=f"#{entry.seq} {data.reference}",
        area_code=agreement.region_id,
    )
    _bump_generation()
    return Posted(entry, True)


def _same_or_conflict(stored: LedgerEntry, data: EntryInput) -> LedgerEntry:
    """A retry must carry the same entry; a different one under a used client id is a client bug."""
    same_amount = data.kind == EntryKind.CORRECTION or abs(stored.amount) == data.amount
    if stored.kind != data.kind or not same_amount or stored.entry_date != data.entry_date:
        raise Conflict(_("client_id sudah dipakai untuk entri #%(seq)s yang berbeda") % {"seq": stored.seq})
    return stored


def _reversed_entry(agreement: Agreement, data: EntryInput) -> LedgerEntry | None:
    if data.kind != EntryKind.CORRECTION:
        if data.reverses_seq is not None:
            raise ValidationFailed(_("hanya koreksi yang membalik entri lain"), field="reverses_seq")
        return None
    if data.reverses_seq is None:
        raise ValidationFailed(_("koreksi harus menyebut nomor entri yang dibalik"), field="reverses_seq")
    target = LedgerEntry.objects.filter(agreement=agreement, seq=data.reverses_seq).order_by().first()
    if target is None:
        raise ValidationFailed(_("entri #%(seq)s tidak ada pada NPHD ini") % {"seq": data.reverses_seq}, field="reverses_seq")
    if target.kind == EntryKind.CORRECTION:
        raise ValidationFailed(_("koreksi tidak dapat dibalik; catat entri baru"), field="reverses_seq")
    if LedgerEntry.objects.filter(reverses=target).exists():
        raise ValidationFailed(_("entri #%(seq)s sudah dikoreksi") % {"seq": target.seq}, field="reverses_seq")
    return target


def _validate_fields(agreement: Agreement, data: EntryInput, today: dt.date) -> None:
    if data.kind != EntryKind.CORRECTION and data.amount <= 0:
        raise ValidationFailed(_("jumlah harus lebih dari nol"), field="amount")
    if not data.reference:
        raise ValidationFailed(_("nomor referensi (SP2D, dokumen, bukti setor) wajib diisi"), field="reference")
    limit = LedgerEntry._meta.get_field("reference").max_length or 0
    if len(data.reference) > limit:
        # PostgreSQL refuses the over-long value with a DataError (a 500); SQLite would store it.
        raise ValidationFailed(_("nomor referensi paling panjang %(limit)d karakter") % {"limit": limit}, field="reference")
    if data.entry_date > today:
        raise ValidationFailed(_("tanggal tidak boleh di masa depan"), field="entry_date")
    if data.entry_date < agreement.signed_on:
        raise ValidationFailed(_("tanggal sebelum NPHD ditandatangani"), field="entry_date")
    if data.kind == EntryKind.SPENDING and data.category not in SpendingCategory.values:
        raise ValidationFailed(_("kategori belanja wajib dipilih"), field="category")
    if data.kind == EntryKind.CORRECTION and not data.note:
        raise ValidationFailed(_("alasan koreksi wajib diisi"), field="note")


def _effect(data: EntryInput, reversed_entry: LedgerEntry | None) -> tuple[str, Decimal]:
    if reversed_entry is not None:
        return reversed_entry.account, -reversed_entry.amount
    return ACCOUNT_OF_KIND[EntryKind(data.kind)], data.amount


def _new_totals(agreement: Agreement, account: str, delta: Decimal) -> dict[str, Decimal]:
    """The totals after the entry, refused unless every invariant still holds."""
    totals: dict[str, Decimal] = {str(a): getattr(agreement, a) for a in Account}
    totals[account] += delta
    disbursed, spent, refunded = totals["disbursed"], totals["spent"], totals["refunded"]
    available = agreement.disbursed - agreement.spent - agreement.refunded
    if disbursed > agreement.amount:
        room = rupiah(agreement.amount - agreement.disbursed)
        raise _overspend(_("penyaluran melebihi nilai NPHD: sisa yang dapat disalurkan %(room)s") % {"room": room})
    if min(disbursed, spent, refunded) < 0 or spent + refunded > disbursed:
        if account == Account.SPENT:
            raise _overspend(
                _("realisasi melebihi dana yang disalurkan dan belum dikembalikan (tersedia %(available)s)")
                % {"available": rupiah(available)}
            )
        if account == Account.REFUNDED:
            raise _overspend(
                _("pengembalian melebihi sisa dana di penerima (sisa %(available)s)") % {"available": rupiah(available)}
            )
        raise _overspend(
            _(
                "koreksi ini membuat dana yang disalurkan (%(disbursed)s) lebih kecil dari realisasi "
                "dan pengembalian (%(used)s)"
            )
            % {"disbursed": rupiah(disbursed), "used": rupiah(spent + refunded)}
        )
    return totals


def _overspend(detail: str) -> ValidationFailed:
    return ValidationFailed(detail, field="amount", code="overspend")


# --- ratification and reconciliation figures ---------------------------------------------------


@transaction.atomic
def ratification_set(
    *, actor: Any, election_slug: str, proposed_on: dt.date, source: str = "", channel: str = Channel.WEB
) -> Ratification:
    election = Election.objects.filter(slug=election_slug).first()
    if election is None:
        raise ValidationFailed(_("pemilihan '%(slug)s' tidak dikenal") % {"slug": election_slug}, field="election")
    REGIONS.get(actor, election.region_id, write=True)
    if proposed_on < election.voting_date:
        raise ValidationFailed(_("usulan pengesahan tidak mungkin sebelum hari pemungutan suara"), field="proposed_on")
    previous = Ratification.objects.filter(election=election).first()
    ratification, _created = Ratification.objects.update_or_create(
        election=election,
        defaults={
            "proposed_on": proposed_on,
            "source": source,
            "entered_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    history_record(
        object_type="grants.ratification",
        object_key=election.slug,
        action="set",
        actor=actor,
        channel=channel,
        changes={"proposed_on": [str(previous.proposed_on) if previous else None, str(proposed_on)]},
        note=source,
        area_code=election.region_id,
    )
    _bump_generation()
    return ratification


@transaction.atomic
def budget_figure_add(
    *,
    actor: Any,
    election_slug: str,
    label: str,
    amount: Any,
    kind: str = "total",
    recipient_code: str | None = None,
    source_key: str = "",
    source: str = "",
    note: str = "",
) -> BudgetFigure:
    election = Election.objects.filter(slug=election_slug).first()
    if election is None:
        raise ValidationFailed(_("pemilihan '%(slug)s' tidak dikenal") % {"slug": election_slug}, field="election")
    REGIONS.get(actor, election.region_id, write=True)
    recipient = Agency.objects.filter(code=recipient_code).first() if recipient_code else None
    if kind == "item" and recipient is None:
        raise ValidationFailed(_("rincian per penerima membutuhkan penerima"), field="recipient")
    figure = BudgetFigure.objects.create(
        region_id=election.region_id,
        election=election,
        kind=kind,
        recipient=recipient,
        label=label,
        amount=to_rupiah(amount),
        source_key=source_key,
        source=source,
        note=note,
    )
    _bump_generation()
    return figure
