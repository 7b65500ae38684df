"""Demo: Kukar's security units with their strength (DOMAIN 3), Linmas per desa, a named roster
for Polsek Tenggarong, a solved and approved plan, and one scenario."""

import csv
import tempfile
from pathlib import Path

from django.db.models import Count

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area, PollingStation, within
from sinergi.core.demo_context import DemoContext
from sinergi.deployment.models import LinmasPool, Plan, UnitStrength
from sinergi.deployment.services import plan_approve, plan_create, plan_scenario, roster_import, strength_set

KUKAR = "64.02"
BONTANG_GUARDS = ("64.02.05", "64.02.17")
# Polres Kukar: 550 personnel including 70 BKO Polda, plus 3 rapid-reaction platoons (DOMAIN 3).
POLRES_KUKAR_TOTAL, POLRES_KUKAR_BKO, PLATOONS = 550, 70, 3
POLSEK_SHARE = 0.7  # of the organic personnel; the rest is held at the Polres
FIRST = ["Ahmad", "Budi", "Cahyo", "Dedi", "Eko", "Fajar", "Gilang", "Hendra", "Irfan", "Joko", "Komang", "Lukman"]
LAST = ["Saputra", "Wibowo", "Santoso", "Pratama", "Hidayat", "Nugroho", "Siregar", "Harahap", "Lubis", "Kurniawan"]
RANKS = ["Bripda", "Briptu", "Brigpol", "Bripka", "Aipda", "Aiptu"]


def load(context: DemoContext) -> None:
    if Plan.objects.filter(client_id="demo-kukar-2024").exists():
        context.say("Deployment: demo plan already loaded")
        return
    tps = _tps_per_kecamatan()
    _police(tps)
    _military(tps)
    _linmas()
    people = _roster(context)
    planner = context.users["polres.kukar"]
    plan = plan_create(
        area_code=KUKAR,
        title="Rencana pengamanan TPS Pilkada Kukar 2024",
        options={},
        actor=planner,
        client_id="demo-kukar-2024",
    )
    plan_approve(plan=plan, actor=planner)
    scenario = plan_scenario(
        plan=plan,
        title="Skenario: Tenggarong rawan, tanpa BKO",
        changes={"raise": {"64.02.06": "rawan"}, "without_bko": True},
        actor=planner,
    )
    context.say(
        f"Deployment: plan #{plan.pk} approved ({plan.summary['posts']} posts, {plan.method}, "
        f"{plan.seconds:.1f} s), scenario #{scenario.pk}, roster of {people} for Polsek Tenggarong"
    )


def _tps_per_kecamatan() -> dict[str, int]:
    rows = (
        PollingStation.objects.filter(within(KUKAR, "code", include_self=False))
        .values("desa__parent_id")
        .annotate(n=Count("code"))
    )
    return {r["desa__parent_id"]: r["n"] for r in rows}


def _seat(code: str) -> tuple[float, float] | None:
    area = Area.objects.filter(code=code).values_list("label_lat", "label_lng").first()
    if area is None or area[0] is None or area[1] is None:
        return None
    return area[0], area[1]


def _police(tps: dict[str, int]) -> None:
    kukar_tps = sum(n for k, n in tps.items() if k not in BONTANG_GUARDS)
    organic = POLRES_KUKAR_TOTAL - POLRES_KUKAR_BKO
    at_polsek = 0
    for polsek in Agency.objects.filter(kind="polsek", area__code__startswith=KUKAR + "."):
        if polsek.area_id in BONTANG_GUARDS:
            strength_set(agency=polsek, personnel=round(tps.get(polsek.area_id, 0) * 0.25), base=_seat(polsek.area_id))
            continue
        share = round(organic * POLSEK_SHARE * tps.get(polsek.area_id, 0) / kukar_tps)
        at_polsek += share
        strength_set(agency=polsek, personnel=share, base=_seat(polsek.area_id))
    polres = Agency.objects.get(code="polres-kukar")
    strength_set(
        agency=polres,
        personnel=organic - at_polsek,
        bko=POLRES_KUKAR_BKO,
        platoons=PLATOONS,
        base=_seat("64.02.06"),  # Tenggarong
    )
    strength_set(agency=Agency.objects.get(code="polres-bontang"), personnel=30, bko=10, base=_seat("64.74"))


def _military(tps: dict[str, int]) -> None:
    for koramil in Agency.objects.filter(kind="koramil", area__code__startswith=KUKAR + "."):
        strength_set(agency=koramil, personnel=round(tps.get(koramil.area_id, 0) * 0.17), base=_seat(koramil.area_id))
    strength_set(agency=Agency.objects.get(code="kodim-0906"), personnel=60, base=_seat("64.02.06"))
    strength_set(agency=Agency.objects.get(code="kodim-0908"), personnel=15, base=_seat("64.74"))


def _linmas() -> None:
    """Two Linmas per TPS in most desa; every seventh desa is two people short."""
    satlinmas = Agency.objects.get(code="satlinmas-kukar")
    strength_set(agency=satlinmas, personnel=60, base=_seat("64.02.06"))
    rows = (
        PollingStation.objects.filter(within(KUKAR, "code", include_self=False))
        .values("desa_id")
        .annotate(n=Count("code"))
        .order_by("desa_id")
    )
    pools = [
        LinmasPool(desa_id=r["desa_id"], agency=satlinmas, members=max(0, 2 * r["n"] - (2 if i % 7 == 0 else 0)))
        for i, r in enumerate(rows)
    ]
    LinmasPool.objects.bulk_create(pools, ignore_conflicts=True)


def _roster(context: DemoContext) -> int:
    """A named roster for Polsek Tenggarong (generated names, clearly demo data)."""
    polsek = Agency.objects.get(code="polsek-tenggarong")
    size = UnitStrength.objects.get(agency=polsek).personnel + 4
    path = Path(tempfile.mkdtemp(prefix="sinergi-roster-")) / "roster_polsek_tenggarong.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_number", "rank", "name", "unit", "status"])
        for i in range(size):
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
            status = "cuti" if i % 25 == 24 else "aktif"
            writer.writerow([f"{85010000 + i}", RANKS[i % len(RANKS)], name, polsek.code, status])
    return roster_import(path=path, actor=context.users["polres.kukar"])
