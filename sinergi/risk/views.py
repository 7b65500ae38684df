import tempfile
from pathlib import Path
from typing import cast

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from sinergi.accounts.access import scope_filter
from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.areas.codes import ancestors_of
from sinergi.atlas.selectors import area_breadcrumbs
from sinergi.core.csvfile import MAX_IMPORT_BYTES
from sinergi.core.documents import attachment, streamed_attachment
from sinergi.core.errors import Conflict, ImportFailed, NotFound, ValidationFailed
from sinergi.core.history import history_for
from sinergi.core.pagination import keyset_page
from sinergi.core.uploads import sniff
from sinergi.core.web import domain_errors_as_pages
from sinergi.risk import export, forms, importer, selectors, services
from sinergi.risk.models import Indicator, Instrument, SecurityClass
from sinergi.risk.permissions import (
    AREAS,
    CHECKLISTS,
    PROPOSALS,
    RISK,
    ROUND,
    ROUND_CHECKLISTS,
    ROUNDS,
    TPS,
    TPS_SECURITY,
    closed_round_refusal,
    round_is_closed,
)

TPS_PAGE_SIZE = 100
XLSX_MAX_TPS = 100_000  # beyond this a spreadsheet is unusable; CSV streams any size


@page(SIGNED_IN)
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    scopes = RISK.read_scopes(request.user)
    if not scopes:
        return redirect("risk:rounds")  # lists only what the user may see: nothing, here
    return redirect("risk:area", code=scopes[0])


@page(Guard(AREAS, "code", write=False))
@require_GET
@domain_errors_as_pages
def area(request: HttpRequest, code: str) -> HttpResponse:
    try:
        risk = selectors.area_risk(request.user, guarded(request, AREAS), request.GET.get("putaran"))
    except selectors.NoRound:
        return _no_round(request, code)
    selectors.with_children(request.user, risk)
    variables, indicators = selectors.instrument_parts(risk.round.instrument)
    context = {
        "risk": risk,
        "area": risk.area,
        "variables": variables,
        "indicators": indicators,
        "ranked": sorted(((c, r) for c, r in risk.children if r is not None), key=lambda c: -c[1].index),
        "top_tps": selectors.top_tps(request.user, risk.round, code),
        "heat": _heat(risk.children, indicators),
        "map_values": _map_values(risk, variables),
        "map_labels": _map_labels(),
        "rounds": selectors.rounds_visible(request.user).filter(area_id__in=[risk.round.area_id]),
        "breadcrumbs": area_breadcrumbs(request.user, risk.area),
    }
    return render(request, "risk/area.html", context)


def _map_labels() -> dict[str, str]:
    """Translated words for the map script (passed with json_script: the script is a static file)."""
    return {
        "rendah": _("Rendah"),
        "sedang": _("Sedang"),
        "tinggi": _("Tinggi"),
        "kurang_rawan": _("Kurang rawan"),
        "rawan": _("Rawan"),
        "sangat_rawan": _("Sangat rawan"),
        "khusus": _("Khusus"),
        "index": _("Indeks"),
        "none": _("Belum dinilai"),
        "no_checklist": _("Belum ada daftar periksa."),
        "flagged_of": _("TPS rawan dari"),
        "assessed": _("dinilai"),
        "variable": _("Variabel"),
        "tps": _("TPS"),
        "open": _("Buka wilayah ini"),
    }


def _no_round(request: HttpRequest, code: str) -> HttpResponse:
    area = guarded(request, AREAS)
    context = {
        "area": area,
        "rounds": selectors.rounds_inside(request.user, code)[:50],
        "breadcrumbs": area_breadcrumbs(request.user, area),
        "can_create": ROUNDS.can_write(request.user, code),
    }
    return render(request, "risk/no_round.html", context)


def _heat(children, indicators) -> list:
    """Rows of (area, rollup, [(count, share %, cell opacity)]) for the indicator heat table."""
    rows = []
    for child, r in children:
        if r is None or not r.tps_assessed:
            continue
        cells = []
        for indicator in indicators:
            count = int(r.by_indicator.get(indicator.code, 0))
            share = 100.0 * count / r.tps_assessed
            cells.append((count, share, round(min(share / 50.0, 1.0) * 0.85, 2)))
        rows.append((child, r, cells))
    return rows


def _map_values(risk, variables) -> dict:
    names = {v.code: v.name for v in variables}
    return {
        child.code: {
            "name": child.name,
            "index": r.index,
            "category": r.category,
            "tps_total": child.tps_count,
            "assessed": r.tps_assessed,
            "flagged": r.tps_flagged,
            "by_variable": [[names.get(k, k), n] for k, n in r.by_variable.items()],
            "by_class": r.by_class,
        }
        for child, r in risk.children
        if r is not None
    }


@page(Guard(AREAS, "code", write=False))
@require_GET
@domain_errors_as_pages
def tps_list(request: HttpRequest, code: str) -> HttpResponse:
    risk = selectors.area_risk(request.user, guarded(request, AREAS), request.GET.get("putaran"))
    indicator = _indicator(risk.round.instrument, request.GET.get("indikator"))
    klass = request.GET.get("kelas") or None
    rows = selectors.tps_list(request.user, risk.round, code, indicator=indicator, klass=klass)
    found = keyset_page(rows, key="tps_id", after=request.GET.get("after"), limit=TPS_PAGE_SIZE)
    _, indicators = selectors.instrument_parts(risk.round.instrument)
    context = {
        "risk": risk,
        "area": risk.area,
        "page": found,
        "indicators": indicators,
        "indicator": indicator,
        "klass": klass,
        "classes": SecurityClass.choices,
        "breadcrumbs": area_breadcrumbs(request.user, risk.area),
    }
    return render(request, "risk/tps_list.html", context)


def _indicator(instrument: Instrument, code: str | None) -> Indicator | None:
    if not code:
        return None
    found = Indicator.objects.filter(instrument=instrument, code=code).first()
    if found is None:
        raise ValidationFailed(_("indikator %(code)s tidak dikenal") % {"code": code}, field="indikator")
    return found


@page(Guard(AREAS, "code", write=False))
@require_GET
@domain_errors_as_pages
def compare(request: HttpRequest, code: str) -> HttpResponse:
    rounds = list(selectors.rounds_visible(request.user).filter(area_id__in=[code, *ancestors_of(code)]))
    first = request.GET.get("a") or (rounds[0].slug if rounds else None)
    second = request.GET.get("b") or (rounds[1].slug if len(rounds) > 1 else first)
    if not first or not second:
        raise NotFound(_("tidak ada putaran penilaian yang mencakup wilayah %(code)s") % {"code": code})
    data = selectors.comparison(request.user, code, first, second)
    context = {**data, "rounds": rounds, "area": data["first"].area}
    context["breadcrumbs"] = area_breadcrumbs(request.user, data["first"].area)
    return render(request, "risk/compare.html", context)


@page(Guard(AREAS, "code", write=False))
@require_GET
@domain_errors_as_pages
def export_file(request: HttpRequest, code: str) -> HttpResponse:
    risk = selectors.area_risk(request.user, guarded(request, AREAS), request.GET.get("putaran"))
    variables, indicators = selectors.instrument_parts(risk.round.instrument)
    as_xlsx = request.GET.get("format") == "xlsx"
    what = "tps" if request.GET.get("isi") == "tps" else "wilayah"
    name = f"kerawanan-{risk.round.slug}-{code}-{what}.{'xlsx' if as_xlsx else 'csv'}"
    if what == "tps":
        if as_xlsx and risk.area.tps_count > XLSX_MAX_TPS:
            raise ValidationFailed(_("Terlalu banyak TPS untuk XLSX; unduh CSV."), field="format")
        checklists = selectors.tps_list(request.user, risk.round, code, indicator=None, klass=None)
        rows = export.tps_rows(checklists.iterator(chunk_size=2000), indicators)
    else:
        rows = export.area_rows(selectors.with_children(request.user, risk).children, variables, indicators)
    if as_xlsx:
        return attachment(export.as_xlsx(rows, _("kerawanan")), name)
    # A streamed response is a valid view response; the decorator is typed narrowly.
    return cast(HttpResponse, streamed_attachment(export.csv_stream(rows), name))


@page(Guard(TPS, "code", write=False))
@require_GET
@domain_errors_as_pages
def tps_detail(request: HttpRequest, code: str) -> HttpResponse:
    risk = selectors.tps_risk(request.user, guarded(request, TPS), request.GET.get("putaran"))
    indicators = selectors.instrument_parts(risk.round.instrument)[1] if risk.round else []
    station = risk.station
    context = {
        "risk": risk,
        "indicators": indicators,
        "can_write": TPS.can_write(request.user, station) and risk.round and not round_is_closed(risk.round),
        "can_override": TPS_SECURITY.can_write(request.user, station),
        "override_form": forms.OverrideForm(),
        "history": history_for("risk.security_class", code)[:20],
        "breadcrumbs": [*area_breadcrumbs(request.user, risk.station.desa), risk.station.desa],
    }
    return render(request, "risk/tps_detail.html", context)


@page(Guard(CHECKLISTS, "pk", write=False))
@require_safe
@domain_errors_as_pages
def checklist_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A checklist version's evidence, only to those who read its TPS (the media folder is not served).

    Always a download, with the type the upload check found in the bytes (an accepted upload is one of
    JPEG, PNG, WebP or PDF, judged by content), so a browser never renders it inline."""
    checklist = guarded(request, CHECKLISTS)
    if not checklist.evidence:
        raise NotFound(_("daftar periksa %(id)s tidak memiliki bukti") % {"id": pk})
    handle = checklist.evidence.open("rb")
    content_type = sniff(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        handle,
        as_attachment=True,
        filename=Path(checklist.evidence.name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page(Guard(TPS, "code", write=True))
@domain_errors_as_pages
def checklist_form(request: HttpRequest, code: str) -> HttpResponse:
    risk = selectors.tps_risk(request.user, guarded(request, TPS), request.GET.get("putaran") or request.POST.get("putaran"))
    if risk.round is None:
        raise NotFound(_("tidak ada putaran penilaian yang mencakup TPS %(code)s") % {"code": code})
    if round_is_closed(risk.round):
        raise Conflict(closed_round_refusal(risk.round), code="round_closed")
    indicators = selectors.instrument_parts(risk.round.instrument)[1]
    error = None
    if request.method == "POST":
        try:
            services.checklist_submit(
                actor=request.user,
                round_=risk.round,
                tps_code=code,
                answers=forms.answers_from_post(request.POST, indicators),
                note=request.POST.get("catatan", ""),
                client_id=request.POST.get("client_id") or None,
                evidence=request.FILES.get("bukti"),
            )
        except ValidationFailed as exc:
            error = exc.detail
        else:
            messages.success(request, _("Daftar periksa tersimpan sebagai versi baru."))
            return redirect(f"{request.path.rsplit('isi/', 1)[0]}?putaran={risk.round.slug}")
    context = {"risk": risk, "indicators": indicators, "error": error, "posted": request.POST}
    context["breadcrumbs"] = [*area_breadcrumbs(request.user, risk.station.desa), risk.station.desa]
    return render(request, "risk/checklist_form.html", context, status=422 if error else 200)


@page(Guard(TPS_SECURITY, "code"))
@require_POST
@domain_errors_as_pages
def security_override(request: HttpRequest, code: str) -> HttpResponse:
    form = forms.OverrideForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("Alasan wajib diisi."), field="reason")
    services.security_override_set(
        actor=request.user,
        tps_code=code,
        security_class=form.cleaned_data["security_class"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Kelas pengamanan diperbarui."))
    return redirect("risk:tps", code=code)


@page(SIGNED_IN)
@require_GET
@domain_errors_as_pages
def rounds(request: HttpRequest) -> HttpResponse:
    return _rounds_page(request, forms.RoundForm())


def _rounds_page(request: HttpRequest, form: forms.RoundForm, status: int = 200) -> HttpResponse:
    context = {
        "rounds": selectors.rounds_visible(request.user),
        "form": form,
        "can_create": bool(ROUNDS.write_scopes(request.user)),
    }
    return render(request, "risk/rounds.html", context, status=status)


@page(WritesSomewhere(ROUNDS))
@require_POST
@domain_errors_as_pages
def round_new(request: HttpRequest) -> HttpResponse:
    form = forms.RoundForm(request.POST)
    if not form.is_valid():
        return _rounds_page(request, form, status=422)
    round_ = services.round_create(actor=request.user, **form.cleaned_data)
    return redirect("risk:round", slug=round_.slug)


@page(Guard(ROUND_CHECKLISTS, "slug"))
@domain_errors_as_pages
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = guarded(request, ROUND_CHECKLISTS)
    errors = _import(request, round_) if request.method == "POST" else []
    if request.method == "POST" and not errors:
        return redirect("risk:round", slug=slug)
    context = {
        "round": round_,
        "can_manage": ROUND.can_write(request.user, round_),
        "can_import": ROUND_CHECKLISTS.can_write(request.user, round_),
        "import_form": forms.ImportForm(),
        "history": _round_history(request.user, round_),
        "errors": errors,
        "proposals": selectors.proposals_for_round(request.user, round_),
        "applies_proposals": not round_is_closed(round_),
    }
    return render(request, "risk/round_detail.html", context, status=422 if errors else 200)


def _round_history(user, round_) -> list:
    """The round's history as the user may read it: whole for those who read the round's area; for a
    partial viewer (a kecamatan officer, Polres Bontang in a Kukar round) the round's own events and
    those of TPS inside their areas, never the proposals (TPS codes, report references) of other areas."""
    entries = history_for("risk.round", round_.slug)
    if not ROUNDS.can_read(user, round_.area_id):
        own = Q(action__in=["created", "status"], area_code=round_.area_id) | Q(actor=user)
        entries = entries.filter(own | scope_filter(ROUNDS.read_scopes(user), "area_code"))
    return list(entries[:20])


def _import(request: HttpRequest, round_) -> list:
    upload = request.FILES.get("file")
    if upload is None:
        return [_("Pilih berkas CSV.")]
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        return [_("Berkas lebih besar dari %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}]
    with tempfile.TemporaryDirectory() as folder:
        # The client's file name (kept in the history) cut to a safe length in bytes: Django allows 255
        # characters, and 255 non-ASCII ones are longer than a file name may be (OSError, a 500).
        name = Path(upload.name or "").name.encode("utf-8")[:150].decode("utf-8", "ignore").strip()
        path = Path(folder) / (name if name not in ("", ".", "..") else "impor.csv")
        with path.open("wb") as out:  # chunk by chunk: a big upload is never held in memory whole
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            result = importer.checklists_import(actor=request.user, round_=round_, path=path)
        except ImportFailed as exc:
            return [str(e) for e in exc.errors] or [exc.detail]
    messages.success(request, _("%(rows)d daftar periksa diimpor.") % {"rows": result.rows})
    return []


@page(Guard(ROUND, "slug"))
@require_POST
@domain_errors_as_pages
def round_status(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = guarded(request, ROUND)
    services.round_set_status(actor=request.user, round_=round_, status=request.POST.get("status", ""))
    return redirect("risk:round", slug=slug)


@page(Guard(ROUND, "slug", write=False))
@require_GET
@domain_errors_as_pages
def round_template(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = guarded(request, ROUND)
    codes = [i.code for i in selectors.instrument_parts(round_.instrument)[1]]
    return attachment(export.as_csv([["tps_code", *codes, "catatan"]]), f"templat-{slug}.csv")


@page(Guard(PROPOSALS, "pk", write=True))
@require_POST
@domain_errors_as_pages
def proposal_apply(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = guarded(request, PROPOSALS)
    checklist = services.proposal_apply(actor=request.user, proposal_id=proposal.pk)
    messages.success(
        request,
        _("Usulan diterapkan ke putaran %(round)s sebagai versi %(version)d.")
        % {"round": checklist.round.name, "version": checklist.version},
    )
    return redirect("risk:round", slug=checklist.round.slug)


@page(SIGNED_IN)
@require_GET
@domain_errors_as_pages
def instruments(request: HttpRequest) -> HttpResponse:
    """The published instruments (reference data, no area): open to every signed-in user."""
    rows = Instrument.objects.prefetch_related("variables__indicators", "thresholds", "security_rules")
    return render(request, "risk/instruments.html", {"instruments": rows})
