"""Builders for deployment tests on the small world (Tenggarong under Polres Kukar, Muara Badak
under Polres Bontang; three TPS per desa)."""

from sinergi.accounts.models import Agency
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.areas.models import Area, PollingStation
from sinergi.deployment.services import strength_set
from testkit.builders import user_make

TENGGARONG, MUARA_BADAK = "64.02.06", "64.02.05"


def units_make(*, polsek: int = 2, polres: int = 4, bko: int = 2, bontang: int = 2, koramil: int = 1) -> dict:
    """Strength for the world's units, plus a Koramil and a Satlinmas with bases at label points."""
    for code, lat, lng in (("64.02.06", -0.41, 116.99), ("64.02.05", -0.30, 117.30), ("64.74", 0.13, 117.50)):
        Area.objects.filter(code=code).update(label_lat=lat, label_lng=lng)
    kodim = Agency.objects.get(code="kodim-0906")
    agency_ensure(
        code="koramil-tenggarong",
        name="Koramil Tenggarong",
        kind=AgencyKind.KORAMIL,
        area_code=TENGGARONG,
        parent=kodim,
    )
    agency_ensure(code="satlinmas-kukar", name="Satlinmas Kukar", kind=AgencyKind.SATLINMAS, area_code="64.02")
    agencies = {a.code: a for a in Agency.objects.all()}
    strength_set(agency=agencies["polsek-tenggarong"], personnel=polsek, base=(-0.41, 116.99))
    strength_set(agency=agencies["polres-kukar"], personnel=polres, bko=bko, base=(-0.42, 117.0))
    strength_set(agency=agencies["polres-bontang"], personnel=bontang, base=(0.13, 117.5))
    strength_set(agency=agencies["koramil-tenggarong"], personnel=koramil, base=(-0.41, 116.99))
    strength_set(agency=agencies["kodim-0906"], personnel=2, base=(-0.42, 117.0))
    strength_set(agency=agencies["satlinmas-kukar"], personnel=40, base=(-0.42, 117.0))
    Agency.objects.filter(code="polsek-tenggarong").update(parent=agencies["polres-kukar"])
    return agencies


def spread_tps() -> None:
    """Give the world's TPS coordinates: desa of Tenggarong 6 km apart, Muara Badak far east."""
    points = {"64.02.06.1001": (-0.41, 116.99), "64.02.06.2001": (-0.41, 117.045), "64.02.05.2001": (-0.30, 117.30)}
    for tps in PollingStation.objects.filter(desa_id__in=list(points)):
        lat, lng = points[tps.desa_id]
        tps.lat, tps.lng = lat, lng + 0.001 * tps.number
        tps.save(update_fields=["lat", "lng"])


def planners() -> dict:
    return {
        "polri": user_make("perencana.polri", Role.POLICE_PLANNER, "64.02", "polres-kukar"),
        "tni": user_make("perencana.tni", Role.MILITARY_PLANNER, "64.02", "kodim-0906"),
        "bontang": user_make("perencana.bontang", Role.POLICE_PLANNER, MUARA_BADAK, "polres-bontang"),
        "observer": user_make("pemantau", Role.OBSERVER, "64.02", "pemkab-kukar"),
    }
