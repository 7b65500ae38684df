"""Bulk CSV import of TPS checklists into a round: all or nothing, every bad row reported.

Columns: `tps_code`, one column per indicator code of the round's instrument (`ya`/`tidak`, or a whole
number for count indicators), and optionally `catatan`. Each row becomes a new checklist version.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.areas.codes import is_within, normalise_tps_code
from sinergi.areas.models import PollingStation
from sinergi.core.batching import chunked
from sinergi.core.csvfile import CsvRow, is_ascii_number, read_csv
from sinergi.core.errors import Conflict, ImportFailed, RowError
from sinergi.core.history import history_record
from sinergi.core.models import Channel
from sinergi.risk import recompute, schemes, scoring
from sinergi.risk.models import SECURITY_BY_RANK, AnswerType, AssessmentRound, Checklist, Indicator
from sinergi.risk.permissions import TPS, closed_round_refusal, round_is_closed

YES = {"ya", "y", "yes", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "0", "false", "", "-"}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    flagged: int
    sha256: str


def checklists_import(*, actor: Any, round_: AssessmentRound, path: Path) -> ImportResult:
    if round_is_closed(round_):
        raise Conflict(closed_round_refusal(round_), code="round_closed")
    types = dict(Indicator.objects.filter(instrument=round_.instrument).values_list("code", "answer_type"))
    table = read_csv(path, required={"tps_code", *types})
    stations = _stations(table.rows)
    errors: list[RowError] = []
    parsed: list[tuple[PollingStation, dict, str]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        result = _parse_row(row, types, stations, seen, round_, actor, errors)
        if result is not None:
            parsed.append(result)
    if errors:
        raise ImportFailed(errors)
    if not parsed:
        raise ImportFailed([RowError(2, "", _("berkas tidak berisi baris"))])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    flagged = checklists_store(actor, round_, parsed, path.name, digest)
    return ImportResult(rows=len(parsed), flagged=flagged, sha256=digest)


def _stations(rows: list[CsvRow]) -> dict[str, PollingStation]:
    codes = sorted({c for r in rows if (c := normalise_tps_code(r.get("tps_code")))})
    found: dict[str, PollingStation] = {}
    for part in chunked(codes):
        found.update(PollingStation.objects.in_bulk(part))
    return found


def _parse_row(row, types, stations, seen, round_, actor, errors) -> tuple[PollingStation, dict, str] | None:
    code = normalise_tps_code(row.get("tps_code"))
    before = len(errors)
    station = stations.get(code or "")
    if station is None:
        errors.append(RowError(row.line, "tps_code", _("TPS '%(code)s' tidak dikenal") % {"code": row.get("tps_code")}))
    elif not is_within(station.code, round_.area_id):
        errors.append(RowError(row.line, "tps_code", _("TPS %(code)s di luar wilayah putaran") % {"code": station.code}))
    elif not TPS.can_write(actor, station):
        errors.append(RowError(row.line, "tps_code", _("Anda tidak dapat mengisi daftar periksa untuk TPS %(code)s") % {"code": station.code}))
    elif station.code in seen:
        errors.append(RowError(row.line, "tps_code", _("TPS %(code)s sudah ada di baris %(line)d") % {"code": station.code, "line": seen[station.code]}))
    else:
        seen[station.code] = row.line
    if row.extra_fields:
        errors.append(RowError(row.line, "", _("nilai lebih banyak daripada kolom header")))
    answers = {c: _answer(row, c, kind, errors) for c, kind in types.items()}
    if len(errors) > before or station is None:
        return None
    return station, answers, row.get("catatan")


def _answer(row: CsvRow, code: str, kind: str, errors: list[RowError]) -> dict:
    text = row.get(code).lower()
    if kind == AnswerType.COUNT and is_ascii_number(text) and len(text) <= 6 and int(text) <= schemes.MAX_COUNT:
        return {"yes": int(text) > 0, "count": int(text)}
    if text in YES or text in NO:
        yes = text in YES
        return {"yes": yes, "count": (1 if yes else 0) if kind == AnswerType.COUNT else None}
    if kind == AnswerType.COUNT:
        reason = _("'%(value)s' bukan ya/tidak atau bilangan bulat sampai %(limit)d")
    else:
        reason = _("'%(value)s' bukan ya atau tidak")
    errors.append(RowError(row.line, code, reason % {"value": row.get(code), "limit": schemes.MAX_COUNT}))
    return {}


@transaction.atomic
def checklists_store(actor, round_, parsed, file_name: str, digest: str) -> int:
    """Store validated rows (station, answers, note) as new versions, then recompute the round."""
    locked = AssessmentRound.objects.select_for_update().filter(pk=round_.pk).first()
    if locked is None or round_is_closed(locked):  # closed while the file was being checked
        raise Conflict(closed_round_refusal(locked or round_), code="round_closed")
    scheme = schemes.scheme_for(round_.instrument)
    codes = [station.code for station, _, _ in parsed]
    versions = _current_versions(round_, codes)
    masks = np.array([scoring.pack(schemes.yes_codes(a), scheme) for _, a, _ in parsed], dtype=np.int64)
    special = np.array([s.is_special for s, _, _ in parsed], dtype=bool)
    _, score, _, ranks = scoring.assess(masks, special, scheme)
    for part in chunked(codes):
        Checklist.objects.filter(round=round_, is_current=True, tps_id__in=part).update(is_current=False)
    user = actor if getattr(actor, "pk", None) else None
    Checklist.objects.bulk_create(
        [
            Checklist(
                round=round_,
                tps=station,
                version=versions.get(station.code, 0) + 1,
                answers=answers,
                yes_mask=int(masks[i]),
                score=float(score[i]),
                security_class=SECURITY_BY_RANK[int(ranks[i])],
                note=note,
                channel=Channel.IMPORT,
                submitted_by=user,
            )
            for i, (station, answers, note) in enumerate(parsed)
        ],
        batch_size=recompute.BATCH,
    )
    history_record(
        object_type="risk.round",
        object_key=round_.slug,
        action="imported",
        actor=actor,
        channel=Channel.IMPORT,
        changes={"rows": len(parsed), "file": file_name, "sha256": digest},
        area_code=round_.area_id,
    )
    recompute.round_recompute(round_)
    return int((score > 0).sum())


def _current_versions(round_: AssessmentRound, codes: list[str]) -> dict[str, int]:
    versions: dict[str, int] = {}
    for part in chunked(codes):
        versions.update(
            Checklist.objects.filter(round=round_, is_current=True, tps_id__in=part).values_list("tps_id", "version")
        )
    return versions
