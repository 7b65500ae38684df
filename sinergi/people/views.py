"""Roster pages (list, export, import with preview, activation sheets), the activation page and
login by phone number with a one-time code."""

import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST, require_safe

from sinergi.accounts.forms import client_address
from sinergi.accounts.guards import PUBLIC, SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import Role
from sinergi.areas.models import Area, Level
from sinergi.core import formatting
from sinergi.core.csvfile import MAX_IMPORT_BYTES
from sinergi.core.documents import attachment, csv_stream, streamed_attachment
from sinergi.core.errors import DomainError, ImportFailed, ValidationFailed
from sinergi.core.pagination import keyset_page
from sinergi.core.web import domain_errors_as_pages
from sinergi.people import selectors
from sinergi.people.documents import SheetEntry, activation_sheet_pdf, export_rows, export_xlsx
from sinergi.people.models import Channel, Person
from sinergi.people.permissions import PEOPLE, PERSON, ROSTER_AREA, phone_visible, roster_filter
from sinergi.people.phones import display
from sinergi.people.roster_import import OPTIONAL, REQUIRED, import_people
from sinergi.people.services import (
    LinkInvalid,
    Throttled,
    activation_complete,
    activation_days,
    activation_link_check,
    activation_links_create,
    activation_send,
    activation_url,
    otp_request,
    otp_settings,
    otp_verify,
)
from sinergi.people.tasks import activation_send_task

PAGE_SIZE = 100
ACTIVATION_INLINE_MAX = 200  # more new people than this: links are sent by the worker
SHEET_LEVELS = (Level.DISTRICT, Level.VILLAGE)
MAX_SHEET_PEOPLE = 2000
UPLOAD_SESSION_KEY = "people_import_upload"
OTP_SESSION_KEY = "people_otp_phone"
NEXT_SESSION_KEY = "people_otp_next"
BACKEND = "django.contrib.auth.backends.ModelBackend"
FICTITIOUS_PREFIX = "+62810"
# The login page (accounts/templates/accounts/login.html) links here with this text.
gettext_noop("Masuk dengan nomor HP dan kode SMS/WhatsApp")


def _upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "people-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- rosters ---


@page(SIGNED_IN)
@require_safe
def roster_start(request: HttpRequest) -> HttpResponse:
    codes = selectors.roster_area_codes(request.user)
    areas = list(Area.objects.filter(code__in=codes).order_by("code"))
    if len(areas) == 1:
        return redirect("people:roster", code=areas[0].code)
    can_import = bool(PEOPLE.write_scopes(request.user))
    return render(request, "people/start.html", {"areas": areas, "can_import": can_import})


@page(Guard(ROSTER_AREA, "code", write=False))
@require_safe
@domain_errors_as_pages
def roster_area(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, ROSTER_AREA)
    people = selectors.roster(request.user, area.code).select_related("user", "agency", "area", "tps")
    role = request.GET.get("peran", "")
    if role in Role.values:
        people = people.filter(role=role)
    current = keyset_page(people, key="pk", after=request.GET.get("after"), limit=PAGE_SIZE)
    phones = selectors.phones_of([p.pk for p in current.items])
    writer_filter = roster_filter(request.user, write=True)
    writable = set(
        Person.objects.filter(writer_filter, pk__in=[p.pk for p in current.items]).values_list("pk", flat=True)
    )
    rows = [
        (
            person,
            [display(p) if person.pk in writable else selectors.masked(p) for p in phones[person.pk]],
            any(p.startswith(FICTITIOUS_PREFIX) for p in phones[person.pk]),
        )
        for person in current.items
    ]
    context = {
        "area": area,
        "rows": rows,
        "page": current,
        "counts": selectors.roster_counts(request.user, area.code),
        "children": area.children.filter(is_active=True).order_by("code"),
        "can_write": ROSTER_AREA.can_write(request.user, area),
        "can_import": bool(PEOPLE.write_scopes(request.user)),
        "sheet_level": area.level in SHEET_LEVELS,
        "roles": Role.choices,
        "role": role,
        "fictitious": any(f for _p, _ph, f in rows),
        "zone_area": area.code,
    }
    return render(request, "people/roster.html", context)


@page(Guard(ROSTER_AREA, "code", write=False))
@require_safe
def roster_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    area = guarded(request, ROSTER_AREA)
    if fmt not in ("csv", "xlsx"):
        return render(request, "400.html", {"detail": _("format %(fmt)s tidak dikenal") % {"fmt": fmt}}, status=400)
    clear = ROSTER_AREA.can_write(request.user, area)
    people = selectors.roster(request.user, area.code)
    # Phones in clear only for people the user manages; the others masked (read-only roles).
    rows = _rows_for(request.user, people) if clear else export_rows(people, clear_phones=False)
    name = f"daftar-petugas-{area.code}"
    if fmt == "csv":
        # A streamed response is a valid view response; the decorator is typed narrowly.
        return cast(HttpResponse, streamed_attachment(csv_stream(rows), f"{name}.csv"))
    return attachment(export_xlsx(rows, area.name), f"{name}.xlsx")


def _rows_for(user: Actor, people: Any) -> Iterator[list[Any]]:
    writable = people.filter(roster_filter(user, write=True))
    readable_only = people.exclude(pk__in=writable.values("pk"))
    yield from export_rows(writable, clear_phones=True)
    masked = export_rows(readable_only, clear_phones=False)
    next(masked)  # the header once
    yield from masked


@page(Guard(ROSTER_AREA, "code"))
@domain_errors_as_pages
def roster_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """GET: what the sheet will hold; POST: new activation links for the not yet activated people of
    this desa or kecamatan, as a PDF with a QR code each."""
    area = guarded(request, ROSTER_AREA)
    people = (
        selectors.roster(request.user, area.code)
        .filter(roster_filter(request.user, write=True), activated_at__isnull=True, user__is_active=True)
        .select_related("user", "tps", "area")
        .order_by("area_id", "tps_id", "role", "pk")
    )
    context: dict[str, Any] = {
        "area": area,
        "sheet_level": area.level in SHEET_LEVELS,
        "children": area.children.filter(is_active=True).order_by("code"),
        "count": people.count() if area.level in SHEET_LEVELS else 0,
        "max": MAX_SHEET_PEOPLE,
        "days": activation_days(),
    }
    if request.method != "POST":
        return render(request, "people/sheet.html", context)
    if area.level not in SHEET_LEVELS:
        context["error"] = _("Lembar aktivasi dibuat per desa/kelurahan atau per kecamatan; pilih salah satu di bawah.")
        return render(request, "people/sheet.html", context, status=400)
    chosen = list(people[: MAX_SHEET_PEOPLE + 1])
    if not chosen or len(chosen) > MAX_SHEET_PEOPLE:
        context["error"] = (
            _("Semua orang di wilayah ini sudah aktif; tidak ada yang perlu dicetak.")
            if not chosen
            else _("Lebih dari %(n)s orang: cetak per desa/kelurahan.") % {"n": MAX_SHEET_PEOPLE}
        )
        return render(request, "people/sheet.html", context, status=400)
    now = timezone.now()
    tokens = activation_links_create([p.user_id for p in chosen], now=now)
    phones = selectors.phones_of([p.pk for p in chosen])
    entries = [
        SheetEntry(
            name=p.user.get_full_name() or p.user.username,
            role=p.position or p.get_role_display(),
            where=(_("TPS %(code)s") % {"code": p.tps_id}) if p.tps_id else (p.area.name if p.area else ""),
            username=p.user.username,
            phone=selectors.masked(phones[p.pk][0]) if phones[p.pk] else "-",
            link=activation_url(tokens[p.user_id]),
        )
        for p in chosen
    ]
    expires = now + timedelta(days=activation_days())
    expires_text = formatting.datetime(expires, area.code, short=True)
    pdf = activation_sheet_pdf(
        title=_("Lembar aktivasi Sinergi: %(area)s") % {"area": area.name},
        subtitle=_("%(n)s orang belum aktif, %(area)s (%(code)s)")
        % {"n": len(entries), "area": area.name, "code": area.code},
        entries=entries,
        expires_text=expires_text,
        area_code=area.code,
    )
    return attachment(pdf, f"aktivasi-{area.code}.pdf")


# --- import with preview ---


@page(WritesSomewhere(PEOPLE))
def roster_import(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"required": REQUIRED, "optional": OPTIONAL}
    if request.method != "POST":
        return render(request, "people/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Pilih berkas CSV daftar petugas.")
        return render(request, "people/import.html", context, status=400)
    if upload.size and upload.size > MAX_IMPORT_BYTES:
        context["error"] = _("Berkas lebih besar dari %(n)s MiB.") % {"n": MAX_IMPORT_BYTES // 2**20}
        return render(request, "people/import.html", context, status=400)
    token = secrets.token_hex(16)
    path = _upload_dir() / f"{token}.csv"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        result = import_people(path, actor=request.user, dry_run=True)
    except ImportFailed as exc:
        path.unlink(missing_ok=True)
        context.update(errors=exc.errors[:500], more=max(0, len(exc.errors) - 500), file_name=upload.name)
        return render(request, "people/import.html", context, status=422)
    request.session[UPLOAD_SESSION_KEY] = {"token": token, "name": upload.name}
    context.update(preview=result, file_name=upload.name)
    return render(request, "people/import_preview.html", context)


@page(WritesSomewhere(PEOPLE))
@require_POST
def roster_import_confirm(request: HttpRequest) -> HttpResponse:
    upload = request.session.get(UPLOAD_SESSION_KEY) or {}
    token = upload.get("token", "")
    path = _upload_dir() / f"{token}.csv"
    if not token or request.POST.get("token") != token or not path.is_file():
        return render(
            request,
            "400.html",
            {"detail": _("Pratinjau tidak ditemukan atau sudah dipakai; unggah berkasnya lagi.")},
            status=400,
        )
    try:
        result = import_people(path, actor=request.user, note=upload.get("name", ""))
    except ImportFailed as exc:
        # The database changed between preview and confirmation: show the refusal again.
        context = {
            "required": REQUIRED,
            "optional": OPTIONAL,
            "errors": exc.errors[:500],
            "file_name": upload.get("name"),
        }
        return render(request, "people/import.html", context, status=422)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(UPLOAD_SESSION_KEY, None)
    sent = None
    background = 0
    if len(result.new_user_ids) > ACTIVATION_INLINE_MAX:
        # A whole regency: the worker sends the links; the page does not wait for thousands of messages.
        ids, actor_id = result.new_user_ids, request.user.pk
        transaction.on_commit(lambda: activation_send_task.enqueue(ids, actor_id))
        background = len(ids)
    elif result.new_user_ids:
        sent = activation_send(result.new_user_ids, actor=request.user)
    context = {"result": result, "sent": sent, "background": background, "file_name": upload.get("name")}
    return render(request, "people/import_done.html", context)


# --- one person ---


@page(Guard(PERSON, "pk", write=False))
@require_safe
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = guarded(request, PERSON)
    clear = phone_visible(request.user, person)
    phones = [(display(p.e164) if clear else selectors.masked(p.e164), p.verified_at) for p in person.phones.all()]
    context = {
        "person": person,
        "phones": phones,
        "can_write": clear,
        "zone_area": person.area_id or "",
        "fictitious": any(p.e164.startswith(FICTITIOUS_PREFIX) for p in person.phones.all()),
    }
    return render(request, "people/person.html", context)


@page(Guard(PERSON, "pk", write=True))
@require_POST
def person_activation_send(request: HttpRequest, pk: int) -> HttpResponse:
    person = guarded(request, PERSON)
    result = activation_send([person.user_id], actor=request.user)
    if result.queued:
        messages.success(request, _("Tautan aktivasi baru dikirim."))
    else:
        messages.error(
            request, _("Tidak dapat dikirim: orang ini tidak punya kanal yang aktif atau telah berhenti berlangganan.")
        )
    return redirect("people:person", pk=person.pk)


# --- activation (public: the token is the credential) ---


@page(PUBLIC)
def activate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = activation_link_check(token)
    except LinkInvalid as exc:
        return render(request, "people/activate.html", {"invalid": exc.detail}, status=exc.status)
    context: dict[str, Any] = {
        "person_name": link.user.get_full_name() or link.user.username,
        "username": link.user.username,
    }
    if request.method == "POST":
        action = request.POST.get("action")
        password = request.POST.get("password1", "")
        try:
            if action == "password":
                if password != request.POST.get("password2", ""):
                    raise ValidationFailed(_("Kedua kata sandi tidak sama."), field="password2")
                user = activation_complete(token, password=password)
            elif action == "phone":
                user = activation_complete(token)
            else:
                raise ValidationFailed(_("Pilih: buat kata sandi atau masuk dengan nomor HP."), field="action")
        except LinkInvalid as exc:
            return render(request, "people/activate.html", {"invalid": exc.detail}, status=exc.status)
        except ValidationFailed as exc:
            context["error"] = exc.detail
            return render(request, "people/activate.html", context, status=400)
        auth_login(request, user, backend=BACKEND)
        messages.success(
            request,
            _("Akun Anda aktif. Lain kali masuk dengan nama pengguna %(username)s atau dengan nomor HP dan kode.")
            % {"username": user.username},
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "people/activate.html", context)


# --- login by phone number and a one-time code ---


def _safe_next(request: HttpRequest, value: str) -> str:
    ok = url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return value if value and ok else ""


@page(PUBLIC)
def phone_login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    context: dict[str, Any] = {
        "channels": [(Channel.SMS, "SMS"), (Channel.WHATSAPP, "WhatsApp")],
        "channel": Channel.SMS,
    }
    context["next"] = _safe_next(request, request.GET.get("next", "") or request.POST.get("next", ""))
    if request.method != "POST":
        return render(request, "people/phone_login.html", context)
    raw = request.POST.get("phone", "")
    channel = request.POST.get("channel", Channel.SMS)
    context.update(phone=raw, channel=channel)
    try:
        outcome = otp_request(raw, address=client_address(request), channel=channel)
    except Throttled as exc:
        context["error"] = exc.detail
        return render(request, "people/phone_login.html", context, status=429)
    except DomainError as exc:
        context["error"] = exc.detail
        return render(request, "people/phone_login.html", context, status=400)
    request.session[OTP_SESSION_KEY] = outcome.phone
    request.session[NEXT_SESSION_KEY] = context["next"]
    return redirect("people:phone_login_code")


@page(PUBLIC)
def phone_login_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(OTP_SESSION_KEY)
    if not phone:
        return redirect("people:phone_login")
    context: dict[str, Any] = {
        "phone": selectors.masked(phone),
        "minutes": otp_settings()["ttl_seconds"] // 60,
        "digits": otp_settings()["digits"],
    }
    if request.method != "POST":
        return render(request, "people/phone_login_code.html", context)
    try:
        user = otp_verify(phone, request.POST.get("code", ""), address=client_address(request))
    except Throttled as exc:
        context["error"] = exc.detail
        return render(request, "people/phone_login_code.html", context, status=429)
    except DomainError as exc:
        context["error"] = exc.detail
        return render(request, "people/phone_login_code.html", context, status=400)
    next_url = request.session.pop(NEXT_SESSION_KEY, "") or ""
    request.session.pop(OTP_SESSION_KEY, None)
    auth_login(request, user, backend=BACKEND)
    return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
