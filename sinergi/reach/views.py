"""Pages of reach: broadcasts (Siaran), the rehearsal board (Gladi) and the call list (Daftar telepon)."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.areas.models import Area
from sinergi.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from sinergi.core.web import domain_errors_as_pages
from sinergi.reach import forms, selectors, services
from sinergi.reach.models import BroadcastState, ContactOutcome
from sinergi.reach.permissions import BROADCAST, REACH, REACH_AREA, approval_refusal

CALL_LIST_LIMIT = 200
LIVE_FOR = timedelta(hours=1)


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def index(request: HttpRequest) -> HttpResponse:
    scopes = REACH.read_scopes(request.user)
    context = {
        "areas": Area.objects.filter(code__in=scopes).order_by("code"),
        "broadcasts": selectors.broadcasts_visible(request.user).select_related("area")[:20],
        "can_send": bool(REACH.write_scopes(request.user)),
    }
    return render(request, "reach/index.html", context)


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def broadcast_list(request: HttpRequest) -> HttpResponse:
    area = request.GET.get("wilayah", "").strip() or None
    rows = selectors.broadcasts_visible(request.user, area).select_related("area", "created_by")[:200]
    return render(
        request,
        "reach/broadcast_list.html",
        {"broadcasts": rows, "area": area, "can_send": bool(REACH.write_scopes(request.user))},
    )


def _form_errors(form: Any, exc: DomainError) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.detail)


@page(WritesSomewhere(REACH))
@domain_errors_as_pages
def broadcast_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"area_code": request.GET.get("wilayah") or REACH.write_scopes(request.user)[0]}
    if request.GET.get("uji") == "1":
        initial |= {"is_test": True, "agency_kinds": ["kpps"], "text": _("Gladi Sinergi: uji pesan untuk petugas.")}
    form = forms.BroadcastForm(request.POST or None, initial=initial)
    preview: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                broadcast, _created = services.broadcast_create(
                    actor=request.user,
                    area_code=data["area_code"],
                    roles=data["roles"],
                    agency_kinds=data["agency_kinds"],
                    text=data["text"],
                    is_test=data["is_test"],
                    client_id=data["client_id"],
                )
                if broadcast.state == BroadcastState.PENDING:
                    messages.info(request, _("Siaran menunggu persetujuan orang kedua."))
                else:
                    messages.success(request, _("Siaran dikirim ke antrean pesan."))
                return redirect("reach:broadcast", pk=broadcast.pk)
            audience = services.audience_check(
                actor=request.user, area_code=data["area_code"], roles=data["roles"], agency_kinds=data["agency_kinds"]
            )
            area = audience.area
            count = services.audience_count(audience)
            preview = {
                "area": area,
                "count": count,
                "by_child": selectors.audience_by_child(area, audience.roles, audience.agency_kinds),
                "needs_approval": count > services.approval_threshold(),
                "threshold": services.approval_threshold(),
            }
        except (NotFound, Forbidden, ValidationFailed, Conflict) as exc:
            _form_errors(form, exc)
    return render(request, "reach/broadcast_form.html", {"form": form, "preview": preview})


@page(Guard(BROADCAST, "pk", write=False))
@require_safe
@domain_errors_as_pages
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = guarded(request, BROADCAST)
    can_write = BROADCAST.can_write(request.user, broadcast)
    board = selectors.delivery_board(broadcast)
    waiting = board.total.queued + board.total.sent  # messages without a final receipt yet
    context = {
        "broadcast": broadcast,
        "board": board,
        # The board refreshes itself (htmx) while receipts are still coming, for an hour after sending.
        "live": bool(waiting and broadcast.sent_at and timezone.now() - broadcast.sent_at < LIVE_FOR),
        "replies": selectors.broadcast_replies(broadcast),
        "can_approve": approval_refusal(request.user, broadcast) is None,
        "can_cancel": can_write and broadcast.state == BroadcastState.PENDING,
        "approval_note": approval_refusal(request.user, broadcast) if can_write else None,
    }
    return render(request, "reach/broadcast_detail.html", context)


@page(Guard(BROADCAST, "pk", write=True))
@require_POST
@domain_errors_as_pages
def broadcast_approve(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = guarded(request, BROADCAST)
    try:
        services.broadcast_approve(actor=request.user, broadcast_id=broadcast.pk)
    except (Forbidden, Conflict) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Siaran disetujui dan dikirim ke antrean pesan."))
    return redirect("reach:broadcast", pk=broadcast.pk)


@page(Guard(BROADCAST, "pk", write=True))
@require_POST
@domain_errors_as_pages
def broadcast_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = guarded(request, BROADCAST)
    try:
        services.broadcast_cancel(actor=request.user, broadcast_id=broadcast.pk)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Siaran dibatalkan."))
    return redirect("reach:broadcast", pk=broadcast.pk)


@page(SIGNED_IN)
@require_POST
@domain_errors_as_pages
def test_report(request: HttpRequest) -> HttpResponse:
    """A signed-in field person presses "Kirim laporan uji": a rehearsal test report on the web."""
    _report, _created = services.test_report_record(
        user=request.user, channel="web", client_id=request.POST.get("client_id") or None
    )
    messages.success(request, _("Laporan uji gladi diterima lewat web. Terima kasih."))
    return redirect("reach:index")


@page(Guard(REACH_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def rehearsal(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, REACH_AREA)
    board = selectors.readiness(area)
    context = {
        "area": area,
        "board": board,
        "channels": [(c, board.by_channel.get(c, 0)) for c in selectors.CHANNELS],
        "can_write": REACH.can_write(request.user, area.code),
        "tests": selectors.broadcasts_visible(request.user, area.code).filter(is_test=True)[:10],
    }
    return render(request, "reach/rehearsal.html", context)


@page(Guard(REACH_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def calls(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, REACH_AREA)
    people = selectors.unreachable(area.code)
    can_write = REACH.can_write(request.user, area.code)
    shown = list(people[:CALL_LIST_LIMIT])
    labels = dict(ContactOutcome.choices)
    for person in shown:
        person.last_outcome = labels.get(person.last_outcome, "")  # type: ignore[attr-defined]
    context = {
        "area": area,
        "people": shown,
        "total": people.count(),
        "limit": CALL_LIST_LIMIT,
        "can_write": can_write,  # phones only to those who call (coordinators, KPU, Bawaslu)
        "log": selectors.contact_log(area.code),
        "form": forms.ContactForm(),
    }
    return render(request, "reach/calls.html", context)


@page(Guard(REACH_AREA, "code", write=True))
@require_POST
@domain_errors_as_pages
def call_record(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, REACH_AREA)
    form = forms.ContactForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(str(m) for m in e)}" for name, e in form.errors.items())
        return render(request, "400.html", {"detail": errors}, status=400)
    data = form.cleaned_data
    try:
        services.contact_record(
            actor=request.user,
            area_code=area.code,
            person_id=data["person"],
            outcome=data["outcome"],
            note=data["note"],
            client_id=data["client_id"] or None,
        )
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Panggilan dicatat."))
    return redirect("reach:calls", code=area.code)
