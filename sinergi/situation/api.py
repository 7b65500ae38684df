"""JSON API of the situation room."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sinergi.situation import room as rooms
from sinergi.situation import selectors
from sinergi.situation.snapshot import room_snapshot

router = Router(tags=["situation"])


class MetricOut(Schema):
    key: str
    label: str
    value: Any
    unit: str
    status: str
    url: str


class SectionOut(Schema):
    module: str
    label: str
    live: bool
    metrics: list[MetricOut]


class AttentionOut(Schema):
    urgency: int
    title: str
    area_code: str
    detail: str
    module: str
    url: str


class AreaRef(Schema):
    code: str
    name: str
    level: str


class ChildOut(Schema):
    code: str
    name: str
    values: dict[str, float | None]


class LayerOut(Schema):
    key: str
    label: str
    unit: str


class ElectionOut(Schema):
    slug: str
    name: str
    voting_date: str


class SituationOut(Schema):
    area: AreaRef
    date: str
    phase: str
    phase_label: str
    next_voting_date: str | None
    days_to_vote: int | None
    elections: list[ElectionOut]
    sections: list[SectionOut]
    attention: list[AttentionOut]
    layers: list[LayerOut]
    children: list[ChildOut]
    failed: list[str]


class ReportOut(Schema):
    date: str
    generated_at: str
    pdf_url: str
    xlsx_url: str


@router.get("/situation/areas/{code}", response=SituationOut, summary="Situation room of one area: summary numbers")
def situation_area(request: HttpRequest, code: str):
    area = rooms.area_for(request.user, code)
    return room_snapshot(rooms.room_build(request.user, area))


@router.get(
    "/situation/areas/{code}/reports", response=list[ReportOut], summary="Daily reports of an area, newest first"
)
def situation_reports(request: HttpRequest, code: str, limit: int = 30):
    area = rooms.area_for(request.user, code)
    return [
        {
            "date": r.report_date.isoformat(),
            "generated_at": r.generated_at.isoformat(),
            "pdf_url": f"/situasi/{code}/laporan/{r.report_date:%Y-%m-%d}.pdf",
            "xlsx_url": f"/situasi/{code}/laporan/{r.report_date:%Y-%m-%d}.xlsx",
        }
        for r in selectors.reports_for(request.user, area)[: max(1, min(limit, 366))]
    ]
