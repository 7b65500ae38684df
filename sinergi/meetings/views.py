from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.access import ObjectAccess
from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.core.documents import attachment
from sinergi.core.errors import DomainError
from sinergi.core.timezones import local_time, local_today
from sinergi.core.uploads import upload_read
from sinergi.core.web import domain_errors_as_pages
from sinergi.meetings import documents, forms, selectors, services
from sinergi.meetings.models import Decision, Invitee, Meeting
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


def form_post(access: ObjectAccess, form_class: type[Form], *, scoped: bool = False):
    """The meeting page's small forms, one shape for all: validate the form, let the handler make its one
    service call with the guarded object and the cleaned data, report the outcome as a message and go
    back to the meeting. `scoped` forms offer the agencies of the user and the meeting's area."""

    def decorate(handler: Callable[[Any, Any, dict[str, Any]], object]) -> Callable[..., HttpResponse]:
        @wraps(handler)
        @require_POST
        @domain_errors_as_pages
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            target = guarded(request, access)
            meeting = target if isinstance(target, Meeting) else target.meeting
            scope: dict[str, Any] = {"user": request.user, "area_code": meeting.area_id} if scoped else {}
            form = form_class(request.POST, **scope)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
            else:
                try:
                    handler(request.user, target, form.cleaned_data)
                except DomainError as exc:
                    if exc.status in (403, 404):
                        raise
                    messages.error(request, exc.detail)
                else:
                    messages.success(request, _("Tersimpan."))
            return redirect("meetings:detail", pk=meeting.pk)

        return view

    return decorate


def _form_errors(form: Form) -> str:
    def label(name: str) -> str:
        return str(form.fields[name].label) if name in form.fields else ""

    return "; ".join(f"{label(name)}: {' '.join(str(e) for e in errors)}".lstrip(": ") for name, errors in form.errors.items())


@page(Guard(MEETING, "pk"))
@form_post(MEETING, forms.MinutesForm)
def meeting_minutes(actor: Any, meeting: Meeting, data: dict[str, Any]) -> None:
    services.meeting_update(actor=actor, meeting=meeting, **data)


@page(Guard(MEETING, "pk"))
@form_post(MEETING, forms.InviteeForm, scoped=True)
def invitee_add(actor: Any, meeting: Meeting, data: dict[str, Any]) -> None:
    agency = data["agency"].code if data["agency"] else ""
    spec = services.InviteeSpec(agency_code=agency, person_name=data["person_name"], person_title=data["person_title"])
    services.invitee_add(actor=actor, meeting=meeting, spec=spec)


@page(Guard(INVITEE, "pk"))
@form_post(INVITEE, forms.AttendanceForm)
def attendance_set(actor: Any, invitee: Invitee, data: dict[str, Any]) -> None:
    services.attendance_set(actor=actor, invitee=invitee, **data)


@page(Guard(MEETING, "pk"))
@form_post(MEETING, forms.AgendaForm)
def agenda_add(actor: Any, meeting: Meeting, data: dict[str, Any]) -> None:
    services.agenda_add(actor=actor, meeting=meeting, **data)


@page(Guard(MEETING, "pk"))
@form_post(MEETING, forms.DecisionForm)
def decision_add(actor: Any, meeting: Meeting, data: dict[str, Any]) -> None:
    services.decision_add(actor=actor, meeting=meeting, **data)


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
@form_post(DECISION, forms.ActionForm, scoped=True)
def action_add(actor: Any, decision: Decision, data: dict[str, Any]) -> None:
    services.action_create(
        actor=actor,
        decision=decision,
        title=data["title"],
        agency_code=data["agency"].code,
        person=data["person"],
        area_code=data["area_code"].strip(),
        due_date=data["due_date"],
    )


@page(Guard(MEETING, "pk", write=False))
@require_safe
@domain_errors_as_pages
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    return attachment(documents.minutes_pdf(selectors.meeting_detail(meeting)), f"notulen-rapat-{meeting.pk}.pdf")


@page(Guard(MEETING, "pk", write=False))
@require_safe
@domain_errors_as_pages
def meeting_actions_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = guarded(request, MEETING)
    actions = selectors.meeting_detail(meeting)["actions"]
    title = _("Tindak lanjut: %(meeting)s") % {"meeting": meeting.title}
    return _xlsx(actions, title, f"tindak-lanjut-rapat-{meeting.pk}.xlsx", meeting.area_id)


def _xlsx(actions, title: str, filename: str, area_code: str) -> HttpResponse:
    return attachment(documents.actions_xlsx(list(actions), today=local_today(area_code), title=title), filename)


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
        _("Daftar tindak lanjut rapat"),
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
