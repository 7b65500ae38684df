"""JSON API of the situation room."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sinergi.accounts.guards import Guard, guarded, operation
from sinergi.situation import room as rooms
from sinergi.situation import selectors
from sinergi.situation.permissions import ROOM
from sinergi.situation.snapshot import room_snapshot

router = Router(tags=["situation"])


class SituationMetricOut(Schema):
    key: str
    label: str
    value: Any
    unit: str
    status: str
    url: str


class SituationSectionOut(Schema):
    module: str
    label: str
    live: bool
    metrics: list[SituationMetricOut]


class SituationAttentionOut(Schema):
    urgency: int
    title: str
    area_code: str
    detail: str
    module: str
    url: str
    actionable: bool
    since: str | None


class SituationVerdictOut(Schema):
    module: str
    label: str
    level: str
    level_label: str
    reason: str
    url: str


class SituationAreaRef(Schema):
    code: str
    name: str
    level: str


class SituationChildOut(Schema):
    code: str
    name: str
    values: dict[str, float | None]


class SituationLayerOut(Schema):
    key: str
    label: str
    unit: str


class SituationElectionOut(Schema):
    slug: str
    name: str
    voting_date: str


class SituationOut(Schema):
    area: SituationAreaRef
    date: str
    phase: str
    phase_label: str
    next_voting_date: str | None
    days_to_vote: int | None
    elections: list[SituationElectionOut]
    overall: str | None
    verdicts: list[SituationVerdictOut]
    sections: list[SituationSectionOut]
    attention: list[SituationAttentionOut]
    layers: list[SituationLayerOut]
    children: list[SituationChildOut]
    failed: list[str]


class SituationReportOut(Schema):
    date: str
    generated_at: str
    pdf_url: str
    xlsx_url: str


@router.get("/situation/areas/{code}", response=SituationOut, summary="Situation room of one area: summary numbers")
@operation(Guard(ROOM, "code"))
def situation_area(request: HttpRequest, code: str):
    area = guarded(request, ROOM)
    return room_snapshot(rooms.room_build(request.user, area))


@router.get(
    "/situation/areas/{code}/reports",
    response=list[SituationReportOut],
    summary="Daily reports of an area, newest first",
)
@operation(Guard(ROOM, "code"))
def situation_reports(request: HttpRequest, code: str, limit: int = 30):
    area = guarded(request, ROOM)
    return [
        {
            "date": r.report_date.isoformat(),
            "generated_at": r.generated_at.isoformat(),
            "pdf_url": f"/situasi/{code}/laporan/{r.report_date:%Y-%m-%d}.pdf",
            "xlsx_url": f"/situasi/{code}/laporan/{r.report_date:%Y-%m-%d}.xlsx",
        }
        for r in selectors.reports_for(request.user, area)[: max(1, min(limit, 366))]
    ]
