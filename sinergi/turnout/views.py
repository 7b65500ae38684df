"""Turnout pages: the live voting-day board, missing TPS, review, reporting, outreach, public page."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, guarded, page
from sinergi.areas.models import Area, Election, within
from sinergi.core.errors import DomainError, NotFound, ValidationFailed
from sinergi.core.formatting import percent
from sinergi.core.models import Channel
from sinergi.core.public import public_page, shared_page
from sinergi.core.web import domain_errors_as_pages
from sinergi.turnout import charts, selectors, services
from sinergi.turnout.clock import election_now
from sinergi.turnout.forms import CorrectionForm, OutreachForm, ReportForm
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.permissions import (
    OUTREACH_AREA,
    REPORTS,
    REVIEW_AREA,
    SLOT,
    SLOT_CORRECTION,
    SLOT_REVIEW,
    TURNOUT_AREA,
)
from sinergi.turnout.voting_day import election_for

PUBLIC_CACHE_SECONDS = 60
ALERTS_SHOWN = 8  # the furthest behind first; the table below shows every child


@page(SIGNED_IN)
def index(request: HttpRequest) -> HttpResponse:
    scopes = REPORTS.read_scopes(request.user)
    if not scopes:
        return render(request, "403.html", {"detail": _("Akun Anda belum memiliki wilayah tugas.")}, status=403)
    # The first area with an election that reports turnout; the menu link opens for every role, so a
    # role whose areas have none (a Samarinda operator: the Pilgub there has no checkpoints) is told so.
    code = next((c for c in scopes if selectors.elections_with_turnout(c)), None)
    if code is None:
        return render(request, "turnout/no_turnout.html", {"scopes": scopes})
    return redirect("turnout:board", code=code)


def _context(request: HttpRequest, code: str, area: Area) -> dict:
    slug, picked = request.GET.get("pemilihan"), request.GET.get("titik")
    now = election_now(election_for(code, slug))
    election, checkpoint = selectors.election_and_checkpoint(code, slug, picked, now=now)
    # Unless a checkpoint was picked, links and the live refresh keep following the clock (on voting
    # day and during a replay the board moves to the next checkpoint by itself).
    query = {"pemilihan": election.slug, **({"titik": checkpoint.code} if picked else {})}
    return {
        "area": area,
        "election": election,
        "checkpoint": checkpoint,
        "checkpoints": list(Checkpoint.objects.filter(election=election).order_by("order")),
        "elections": selectors.elections_with_turnout(code),
        "breadcrumbs": selectors.breadcrumbs(request.user, area),
        "query": urlencode(query),
        "picked": bool(picked),
        "now": now,
    }


def _live(request: HttpRequest, context: dict) -> dict:
    area, election, checkpoint = context["area"], context["election"], context["checkpoint"]
    summary = selectors.area_turnout(area, election, checkpoint)
    children = selectors.children_turnout(request.user, area, checkpoint)
    pace = summary.pace_pct
    grace = selectors.missing_grace_passed(election, checkpoint, context["now"])
    return {
        **context,
        "summary": summary,
        "children": children,
        "behind": sorted(
            (c for c in children if c.turnout_pct is not None and c.turnout_pct < pace),
            key=lambda c: c.turnout_pct or 0,
        )[:ALERTS_SHOWN],
        "late": [c for c in children if grace and c.missing_tps] if grace else [],
        "grace_passed": grace,
        "chart": _chart(area, election),
    }


def _chart(area: Area, election: Election) -> charts.Chart:
    points = selectors.timeline(area, election)
    target = float(election.government_target_pct)
    return charts.build(
        labels=[c.label.split(" (")[0].replace("Pukul ", "") for c, _ in points],
        actual=[t.turnout_pct if t.reported_tps else None for _, t in points],
        pace=[target * float(c.expected_share) for c, _ in points],
        targets=[
            (_("Target pemerintah %(pct)s") % {"pct": percent(target, 1)}, target),
            (_("Target KPU %(pct)s") % {"pct": percent(election.kpu_target_pct, 1)}, float(election.kpu_target_pct)),
        ],
        references=[
            (f"{r['label']} {percent(Decimal(str(r['pct'])), 2)}", float(Decimal(str(r["pct"]))))
            for r in election.reference_turnouts
        ],
    )


@page(Guard(TURNOUT_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def board(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, TURNOUT_AREA)
    context = _live(request, _context(request, code, area))
    context["can_report"] = TURNOUT_AREA.can_write(request.user, area)
    context["can_review"] = REVIEW_AREA.can_write(request.user, area)
    context["flagged_total"] = selectors.flagged_count(request.user, context["area"], context["election"])
    api_query = {"election": context["election"].slug}
    if context["picked"]:
        api_query["checkpoint"] = context["checkpoint"].code
    context["api_query"] = urlencode(api_query)
    context["map_text"] = {
        "none": _("belum ada laporan"),
        "far_behind": _("jauh di bawah laju"),
        "behind": _("sedikit di bawah laju"),
        "on_pace": _("sesuai laju"),
        "above": _("di atas target"),
        "missing": _("belum lapor"),
    }
    return render(request, "turnout/board.html", context)


@page(Guard(TURNOUT_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def board_live(request: HttpRequest, code: str) -> HttpResponse:
    """The part of the board that htmx re-fetches every few seconds."""
    return render(
        request, "turnout/_live.html", _live(request, _context(request, code, guarded(request, TURNOUT_AREA)))
    )


@page(Guard(TURNOUT_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def missing(request: HttpRequest, code: str) -> HttpResponse:
    context = _context(request, code, guarded(request, TURNOUT_AREA))
    page = selectors.missing_slots(
        request.user, context["area"], context["checkpoint"], after=request.GET.get("setelah")
    )
    return render(request, "turnout/missing.html", {**context, "page": page})


@page(Guard(TURNOUT_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def review(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, TURNOUT_AREA)
    context = _context(request, code, area)
    slots = selectors.review_slots(request.user, area, context["election"])
    can_review = REVIEW_AREA.can_write(request.user, area)
    can_correct = can_review  # the same supervisors confirm or correct (permissions.review_scopes)
    return render(
        request,
        "turnout/review.html",
        {**context, "slots": slots, "can_review": can_review, "can_correct": can_correct, "form": CorrectionForm()},
    )


@page(Guard(SLOT, "slot_id", write=False))
@require_safe
@domain_errors_as_pages
def slot_detail(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = guarded(request, SLOT)
    context = {
        "slot": slot,
        "area": slot.tps.desa,
        "versions": selectors.slot_versions(slot),
        "breadcrumbs": [*selectors.breadcrumbs(request.user, slot.tps.desa), slot.tps.desa],
        "can_review": SLOT_REVIEW.can_write(request.user, slot),
        "can_correct": SLOT_CORRECTION.can_write(request.user, slot),
        "form": CorrectionForm(),
    }
    return render(request, "turnout/slot.html", context)


def _next_or(request: HttpRequest, default: str) -> str:
    """The form's `next` when it is a path on this site; anything else (another host, a scheme) is ignored."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return default


@page(Guard(SLOT_REVIEW, "slot_id", write=True))
@require_POST
@domain_errors_as_pages
def slot_accept(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = services.slot_accept(slot_id=slot_id, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("Laporan TPS %(tps)s diterima.") % {"tps": slot.tps_id})
    return redirect(_next_or(request, reverse("turnout:slot", args=[slot_id])))


@page(Guard(SLOT_CORRECTION, "slot_id", write=True))
@require_POST
@domain_errors_as_pages
def slot_correct(request: HttpRequest, slot_id: int) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed("; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()))
    result = services.slot_correct(slot_id=slot_id, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Koreksi tersimpan sebagai versi %(v)s.") % {"v": result.version})
    return redirect(_next_or(request, reverse("turnout:slot", args=[slot_id])))


@page(Guard(TURNOUT_AREA, "code", write=True))
@domain_errors_as_pages
def report(request: HttpRequest, code: str) -> HttpResponse:
    context = _context(request, code, guarded(request, TURNOUT_AREA))
    form = ReportForm(
        request.POST or None, checkpoints=context["checkpoints"], initial=_report_initial(request, context)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        data["client_id"] = data.get("client_id") or None
        try:
            [result] = services.report_submit_as(
                user=request.user,
                election=context["election"],
                items=[services.ReportInput(**data)],
                channel=Channel.WEB,
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            _report_messages(request, result)
            query = urlencode({"pemilihan": context["election"].slug, "titik": result.checkpoint})
            return redirect(f"{reverse('turnout:report', args=[code])}?{query}")
    return render(request, "turnout/report.html", {**context, "form": form})


def _report_messages(request: HttpRequest, result: services.ReportResult) -> None:
    """Stored and counted is a success; stored but held (implausible, waiting for a supervisor) or
    flagged is a warning, so it does not read like a success."""
    values = {"tps": result.tps_code, "cp": result.checkpoint, "n": result.voters, "v": result.version}
    if result.held:
        text = _(
            "Tersimpan tetapi DITAHAN: TPS %(tps)s titik %(cp)s, %(n)s pemilih (versi %(v)s) tidak dihitung "
            "sampai pengawas KPU atau Bawaslu mengonfirmasi atau mengoreksinya."
        )
        messages.warning(request, text % values)
    elif result.flags:
        messages.warning(
            request, _("Tersimpan dengan tanda: TPS %(tps)s titik %(cp)s, %(n)s pemilih (versi %(v)s).") % values
        )
    else:
        messages.success(request, _("Tersimpan: TPS %(tps)s titik %(cp)s, %(n)s pemilih (versi %(v)s).") % values)
    for flag in result.flags:
        messages.warning(request, flag["message"])


def _report_initial(request: HttpRequest, context: dict) -> dict:
    # A fresh client id per form: a double submit of the same page is stored once.
    return {
        "checkpoint": context["checkpoint"].code,
        "client_id": f"web:{uuid.uuid4()}",
        "tps_code": request.GET.get("tps", ""),
    }


@page(Guard(OUTREACH_AREA, "code"))
@domain_errors_as_pages
def outreach(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, OUTREACH_AREA)
    context = _context(request, code, area)
    desa = (
        Area.objects.active()
        .filter(within(code, "code"), level="desa_kelurahan")
        .order_by("code")
        .values_list("code", "name")
    )
    can_write = OUTREACH_AREA.can_write(request.user, area)
    form = OutreachForm(request.POST or None, desa_choices=desa if can_write else [])
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Kegiatan sosialisasi tercatat."))
            return redirect(f"{reverse('turnout:outreach', args=[code])}?{context['query']}")
    final = next((c for c in context["checkpoints"] if c.is_final), context["checkpoint"])
    comparison = (
        selectors.outreach_vs_turnout(request.user, area, final)
        if area.level in ("kabupaten_kota", "kecamatan", "desa_kelurahan")
        else []
    )
    return render(
        request,
        "turnout/outreach.html",
        {
            **context,
            "form": form,
            "can_write": can_write,
            "activities": selectors.outreach_list(area),
            "comparison": comparison,
            "final": final,
        },
    )


@page(PUBLIC)
@public_page(PUBLIC_CACHE_SECONDS)
@shared_page(PUBLIC_CACHE_SECONDS, stale_seconds=PUBLIC_CACHE_SECONDS)
@domain_errors_as_pages
def public(request: HttpRequest, code: str) -> HttpResponse:
    """Totals only, no login, cached: served apart from the write path (a read replica in production)."""
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(_("wilayah %(code)s tidak ditemukan") % {"code": code})
    election, checkpoint = selectors.election_and_checkpoint(
        code, request.GET.get("pemilihan"), request.GET.get("titik")
    )
    summary = selectors.area_turnout(area, election, checkpoint)
    return TemplateResponse(
        request,
        "turnout/public.html",
        {
            "area": area,
            "election": election,
            "checkpoint": checkpoint,
            "summary": summary,
            "chart": _chart(area, election),
        },
    )
