"""Pages of the report module: thin views that parse and call one service or selector.

Every page declares its rule (`@page`); objects come through `permissions` (`REPORTS`,
`ATTACHMENTS`, `AREAS`), lists through `REPORTS.visible` (in the selectors)."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.access import memberships_of
from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.accounts.models import AuthedRequest
from sinergi.areas.models import Area, Level
from sinergi.core.clients import client_address
from sinergi.core.errors import Conflict, DomainError, ValidationFailed
from sinergi.core.models import Channel
from sinergi.core.web import domain_errors_as_pages
from sinergi.incidents import exports, permissions, selectors, services, triage
from sinergi.incidents.forms import BulkForm, PublicReportForm, ReportForm, TransitionForm
from sinergi.incidents.permissions import ATTACHMENTS, INCIDENTS, REPORTS
from sinergi.incidents.sla import SEVERITY_CHOICES
from sinergi.incidents.throttle import (
    public_intake_blocked,
    public_intake_counted,
    tracking_blocked,
    tracking_counted,
)
from sinergi.incidents.uploads import read_files
from sinergi.reach.services import reporter_consent_record


def _filters(request: HttpRequest, default_mine: bool) -> selectors.QueueFilters:
    get = request.GET
    severity = get.get("severity", "")
    tab = get.get("tab", "mine" if default_mine else "all")
    return selectors.QueueFilters(
        area=get.get("area", "").strip(),
        category=get.get("category", ""),
        state=get.get("state", "open" if tab == "mine" else ""),
        severity=int(severity) if severity.isdigit() else None,
        age=get.get("age", ""),
        mine=tab == "mine",
        filed=tab == "filed",
    )


def _is_triager(user) -> bool:
    return any(role in triage.TRIAGE_ROLES for role, _a, _g in memberships_of(user))


@page(SIGNED_IN)
@domain_errors_as_pages
def queue(request: AuthedRequest) -> HttpResponse:
    if not selectors.start_area(request.user):
        return render(request, "403.html", {"detail": _("Akun Anda belum memiliki wilayah tugas.")}, status=403)
    filters = _filters(request, default_mine=_is_triager(request.user))
    before = request.GET.get("before", "")
    rows, cursor = selectors.queue_page(request.user, filters, before=int(before) if before.isdigit() else None)
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "rows": rows,
        "cursor": cursor,
        "filters": filters,
        "query": query.urlencode(),
        "categories": selectors.categories(),
        "states": triage.STATE_CHOICES,
        "severities": SEVERITY_CHOICES,
        "mine_count": selectors.needs_action_count(request.user),
        "now": timezone.now(),
        "actions": triage.ACTION_LABELS,
        "can_triage": _is_triager(request.user),
    }
    return render(request, "incidents/queue.html", context)


@page(WritesSomewhere(INCIDENTS))
@require_POST
@domain_errors_as_pages
def bulk(request: AuthedRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("incidents:queue")
    if not form.is_valid():
        messages.error(request, _("Pilih laporan dan tindakan terlebih dahulu."))
        return redirect(back)
    data = form.cleaned_data
    try:
        result = services.reports_bulk_transition(
            report_ids=data["ids"],
            actor=request.user,
            action=data["action"],
            note=data["note"],
            agency_code=data["agency"] or None,
            duplicate_of=data["duplicate_of"],
        )
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
        return redirect(back)
    if result.done:
        messages.success(
            request,
            _("%(n)d laporan diproses: %(ids)s")
            % {"n": len(result.done), "ids": ", ".join(f"#{i}" for i in result.done)},
        )
    for report_id, reason in result.refused.items():
        messages.error(request, f"#{report_id}: {reason}")
    return redirect(back)


def _form_errors(form: ReportForm, exc: DomainError) -> None:
    errors = getattr(exc, "errors", [])
    if not errors:
        form.add_error(None, exc.detail)
    for error in errors:
        form.add_error(error.field if error.field in form.fields else None, error.reason)


def _uploaded(request: HttpRequest) -> list[tuple[str, bytes]]:
    """Attachments, each refused by its declared size before it is read, none read past the limit."""
    return read_files(request.FILES.getlist("attachments"))


@page(WritesSomewhere(INCIDENTS))
@domain_errors_as_pages
def report_new(request: AuthedRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None, initial={"area_code": request.GET.get("area", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_create(
                intake=form.intake(_uploaded(request)), channel=Channel.WEB, actor=request.user
            )
        except (ValidationFailed, Conflict) as exc:
            _form_errors(form, exc)
            status = exc.status if isinstance(exc, Conflict) else 200
        else:
            note = _("Laporan %(ref)s tersimpan.") if created else _("Laporan %(ref)s sudah tersimpan sebelumnya.")
            messages.success(request, note % {"ref": report.ref})
            return redirect("incidents:detail", report_id=report.pk)
    return render(request, "incidents/report_form.html", {"form": form}, status=status)


@page(Guard(REPORTS, "report_id"))
@domain_errors_as_pages
def report_detail(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = guarded(request, REPORTS)
    now = timezone.now()
    actions = selectors.actions_for(request.user, report)
    context = {
        "report": report,
        "can_duplicate": triage.Action.DUPLICATE in actions,
        "timeline": selectors.timeline(report),
        "personal": permissions.can_see_personal(request.user, report),
        "actions": [(a, triage.ACTION_LABELS[a]) for a in actions],
        "can_claim": selectors.can_claim(request.user, report),
        "claimed": report.claimed_by_id and report.claimed_until and report.claimed_until > now,
        "duplicates": selectors.duplicate_candidates(request.user, report) if report.is_open else [],
        "attachments": report.attachments.all(),
        # Duplicates merged into this report may lie outside the reader's areas (a regency merge).
        "originals_of": REPORTS.visible(request.user, report.duplicates.all()),
        "now": now,
    }
    return render(request, "incidents/report_detail.html", context)


@page(Guard(REPORTS, "report_id"))
@require_POST
@domain_errors_as_pages
def report_act(request: AuthedRequest, report_id: int) -> HttpResponse:
    op = request.POST.get("op", "transition")
    try:
        _act(request, report_id, op)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail)
    return redirect("incidents:detail", report_id=report_id)


def _act(request: AuthedRequest, report_id: int, op: str) -> None:
    user = request.user
    if op == "claim":
        services.report_claim(report_id=report_id, actor=user)
        messages.success(request, _("Laporan Anda ambil selama %(m)d menit.") % {"m": services.CLAIM_MINUTES})
    elif op == "release":
        services.report_release(report_id=report_id, actor=user)
    elif op == "note":
        services.report_note(report_id=report_id, actor=user, note=request.POST.get("note", ""))
    elif op == "attach":
        services.attachment_add(report_id=report_id, actor=user, files=_uploaded(request))
    else:
        form = TransitionForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(_("Tindakan tidak dikenal."), field="action")
        data = form.cleaned_data
        services.report_transition(
            report_id=report_id,
            actor=user,
            action=data["action"],
            note=data["note"],
            agency_code=data["agency"] or None,
            duplicate_of=data["duplicate_of"],
            set_indicator=request.POST.get("set_indicator", "1") == "1",
            expected_state=data["state"] or None,
        )
        messages.success(request, _("Status laporan diperbarui."))


@page(Guard(ATTACHMENTS, "attachment_id", write=False))
@domain_errors_as_pages  # type: ignore[arg-type]
def attachment(request: AuthedRequest, report_id: int, attachment_id: int) -> HttpResponseBase:
    item = guarded(request, ATTACHMENTS)
    if item.report_id != report_id:
        raise Http404(_("lampiran tidak ditemukan"))
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = f'inline; filename="{item.sha256[:12]}{item.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _area(request: AuthedRequest) -> Area:
    code = request.GET.get("area", "").strip() or selectors.start_area(request.user)
    return selectors.area_for(request.user, code)


@page(SIGNED_IN)
@domain_errors_as_pages
def map_page(request: AuthedRequest) -> HttpResponse:
    area = _area(request)
    return render(
        request, "incidents/map.html", {"area": area, "can_drill": area.level not in (Level.DISTRICT, Level.VILLAGE)}
    )


@page(SIGNED_IN)
@domain_errors_as_pages
def map_data(request: AuthedRequest) -> JsonResponse:
    area = _area(request)
    return JsonResponse(
        {
            "area": area.code,
            "counts": selectors.counts_by_child(request.user, area, open_only=True),
            "points": selectors.map_points(request.user, area),
        }
    )


@page(SIGNED_IN)
@domain_errors_as_pages
def stats(request: AuthedRequest) -> HttpResponse:
    area = _area(request)
    by_child = selectors.counts_by_child(request.user, area)
    by_day = selectors.counts_by_day(request.user, area)
    names = dict(Area.objects.filter(code__in=list(by_child)).values_list("code", "name"))
    context = {
        "area": area,
        "by_category": selectors.counts_by_category(request.user, area),
        "by_child": sorted(((code, names.get(code, code), n) for code, n in by_child.items()), key=lambda r: -r[2]),
        "by_day": by_day,
    }
    context["day_max"] = max((n for _d, n in by_day), default=0)
    return render(request, "incidents/stats.html", context)


@page(SIGNED_IN)
@domain_errors_as_pages  # type: ignore[arg-type]
def export(request: AuthedRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("format ekspor tidak dikenal"))
    filters = _filters(request, default_mine=False)
    reports = selectors.filtered(request.user, filters)
    personal = permissions.personal_allowed(request.user, filters.area)
    if fmt == "xlsx":
        return exports.xlsx_response(reports, personal)
    return exports.csv_response(reports, personal)


# --- public ---------------------------------------------------------------------------------


@page(PUBLIC)
def public_new(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(request.POST or None, request.FILES or None)
    address = client_address(request)
    status = 200
    search = request.GET.get("cari", "").strip()
    matches: Any = (
        Area.objects.active().filter(level=Level.VILLAGE, name__icontains=search).select_related("parent").order_by("code")[:20]
        if len(search) >= 3
        else []
    )
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["website"]:
        if public_intake_blocked(address):
            form.add_error(
                None, _("Terlalu banyak laporan dari alamat ini dalam satu jam. Coba lagi nanti atau kirim SMS.")
            )
        else:
            try:
                with transaction.atomic():
                    report, created = services.report_create(
                        intake=form.intake(_uploaded(request)), channel=Channel.PUBLIC
                    )
                    if created and form.cleaned_data.get("updates_consent"):
                        reporter_consent_record(report=report, contact=form.cleaned_data["reporter_contact"])
            except (ValidationFailed, Conflict) as exc:
                _form_errors(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 200
            else:
                public_intake_counted(address)
                return redirect("incidents:public_track_code", code=report.tracking_code)
    if form.errors and public_intake_blocked(address):
        status = 429
    return render(
        request, "incidents/public_form.html", {"form": form, "search": search, "matches": matches}, status=status
    )


@page(PUBLIC)
def public_track(request: HttpRequest, code: str = "") -> HttpResponse:
    """A reporter's view of their report by tracking code; lookups are counted per client address
    so that codes cannot be guessed by trying many."""
    code = code or request.GET.get("kode", "").strip()
    context: dict = {"code": code}
    if code:
        address = client_address(request)
        if tracking_blocked(address):
            context["throttled"] = True
            return render(request, "incidents/public_track.html", context, status=429)
        tracking_counted(address)
        try:
            context["report"], context["steps"] = selectors.public_status(code)
        except DomainError:
            context["missing"] = True
    return render(request, "incidents/public_track.html", context, status=404 if context.get("missing") else 200)
