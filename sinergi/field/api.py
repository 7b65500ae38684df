"""Field app API: the reference data a phone caches, TPS search and nearest TPS, receipts by client id,
and the two writes the existing APIs lack: an incident with its photo and a checklist with its photo
(multipart, each straight into the incidents / risk service, idempotent by client id).

Turnout goes to the existing `/api/v1/turnout/reports`; nothing here duplicates it."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, operation
from sinergi.core.errors import ValidationFailed
from sinergi.core.models import Channel
from sinergi.core.uploads import upload_read
from sinergi.field import selectors
from sinergi.incidents import services as incidents
from sinergi.incidents.api import IncidentIn
from sinergi.incidents.permissions import INCIDENTS
from sinergi.risk import services as risk
from sinergi.risk.permissions import TPS

router = Router(tags=["field"])
PREFIX = "field/"
MAX_RECEIPT_IDS = 200
# An optional multipart file (ninja reads `File[...] | None` as a form field, not a file).
OPTIONAL_PHOTO = File(None)


class FieldReferenceOut(Schema):
    user: dict
    generated_at: str
    own_tps: str | None
    desas: list[list]
    tps: list[list]
    tps_complete: bool
    turnout: dict | None
    categories: list[dict]
    rounds: list[dict]
    actions: list[dict]


@router.get("/reference", response=FieldReferenceOut, summary="What the field app caches: own TPS, desa, TPS, ...")
@operation(SIGNED_IN)
def reference(request: HttpRequest):
    return selectors.reference_data(request.user)


class FieldTpsOut(Schema):
    code: str
    number: int
    desa_code: str
    desa_name: str
    address: str
    km: float | None = None


class FieldSearchQuery(Schema):
    q: str


@router.get("/tps", response=list[FieldTpsOut], summary="TPS of your areas whose desa name or address holds `q`")
@operation(SIGNED_IN)
def tps_search(request: HttpRequest, query: Query[FieldSearchQuery]):
    return selectors.tps_search(request.user, query.q)


class FieldPointQuery(Schema):
    lat: float
    lng: float


@router.get("/tps/nearest", response=list[FieldTpsOut], summary="The TPS nearest to a point (the phone's location)")
@operation(SIGNED_IN)
def tps_nearest(request: HttpRequest, query: Query[FieldPointQuery]):
    # Where a TPS is is public KPU data (the TPS finder), so any signed-in user may ask; writes stay guarded.
    return selectors.nearest_tps(query.lat, query.lng)


class FieldReceiptsQuery(Schema):
    ids: str


@router.get("/receipts", response=dict[str, dict], summary="The server's state of your items, by client id")
@operation(SIGNED_IN)
def receipts(request: HttpRequest, query: Query[FieldReceiptsQuery]):
    ids = [i for i in query.ids.split(",") if i][:MAX_RECEIPT_IDS]
    return selectors.receipts(request.user, ids)


class FieldIncidentIn(IncidentIn):
    """The incidents API's report, as a form (a photo may come with it); the phone always sends a client id."""

    client_id: str


class FieldIncidentOut(Schema):
    id: int
    ref: str
    tracking_code: str
    state: str
    client_id: str | None


@router.post(
    "/incidents",
    response={200: FieldIncidentOut, 201: FieldIncidentOut},
    summary="File a report with its photo (multipart); a repeated client_id returns the stored report",
)
@operation(WritesSomewhere(INCIDENTS))
def incident_create(request: HttpRequest, payload: Form[FieldIncidentIn], photo: UploadedFile | None = OPTIONAL_PHOTO):
    files = [upload_read(photo, field="photo")] if photo is not None else []
    intake = incidents.Intake(**payload.dict(), files=files)
    report, created = incidents.report_create(intake=intake, channel=Channel.API, actor=request.user)  # type: ignore[arg-type]
    return Status(201 if created else 200, report)


class FieldChecklistIn(Schema):
    client_id: str
    round: str | None = None
    answers: str  # JSON object {code: {"yes": bool, "count": int | null}}: a form field carries text
    note: str = ""


class FieldChecklistOut(Schema):
    tps_code: str
    round: str
    version: int
    client_id: str | None


@router.post(
    "/tps/{tps_code}/checklist",
    response=FieldChecklistOut,
    summary="Submit a TPS checklist with a photo as evidence (multipart); retries return the stored version",
)
@operation(Guard(TPS, "tps_code"))
def checklist_submit(
    request: HttpRequest, tps_code: str, payload: Form[FieldChecklistIn], photo: UploadedFile | None = OPTIONAL_PHOTO
):

    try:
        answers = json.loads(payload.answers)
    except ValueError as exc:
        raise ValidationFailed(_("jawaban bukan JSON"), field="answers") from exc
    if not isinstance(answers, dict):
        raise ValidationFailed(_("jawaban harus berupa objek dengan kode indikator sebagai kunci"), field="answers")
    station = guarded(request, TPS)
    round_ = selectors.checklist_round(request.user, station.code, payload.round)
    checklist = risk.checklist_submit(
        actor=request.user,
        round_=round_,
        tps_code=station.code,
        answers=answers,
        note=payload.note,
        client_id=payload.client_id,
        channel=Channel.API,
        evidence=photo,
    )
    return {
        "tps_code": station.code,
        "round": round_.slug,
        "version": checklist.version,
        "client_id": checklist.client_id,
    }
