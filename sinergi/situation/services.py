"""Writes of the situation app: the daily report archive."""

from io import BytesIO
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.areas.models import Area, Level
from sinergi.core.errors import NotFound
from sinergi.core.history import history_record
from sinergi.situation.documents import report_pdf, report_xlsx
from sinergi.situation.models import DailyReport
from sinergi.situation.permissions import ROOM, snapshot_for_reader
from sinergi.situation.room import SystemViewer, room_build
from sinergi.situation.snapshot import room_snapshot


def daily_report_generate(*, area_code: str, actor: Any = None) -> DailyReport:
    """Build today's report of the area (as the system sees it) and file it in the archive.

    `actor` is the person who asked for it on demand (checked: organisers only); the morning task
    passes none. Regenerating the same local day replaces that day's files.
    """
    if actor is not None:
        area = ROOM.get(actor, area_code, write=True)
    else:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            raise NotFound(_("wilayah %(code)s tidak ditemukan") % {"code": area_code})
    now = timezone.now()
    room = room_build(SystemViewer(), area)
    snapshot = room_snapshot(room, generated_at=now.isoformat())
    pdf, xlsx = report_pdf(snapshot), report_xlsx(snapshot)
    return _file(area, room.today, snapshot, pdf, xlsx, now, actor)


@transaction.atomic
def _file(area: Area, day: Any, snapshot: dict, pdf: bytes, xlsx: bytes, now: Any, actor: Any) -> DailyReport:
    report = DailyReport.objects.select_for_update().filter(area=area, report_date=day).first()
    old_files = [report.pdf.name, report.xlsx.name] if report else []
    if report is None:
        report = DailyReport(area=area, report_date=day)
    report.generated_at, report.snapshot = now, snapshot
    report.generated_by = actor if getattr(actor, "pk", None) else None
    # A fresh name per generation: the old files go only after the new row is committed.
    stem = f"laporan-situasi-{area.code}-{day:%Y%m%d}-{now:%H%M%S%f}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    report.save()
    storage = report.pdf.storage
    stale = [name for name in old_files if name and name not in (report.pdf.name, report.xlsx.name)]
    transaction.on_commit(lambda: [storage.delete(name) for name in stale])
    history_record(
        object_type="situation.dailyreport",
        object_key=f"{area.code}/{day}",
        action="generated",
        actor=actor,
        area_code=area.code,
        channel="system" if actor is None else "web",
    )
    return report


def regency_codes() -> list[str]:
    return list(
        Area.objects.filter(level=Level.REGENCY, is_active=True).order_by("code").values_list("code", flat=True)
    )


def daily_report_file(report: DailyReport, fmt: str, *, reader: Any) -> IO[bytes]:
    """The report's PDF or XLSX as `reader` may see it: the filed file when their role reads every
    module in it, otherwise rendered again from the filed snapshot without the other modules."""
    snapshot = report.snapshot or {}
    if not snapshot:
        return (report.pdf if fmt == "pdf" else report.xlsx).open("rb")
    visible = snapshot_for_reader(reader, snapshot)
    if visible == snapshot:
        return (report.pdf if fmt == "pdf" else report.xlsx).open("rb")
    return BytesIO(report_pdf(visible) if fmt == "pdf" else report_xlsx(visible))
