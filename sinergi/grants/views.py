import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, guarded, page
from sinergi.accounts.models import Agency
from sinergi.areas.models import Election, Level, within
from sinergi.core.documents import attachment
from sinergi.core.errors import DomainError, NotFound, ValidationFailed
from sinergi.core.public import public_page
from sinergi.core.timezones import local_today
from sinergi.core.web import domain_errors_as_pages
from sinergi.grants import chart, export, schedule, selectors, services
from sinergi.grants.forms import (
    AgreementForm,
    AmendForm,
    EntryForm,
    RatificationForm,
    parse_budget_years,
    parse_rupiah_input,
)
from sinergi.grants.models import Ratification
from sinergi.grants.permissions import AGREEMENT_TERMS, AGREEMENTS, REGIONS, AgreementGuard

RECIPIENT_KINDS = ["kpu", "bawaslu", "polres", "kodim", "polda"]


@page(SIGNED_IN)
def start(request: HttpRequest) -> HttpResponse:
    code = selectors.start_area(request.user)
    if code is None:
        return redirect("grants:public_index")
    return redirect("grants:overview", code=code)


@page(Guard(REGIONS, "code", write=False))
@domain_errors_as_pages
def overview(request: HttpRequest, code: str) -> HttpResponse:
    today = local_today(code)
    data = _overview(request, code, today)
    context = {
        "data": data,
        "today": today,
        "reconciliation": selectors.reconciliation(code, user=request.user) if data.rows else [],
        "ratifications": _ratifications(data),
    }
    return render(request, "grants/overview.html", context)


def _ratifications(data) -> list[dict]:
    stored = {r.election_id: r for r in Ratification.objects.filter(election__in=data.elections)}
    rows = []
    for election in data.elections:
        ratification = stored.get(election.pk)
        deadline = schedule.refund_deadline(ratification.proposed_on if ratification else None)
        rows.append({"election": election, "ratification": ratification, "deadline": deadline})
    return rows


@page(AgreementGuard(AGREEMENTS, write=False))
@domain_errors_as_pages
def agreement_detail(request: HttpRequest, election: str, recipient: str) -> HttpResponse:
    return _agreement_page(request, guarded(request, AGREEMENTS))


def _agreement_page(request: HttpRequest, agreement, form: EntryForm | None = None, status: int = 200) -> HttpResponse:
    today = local_today(agreement.region_id)
    view = selectors.agreement_view(request.user, agreement, today=today)
    context = {
        "view": view,
        "a": agreement,
        "today": today,
        "form": form or EntryForm(kinds=view.allowed_kinds),
        "amend_form": AmendForm(prefix="addendum") if view.can_amend else None,
        "svg": _timeline(view, today),
    }
    return render(request, "grants/agreement.html", context, status=status)


def _overview(request: HttpRequest, code: str, today: dt.date) -> selectors.Overview:
    """The region overview the page and its workbook show, for the guarded area."""
    election = request.GET.get("pemilihan") or None
    return selectors.overview(request.user, code, today=today, election_slug=election, area=guarded(request, REGIONS))


def _timeline(view, today: dt.date) -> str:
    a = view.agreement
    by_account: dict[str, list] = {"disbursed": [], "spent": [], "refunded": []}
    for e in view.entries:
        by_account[e.account].append((e.entry_date, e.amount))
    # The chart spans the grant's life, not the years after it closed.
    events = [
        a.election.voting_date,
        *[e.entry_date for e in view.entries],
        *([view.refund_due] if view.refund_due else []),
    ]
    end = min(today, max(events)) + dt.timedelta(days=30)
    markers = [(a.election.voting_date, _("Hari-H"))]
    if today <= end:
        markers.append((today, _("Hari ini")))
    if view.refund_due:
        markers.append((view.refund_due, _("Batas pengembalian")))
    first_signed = view.versions[0].signed_on if view.versions else a.signed_on
    return chart.timeline_svg(
        amount=a.amount,
        start=first_signed,
        end=end,
        series={
            "schedule": [(t.tranche.due_on, t.tranche.cumulative) for t in view.tranches],
            **{k: chart.cumulative(v) for k, v in by_account.items()},
        },
        labels={
            "title": _("Lini masa NPHD %(number)s") % {"number": a.number},
            "schedule": _("Jadwal wajib"),
            "disbursed": _("Disalurkan"),
            "spent": _("Realisasi"),
            "refunded": _("Dikembalikan"),
        },
        markers=markers,
    )


@page(AgreementGuard(AGREEMENTS))
@require_POST
@domain_errors_as_pages
def entry_post(request: HttpRequest, election: str, recipient: str) -> HttpResponse:
    agreement = guarded(request, AGREEMENTS)
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _agreement_page(request, agreement, form=form, status=422)
    d = form.cleaned_data
    try:
        amount = parse_rupiah_input(d["amount"]) if d["kind"] != "correction" else None
        posted = services.ledger_post(
            actor=request.user,
            agreement_id=agreement.pk,
            kind=d["kind"],
            amount=amount,
            entry_date=d["entry_date"],
            reference=d["reference"],
            category=d["category"],
            reverses_seq=d["reverses_seq"],
            note=d["note"],
            client_id=d["client_id"],
        )
    except ValidationFailed as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        return _agreement_page(request, agreement, form=form, status=422)
    if posted.created:
        messages.success(request, _("Entri #%(seq)s dicatat.") % {"seq": posted.entry.seq})
    else:
        messages.info(request, _("Entri #%(seq)s sudah tercatat sebelumnya.") % {"seq": posted.entry.seq})
    return redirect("grants:agreement", election=election, recipient=recipient)


@page(AgreementGuard(AGREEMENT_TERMS))
@require_POST
@domain_errors_as_pages
def agreement_amend(request: HttpRequest, election: str, recipient: str) -> HttpResponse:
    agreement = guarded(request, AGREEMENT_TERMS)
    form = AmendForm(request.POST, prefix="addendum")
    if not form.is_valid():
        raise ValidationFailed("; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()))
    d = form.cleaned_data
    services.agreement_amend(
        actor=request.user,
        agreement_id=agreement.pk,
        number=d["number"],
        signed_on=d["signed_on"],
        amount=parse_rupiah_input(d["amount"]),
        policy_code=d["policy"].code if d["policy"] else None,
        budget_years=parse_budget_years(d["budget_years"]),
        note=d["note"],
    )
    messages.success(request, _("Adendum dicatat sebagai versi baru."))
    return redirect("grants:agreement", election=election, recipient=recipient)


@page(AgreementGuard(AGREEMENT_TERMS))
@require_POST
@domain_errors_as_pages
def agreement_close(request: HttpRequest, election: str, recipient: str) -> HttpResponse:
    agreement = guarded(request, AGREEMENT_TERMS)
    services.agreement_close(actor=request.user, agreement_id=agreement.pk)
    messages.success(request, _("NPHD ditutup."))
    return redirect("grants:agreement", election=election, recipient=recipient)


@page(Guard(REGIONS, "code", write=True))
@domain_errors_as_pages
def agreement_new(request: HttpRequest, code: str) -> HttpResponse:
    if not Election.objects.filter(region_id=code).exists():
        raise NotFound(_("tidak ada pemilihan untuk wilayah %(code)s") % {"code": code})
    form = AgreementForm(request.POST or None, recipients=_recipient_choices(code), elections=_elections(code))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=request.user,
                election_slug=d["election"],
                recipient_code=d["recipient"],
                number=d["number"],
                signed_on=d["signed_on"],
                amount=parse_rupiah_input(d["amount"]),
                policy_code=d["policy"].code,
                budget_years=parse_budget_years(d["budget_years"]),
                note=d["note"],
            )
        except DomainError as exc:
            form.add_error(
                getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None, exc.detail
            )
        else:
            messages.success(request, _("NPHD %(number)s dicatat.") % {"number": agreement.number})
            return redirect("grants:agreement", election=agreement.election.slug, recipient=agreement.recipient.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "grants/agreement_form.html", {"form": form, "code": code}, status=status)


def _recipient_choices(code: str) -> list[tuple[str, str]]:
    """Recipients are the election bodies and security units seated in or covering the region."""
    agencies = Agency.objects.filter(kind__in=RECIPIENT_KINDS).filter(
        within(code, "area__code") | within(code, "jurisdictions__area__code")
    )
    return [(a.code, a.name) for a in agencies.distinct().order_by("kind", "code")]


def _elections(code: str) -> list[tuple[str, str]]:
    return [(e.slug, e.name) for e in Election.objects.filter(region_id=code).order_by("voting_date")]


@page(Guard(REGIONS, "code"))
@require_POST
@domain_errors_as_pages
def ratification_set(request: HttpRequest, code: str) -> HttpResponse:
    form = RatificationForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("tanggal usulan pengesahan tidak valid"), field="proposed_on")
    d = form.cleaned_data
    services.ratification_set(
        actor=request.user, election_slug=d["election"], proposed_on=d["proposed_on"], source=d["source"]
    )
    messages.success(request, _("Tanggal usulan pengesahan disimpan."))
    return redirect("grants:overview", code=code)


@page(Guard(REGIONS, "code", write=False))
@domain_errors_as_pages
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    today = local_today(code)
    data = _overview(request, code, today)
    if data.area.level != Level.REGENCY and not data.rows:
        # The reader may see this area (the rule said so): the export simply is per regency (422, not 404).
        raise ValidationFailed(_("ekspor tersedia untuk kabupaten/kota dengan NPHD"), field="code")
    content = export.workbook_bytes(data, today=today, reconciliation=selectors.reconciliation(code, user=request.user))
    return attachment(content, f"hibah-pilkada-{code}-{today:%Y%m%d}.xlsx")


@page(PUBLIC)
@public_page(selectors.PUBLIC_CACHE_SECONDS)
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "grants/public_index.html", {"regions": selectors.public_regions()})


@page(PUBLIC)
@public_page(selectors.PUBLIC_CACHE_SECONDS)
def public_region(request: HttpRequest, code: str) -> HttpResponse:
    try:
        data = selectors.public_region(code)
    except NotFound:
        raise Http404(_("tidak ada hibah di sini")) from None
    return render(request, "grants/public_region.html", {"data": data})
