from datetime import date
from uuid import uuid4

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.core.errors import DomainError
from sinergi.core.timezones import local_time, local_today
from sinergi.core.uploads import upload_read
from sinergi.core.web import domain_errors_as_pages
from sinergi.meetings import documents, forms, selectors, services
from sinergi.meetings.permissions import ACTION, DECISION, EVIDENCE, INVITEE, MEETING, MEETINGS

PAGE = 100


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "meetings": selectors.meetings_visible(request.user).order_by("-starts_at")[:PAGE],
        "my_actions": selectors.my_open_actions(request.user)[:20],
        "can_create": bool(MEETINGS.write_scopes(request.user)),
        "today": local_today("ID"),
    }
    return render(request, "meetings/index.html", context)


@page(WritesSomewhere(MEETINGS))
@domain_errors_as_pages
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(
        request.POST or None, user=request.user, initial={"area_code": MEETINGS.write_scopes(request.user)[0]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            starts_at, ends_at = form.moments()
            meeting = services.meeting_create(
                actor=request.user,
                kind_slug=data["kind"].slug,
                title=data["title"],
                area_code=data["area_code"].strip(),
                starts_at=starts_at,
                ends_at=ends_at,
                venue=data["venue"],
                organiser_code=data["organiser"].code,
                chair_name=data["chair_name"],
                chair_title=data["chair_title"],
                on_behalf_of=data["on_behalf_of"],
                invitees=[services.InviteeSpec(agency_code=a.code) for a in data["invited"]],
                agenda=[line for line in data["agenda"].splitlines() if line.strip()],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.detail)
        else:
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@page(Guard(MEETING, "pk", write=False))
@require_safe
@domain_errors_as_pages
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    context = selectors.meeting_detail(meeting)
    can_write = MEETING.can_write(request.user, meeting)
    context |= {"can_write": can_write, "today": local_today(meeting.area_id)}
    if can_write:
        context |= {
            "minutes_form": forms.MinutesForm(
                initial={"minutes": meeting.minutes, "minute_taker": meeting.minute_taker}
            ),
            "invitee_form": forms.InviteeForm(user=request.user, area_code=meeting.area_id),
            "attendance_form": forms.AttendanceForm(),
            "agenda_form": forms.AgendaForm(),
            "decision_form": forms.DecisionForm(),
            "action_form": forms.ActionForm(
                user=request.user, area_code=meeting.area_id, initial={"area_code": meeting.area_id}
            ),
        }
    return render(request, "meetings/meeting_detail.html", context)


@page(Guard(MEETING, "pk", write=True))
@domain_errors_as_pages
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    start = local_time(meeting.starts_at, meeting.area_id)
    initial = {
        "kind": meeting.kind.slug,
        "title": meeting.title,
        "date": start.date(),
        "start": start.time(),
        "end": local_time(meeting.ends_at, meeting.area_id).time() if meeting.ends_at else None,
        "venue": meeting.venue,
        "chair_name": meeting.chair_name,
        "chair_title": meeting.chair_title,
        "on_behalf_of": meeting.on_behalf_of,
    }
    form = forms.MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.moments(meeting.area_id)
        try:
            services.meeting_details_update(
                actor=request.user,
                meeting=meeting,
                kind_slug=data["kind"].slug,
                title=data["title"],
                starts_at=starts_at,
                ends_at=ends_at,
                venue=data["venue"],
                chair_name=data["chair_name"],
                chair_title=data["chair_title"],
                on_behalf_of=data["on_behalf_of"],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _post(request: HttpRequest, form, back: str, call) -> HttpResponse:
    """Validate a small form, call one service, report the outcome as a message."""
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect(back)
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Tersimpan."))
    return redirect(back)


@page(Guard(MEETING, "pk"))
@require_POST
@domain_errors_as_pages
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    return _post(
        request,
        forms.MinutesForm(request.POST),
        reverse("meetings:detail", args=[pk]),
        lambda d: services.meeting_update(
            actor=request.user, meeting=meeting, minutes=d["minutes"], minute_taker=d["minute_taker"]
        ),
    )


@page(Guard(MEETING, "pk"))
@require_POST
@domain_errors_as_pages
def invitee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    spec = lambda d: services.InviteeSpec(  # noqa: E731
        agency_code=d["agency"].code if d["agency"] else "",
        person_name=d["person_name"],
        person_title=d["person_title"],
    )
    return _post(
        request,
        forms.InviteeForm(request.POST, user=request.user, area_code=meeting.area_id),
        reverse("meetings:detail", args=[pk]),
        lambda d: services.invitee_add(actor=request.user, meeting=meeting, spec=spec(d)),
    )


@page(Guard(INVITEE, "pk"))
@require_POST
@domain_errors_as_pages
def attendance_set(request: HttpRequest, pk: int) -> HttpResponse:
    invitee = guarded(request, INVITEE)
    return _post(
        request,
        forms.AttendanceForm(request.POST),
        reverse("meetings:detail", args=[invitee.meeting_id]),
        lambda d: services.attendance_set(
            actor=request.user, invitee=invitee, attendance=d["attendance"], represented_by=d["represented_by"]
        ),
    )


@page(Guard(MEETING, "pk"))
@require_POST
@domain_errors_as_pages
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    return _post(
        request,
        forms.AgendaForm(request.POST),
        reverse("meetings:detail", args=[pk]),
        lambda d: services.agenda_add(actor=request.user, meeting=meeting, title=d["title"]),
    )


@page(Guard(MEETING, "pk"))
@require_POST
@domain_errors_as_pages
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    return _post(
        request,
        forms.DecisionForm(request.POST),
        reverse("meetings:detail", args=[pk]),
        lambda d: services.decision_add(actor=request.user, meeting=meeting, text=d["text"], is_public=d["is_public"]),
    )


@page(Guard(DECISION, "pk"))
@require_POST
@domain_errors_as_pages
def decision_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    decision = guarded(request, DECISION)
    services.decision_publicity_set(
        actor=request.user, decision=decision, is_public=request.POST.get("is_public") == "1"
    )
    return redirect("meetings:detail", pk=decision.meeting_id)


@page(Guard(DECISION, "pk"))
@require_POST
@domain_errors_as_pages
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    decision = guarded(request, DECISION)
    return _post(
        request,
        forms.ActionForm(request.POST, user=request.user, area_code=decision.meeting.area_id),
        reverse("meetings:detail", args=[decision.meeting_id]),
        lambda d: services.action_create(
            actor=request.user,
            decision=decision,
            title=d["title"],
            agency_code=d["agency"].code,
            person=d["person"],
            area_code=d["area_code"].strip(),
            due_date=d["due_date"],
        ),
    )


@page(Guard(MEETING, "pk", write=False))
@require_safe
@domain_errors_as_pages
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    body = documents.minutes_pdf(selectors.meeting_detail(meeting))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notulen-rapat-{meeting.pk}.pdf"'
    return response


@page(Guard(MEETING, "pk", write=False))
@require_safe
@domain_errors_as_pages
def meeting_actions_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    actions = selectors.meeting_detail(meeting)["actions"]
    return _xlsx(actions, f"Tindak lanjut: {meeting.title}", f"tindak-lanjut-rapat-{meeting.pk}.xlsx", meeting.area_id)


def _xlsx(actions, title: str, filename: str, area_code: str) -> HttpResponse:
    body = documents.actions_xlsx(list(actions), today=local_today(area_code), title=title)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filtered_actions(request: HttpRequest):
    actions = selectors.actions_visible(request.user).order_by("due_date", "id")
    status, area = request.GET.get("status", ""), request.GET.get("area", "").strip()
    if status == "overdue":
        actions = actions.filter(status__in=["open", "in_progress"], due_date__lt=local_today(area or "ID"))
    elif status:
        actions = actions.filter(status=status)
    if area:
        from sinergi.areas.models import within

        actions = actions.filter(within(area, "area__code"))
    return actions


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def action_list(request: HttpRequest) -> HttpResponse:
    context = {
        "actions": _filtered_actions(request)[:500],
        "status": request.GET.get("status", ""),
        "area": request.GET.get("area", ""),
        "today": local_today("ID"),
        "query": request.GET.urlencode(),
    }
    return render(request, "meetings/action_list.html", context)


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def action_list_xlsx(request: HttpRequest) -> HttpResponse:
    return _xlsx(
        _filtered_actions(request)[:20000],
        "Daftar tindak lanjut rapat",
        f"tindak-lanjut-{date.today():%Y%m%d}.xlsx",
        "ID",
    )


@page(SIGNED_IN)
@require_safe
@domain_errors_as_pages
def my_actions(request: HttpRequest) -> HttpResponse:
    context = {"actions": selectors.my_open_actions(request.user)[:500], "today": local_today("ID")}
    return render(request, "meetings/my_actions.html", context)


@page(Guard(ACTION, "pk"))
@domain_errors_as_pages
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = guarded(request, ACTION)
    can_update = ACTION.can_write(request.user, action)
    form = forms.StatusForm(request.POST or None, initial={"status": action.status, "client_id": uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            # The declared size is checked before reading, and at most the limit + 1 byte is read.
            files = [upload_read(f, field="evidence") for f in request.FILES.getlist("evidence")]
            services.action_status_update(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                files=files,
                client_id=form.cleaned_data["client_id"] or None,
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Status tindak lanjut diperbarui."))
            return redirect("meetings:action", pk=pk)
    context = {
        "action": action,
        "meeting": action.decision.meeting,
        "notes": selectors.action_notes(action),
        "form": form,
        "can_update": can_update,
        "today": local_today(action.area_id),
    }
    return render(request, "meetings/action_detail.html", context)


@page(Guard(EVIDENCE, "pk", write=False))
@require_safe
@domain_errors_as_pages
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = guarded(request, EVIDENCE)
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    return response
