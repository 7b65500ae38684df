"""Field app pages: the shell (one page, every action in it), its service worker and its manifest.

The shell works from the phone's cache: reference data come from `/api/v1/field/reference`, submissions
queue in IndexedDB and go to the apps' own write APIs (see static/field/app.js)."""

import json
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.accounts.guards import PUBLIC, SIGNED_IN, page
from sinergi.field.assets import asset_urls, assets_version

SW_TEMPLATE = Path(__file__).parent / "templates" / "field" / "sw.js"
# Field defaults (see docs/decisions.md): after this long unsent, offer the same report as an SMS.
SMS_AFTER_MINUTES = 15


@page(SIGNED_IN)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    get_token(request)  # the CSRF cookie the outbox sends back as X-CSRFToken
    config = {
        "reference": "/api/v1/field/reference",
        "csrfCookie": settings.CSRF_COOKIE_NAME,
        "smsNumber": getattr(settings, "SINERGI_SMS_NUMBER", ""),
        "smsAfterMinutes": SMS_AFTER_MINUTES,
        "sw": reverse("field:sw"),
        "login": reverse("accounts:login"),
        "language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
    return render(request, "field/shell.html", {"config": config, "messages_js": _js_messages()})


@page(PUBLIC)
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /lapangan/ so that its scope covers the app; never cached by the browser's HTTP cache."""
    template = SW_TEMPLATE.read_text()
    version = assets_version(template)
    shell = reverse("field:index")
    body = (
        template.replace("__VERSION__", version)
        .replace("__SHELL__", shell)
        .replace("__ASSETS__", json.dumps([shell, *asset_urls()]))
        .replace("__REFERENCE__", "/api/v1/field/reference")
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@page(PUBLIC)
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    shell = reverse("field:index")
    body = {
        "name": _("Sinergi Lapangan"),
        "short_name": _("Lapangan"),
        "description": _("Lapor partisipasi, kejadian dan daftar periksa TPS, juga tanpa sinyal"),
        "lang": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "start_url": shell,
        "scope": shell,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def _js_messages() -> dict[str, str]:
    """The texts app.js writes itself (statuses, errors), in the user's language."""
    return {
        "waiting": _("Tersimpan di HP, menunggu sinyal"),
        "sending": _("Sedang dikirim"),
        "stored": _("Tersimpan di server"),
        "refused": _("Ditolak"),
        "flagged": _("Perlu koreksi"),
        "sms": _("Dikirim lewat SMS"),
        "login": _("Sesi berakhir: masuk lagi agar terkirim"),
        "queued": _("Masuk antrean. Akan terkirim saat ada sinyal."),
        "offline": _("Tanpa sinyal: laporan disimpan di HP"),
        "online": _("Tersambung"),
        "pending": _("belum terkirim"),
        "onPhoneOnly": _("Masih hanya di HP ini. Jangan hapus data browser sebelum terkirim."),
        "smsOffer": _("Belum terkirim lama. Kirim lewat SMS:"),
        "smsButton": _("Kirim SMS"),
        "noTps": _("Pilih TPS dulu"),
        "noneFound": _("Tidak ditemukan"),
        "locating": _("Mencari lokasi…"),
        "noLocation": _("Lokasi tidak tersedia; cari dengan nama desa"),
        "km": _("km"),
        "tps": _("TPS"),
        "turnout": _("Partisipasi"),
        "incident": _("Kejadian"),
        "checklist": _("Daftar periksa"),
        "photoAdded": _("Foto siap (diperkecil)"),
        "noRound": _("Tidak ada putaran penilaian terbuka untuk TPS ini"),
        "noActions": _("Tidak ada tindak lanjut terbuka"),
        "due": _("tenggat"),
        "noReceipts": _("Belum ada kiriman"),
        "yes": _("Ya"),
        "tryAgain": _("Coba lagi"),
        "remove": _("Hapus"),
        "nextTry": _("coba lagi"),
        "dataFrom": _("Data dari"),
        "choose": _("Pilih"),
        "required": _("Isi kolom ini"),
    }
