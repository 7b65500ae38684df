"""Reads of the field app: the reference data a phone caches, TPS search, nearest TPS, receipts."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import memberships_of
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, is_within, level_of, split_tps_code
from sinergi.areas.models import Area, Level, PollingStation, within
from sinergi.core.errors import Conflict, DomainError, ValidationFailed
from sinergi.field import geo
from sinergi.incidents.models import Category
from sinergi.incidents.models import Report as IncidentReport
from sinergi.meetings.selectors import my_open_actions
from sinergi.people.selectors import own_tps as roster_tps
from sinergi.risk.models import AssessmentRound, Checklist, Indicator, RoundStatus
from sinergi.risk.selectors import round_get, rounds_visible
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.models import Report as TurnoutReport
from sinergi.turnout.voting_day import election_for

# A phone caches every TPS of the user's areas up to this many (a kecamatan has about 100, Kukar 1,447;
# about 30 bytes each compressed). A national or provincial login searches on the server instead.
MAX_CACHED_TPS = 3000
MAX_ACTIONS = 20
SEARCH_LIMIT = 20
# Nearest TPS: boxes of growing size around the point; each is one indexed range query on (lat, lng).
SEARCH_RADII_KM = (1.0, 3.0, 10.0, 30.0)
NEAREST_LIMIT = 5


def scopes(user: Any) -> list[str]:
    """The user's membership areas, without those inside another one (narrowest first in use)."""
    codes = sorted({area for _role, area, _agency in memberships_of(user)})
    return [c for c in codes if not any(o != c and is_within(c, o) for o in codes)]


def _scope_filter(codes: list[str], field: str) -> Q:
    if not codes:
        return Q(pk__in=[])
    query = Q()
    for code in codes:
        query |= within(code, field) if code != NATIONAL_CODE else Q()
    return query


def own_tps(user: Any) -> PollingStation | None:
    """The user's own TPS from the people roster; else the first TPS of a desa the user is a member of."""
    found = roster_tps(user)
    if found is not None:
        return found
    desas = [c for c in scopes(user) if level_of(c) == "desa_kelurahan"]
    if not desas:
        return None
    return PollingStation.objects.filter(desa_id__in=desas).order_by("code").first()


@dataclass(frozen=True)
class TpsHit:
    code: str
    number: int
    desa_code: str
    desa_name: str
    address: str
    km: float | None = None


def tps_search(user: Any, text: str, limit: int = SEARCH_LIMIT) -> list[TpsHit]:
    """TPS whose desa name contains the text (or whose address does), inside the user's areas."""
    text = text.strip()
    if len(text) < 2:
        return []
    rows = (
        PollingStation.objects.filter(_scope_filter(scopes(user), "code"))
        .filter(Q(desa__name__icontains=text) | Q(address__icontains=text))
        .order_by("desa__name", "number")
        .values_list("code", "number", "desa_id", "desa__name", "address")[:limit]
    )
    return [TpsHit(*row) for row in rows]


def nearest_tps(lat: float, lng: float, limit: int = NEAREST_LIMIT) -> list[TpsHit]:
    """The TPS nearest to a point: a box around it (an indexed range on lat and lng, never a scan of every
    TPS), grown until it holds enough TPS, then ranked by great-circle distance."""
    if not geo.valid_point(lat, lng):
        raise ValidationFailed(_("koordinat di luar jangkauan (lintang -90..90, bujur -180..180)"), field="lat")
    for km in SEARCH_RADII_KM:
        lat_min, lat_max, lng_min, lng_max = geo.bounding_box(lat, lng, km)
        rows: list[tuple[str, float, float]] = list(
            PollingStation.objects.filter(
                lat__gte=lat_min, lat__lte=lat_max, lng__gte=lng_min, lng__lte=lng_max
            ).values_list("code", "lat", "lng")  # type: ignore[arg-type]
        )
        ranked = [(code, d) for code, d in geo.nearest(lat, lng, rows, limit) if d <= km]
        if len(ranked) >= limit or km == SEARCH_RADII_KM[-1]:
            break
    details = {
        code: (number, desa, name, address)
        for code, number, desa, name, address in PollingStation.objects.filter(
            code__in=[c for c, _ in ranked]
        ).values_list("code", "number", "desa_id", "desa__name", "address")
    }
    return [TpsHit(code, *details[code], km=round(km, 3)) for code, km in ranked]


def reference_data(user: Any) -> dict[str, Any]:
    """Everything the field app needs offline: the user, the own TPS, the desa and TPS of the user's
    areas, the election's checkpoints, incident categories, open checklist rounds, open action items."""
    codes = scopes(user)
    own = own_tps(user)
    tps_rows = list(
        PollingStation.objects.filter(_scope_filter(codes, "code"))
        .order_by("code")
        .values_list("code", "number", "desa_id", "lat", "lng")[: MAX_CACHED_TPS + 1]
    )
    complete = len(tps_rows) <= MAX_CACHED_TPS
    if not complete:
        tps_rows = []
    desa_codes = sorted({row[2] for row in tps_rows} | ({own.desa_id} if own else set()))
    desas = list(
        Area.objects.filter(code__in=desa_codes, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "parent__name")
    )
    index = {code: i for i, (code, _n, _k) in enumerate(desas)}
    return {
        "user": {"username": user.get_username(), "name": user.get_full_name() or user.get_username()},
        "generated_at": timezone.now().isoformat(),
        "own_tps": own.code if own else None,
        "desas": [list(d) for d in desas],
        "tps": [
            [code, number, index[desa], _coord(lat), _coord(lng)]
            for code, number, desa, lat, lng in tps_rows
            if desa in index
        ],
        "tps_complete": complete,
        "turnout": _turnout(own.code if own else (codes[0] if codes else None)),
        "categories": [
            {"code": c, "name": _(n), "keyword": (k.split() or [""])[0].upper()}
            for c, n, k in Category.objects.filter(is_active=True).values_list("code", "name", "sms_keywords")
        ],
        "rounds": _rounds(user),
        "actions": [
            {"id": a.pk, "title": a.title, "due": a.due_date.isoformat(), "status": a.status}
            for a in my_open_actions(user)[:MAX_ACTIONS]
        ],
    }


def _coord(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def _desa_of(code: str) -> str:
    """A TPS code's desa; an area code as it is."""
    try:
        return split_tps_code(code)[0]
    except ValueError:
        return code


def _turnout(code: str | None) -> dict[str, Any] | None:
    if not code:
        return None
    try:
        election = election_for(_desa_of(code))
    except DomainError:
        return None
    checkpoints = Checkpoint.objects.filter(election=election).order_by("order")
    return {
        "election": election.slug,
        "name": election.name,
        "checkpoints": [
            {"code": c.code, "label": c.label, "time": c.local_time.strftime("%H:%M"), "final": c.is_final}
            for c in checkpoints
        ],
    }


def _rounds(user: Any) -> list[dict[str, Any]]:
    rounds = list(rounds_visible(user).filter(status=RoundStatus.OPEN).select_related("area").order_by("slug")[:5])
    indicators: dict[int, list[dict[str, Any]]] = {}
    for instrument_id, code, text, kind in (
        Indicator.objects.filter(instrument_id__in={r.instrument_id for r in rounds})
        .order_by("position")
        .values_list("instrument_id", "code", "text", "answer_type")
    ):
        indicators.setdefault(instrument_id, []).append({"code": code, "text": text, "type": kind})
    return [
        {"slug": r.slug, "name": r.name, "area": r.area_id, "indicators": indicators.get(r.instrument_id, [])}
        for r in rounds
    ]


def receipts(user: Any, client_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The server's state of each item the phone sent, by client id: stored (with what it became),
    needs a correction (a turnout quality flag still open) or unknown. Only the user's own items."""
    found: dict[str, dict[str, Any]] = {}
    if not client_ids:
        return found
    for cid, version, flags, flagged in TurnoutReport.objects.filter(
        client_id__in=client_ids, reporter=user
    ).values_list("client_id", "version", "flags", "slot__flagged"):
        state = "flagged" if flags and flagged else "stored"
        found[str(cid)] = {"kind": "turnout", "state": state, "version": version, "flags": flags if flagged else []}
    for cid, pk, state in IncidentReport.objects.filter(client_id__in=client_ids, reporter=user).values_list(
        "client_id", "pk", "state"
    ):
        found[str(cid)] = {"kind": "incident", "state": "stored", "ref": f"#{pk}", "status": state}
    for cid, version in Checklist.objects.filter(client_id__in=client_ids, submitted_by=user).values_list(
        "client_id", "version"
    ):
        found[str(cid)] = {"kind": "checklist", "state": "stored", "version": version}
    return found


def checklist_round(user: Any, tps_code: str, slug: str | None) -> AssessmentRound:
    """The round named by the phone, else the open round the user sees that covers the TPS."""
    if slug:
        return round_get(user, slug)
    found = (
        rounds_visible(user)
        .filter(status=RoundStatus.OPEN, area_id__in=ancestors_of(tps_code))
        .order_by("-area_id")
        .first()
    )
    if found is None:
        raise Conflict(_("tidak ada putaran penilaian terbuka untuk TPS %(tps)s") % {"tps": tps_code})
    return found
