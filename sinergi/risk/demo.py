"""Demo: the 2024 instruments, and two closed, fully assessed Kukar rounds with synthetic answers.

Answers are drawn deterministically (seeded) at Bawaslu's national rates (TPS count per indicator /
435,296, DOMAIN 2a/2b), raised where the demo's geography makes them plausible: remote upstream
kecamatan on the Mahakam are harder to reach, flood-prone and badly connected; the coal-mining belt
around Tenggarong Seberang, Loa Kulu, Loa Janan and the coast has TPS near mines; the capital, where
the incumbent-challenger friction was strongest, gets more security and money-politics flags.
"""

import datetime as dt

import numpy as np

from sinergi.areas.codes import KECAMATAN_DEPTH, ancestor_at
from sinergi.areas.models import PollingStation
from sinergi.core.demo_context import DemoContext
from sinergi.risk import defaults, importer, services
from sinergi.risk.models import AssessmentRound, Instrument, RoundStatus

KUKAR = "64.02"
SEED = 20241115
REMOTE = {"64.02.01", "64.02.09", "64.02.10", "64.02.12", "64.02.18", "64.02.19", "64.02.11"}
RIVER_FLOOD = {"64.02.01", "64.02.08", "64.02.09", "64.02.10", "64.02.11", "64.02.18", "64.02.19"}
MINING = {"64.02.02", "64.02.03", "64.02.16", "64.02.15", "64.02.14", "64.02.13", "64.02.05", "64.02.17"}
CAPITAL = {"64.02.06", "64.02.16"}
# concept -> (kecamatan set, multiplier of the national rate)
GEOGRAPHY = {
    "sulit_dijangkau": (REMOTE, 6.0),
    "rawan_bencana": (RIVER_FLOOD, 4.0),
    "internet": (REMOTE, 3.0),
    "listrik": (REMOTE, 3.0),
    "logistik_terlambat": (REMOTE, 4.0),
    "dekat_tambang": (MINING, 5.0),
    "kekerasan": (CAPITAL, 3.0),
    "intimidasi": (CAPITAL, 3.0),
    "politik_uang": (CAPITAL, 3.0),
    "netralitas_aparat": (CAPITAL, 2.0),
}
ROUNDS = [
    ("pilkada-2024-kukar", "tps-pilkada-2024", "Pemetaan TPS rawan Pilkada 2024 Kukar", (2024, 11, 10), (2024, 11, 15)),
    ("pemilu-2024-kukar", "tps-pemilu-2024", "Pemetaan TPS rawan Pemilu 2024 Kukar", (2024, 2, 3), (2024, 2, 8)),
]


def load(context: DemoContext) -> None:
    instruments = {i.slug: i for i in services.instruments_load_defaults()}
    context.say(f"Risk: {len(instruments)} instruments (Pilkada 2024 TPS, Pemilu 2024 TPS, area-level)")
    actor = context.users.get("bawaslu.kukar") or context.users.get("admin")
    stations = list(PollingStation.objects.within(KUKAR).order_by("code").only("code", "is_special", "desa_id"))
    for slug, instrument_slug, name, start, end in ROUNDS:
        if AssessmentRound.objects.filter(slug=slug).exists():
            context.say(f"Risk: round {slug} already loaded")
            continue
        round_ = services.round_create(
            actor=actor,
            instrument=instruments[instrument_slug],
            area_code=KUKAR,
            name=name,
            slug=slug,
            window_start=dt.date(*start),
            window_end=dt.date(*end),
            is_synthetic=True,
        )
        rows = synthetic_answers(instruments[instrument_slug], stations)
        flagged = importer.checklists_store(actor, round_, rows, "demo (synthetic)", "")
        services.round_set_status(actor=actor, round_=round_, status=RoundStatus.CLOSED)
        context.say(f"Risk: {name}: {len(rows)} TPS assessed, {flagged} with at least one indicator")
    _example_override(actor, stations)


def synthetic_answers(instrument: Instrument, stations: list[PollingStation]) -> list[tuple]:
    """(station, answers, note) per TPS, the same on every run."""
    specs = {
        i.code: i
        for spec in defaults.DEFAULT_INSTRUMENTS
        if spec.slug == instrument.slug
        for v in spec.variables
        for i in v.indicators
    }
    # Seeded by the instrument's place in the defaults, not its pk: a database whose sequences moved on
    # (PostgreSQL keeps them across rolled-back tests) draws the same answers as a fresh demo.
    order = [spec.slug for spec in defaults.DEFAULT_INSTRUMENTS].index(instrument.slug) + 1
    rng = np.random.default_rng(SEED + order)
    kecamatan = np.array([ancestor_at(s.code, KECAMATAN_DEPTH) for s in stations])
    draws = rng.random((len(stations), len(specs)))
    rows = []
    answers_by_station: list[dict] = [{} for _ in stations]
    for j, (code, spec) in enumerate(sorted(specs.items())):
        rate = np.full(len(stations), spec.demo_count / defaults.NATIONAL_TPS)
        where, factor = GEOGRAPHY.get(spec.concept, (set(), 1.0))
        rate = np.where(np.isin(kecamatan, list(where)), np.minimum(rate * factor, 0.9), rate)
        yes = draws[:, j] < rate
        if spec.concept == "lokasi_khusus":
            yes = np.array([s.is_special for s in stations])
        counts = 1 + (rng.poisson(2.0, len(stations))) if spec.answer_type == "jumlah" else None
        for k in range(len(stations)):
            count = (int(counts[k]) if yes[k] else 0) if counts is not None else None
            answers_by_station[k][code] = {"yes": bool(yes[k]), "count": count}
    for station, answers in zip(stations, answers_by_station, strict=True):
        rows.append((station, answers, "data sintetis demo"))
    return rows


def _example_override(actor, stations: list[PollingStation]) -> None:
    from sinergi.risk.models import SecurityOverride

    target = next((s for s in stations if s.code.startswith("64.02.06.")), None)
    if target is None or SecurityOverride.objects.filter(tps=target).exists():
        return
    services.security_override_set(
        actor=actor,
        tps_code=target.code,
        security_class="sangat_rawan",
        reason="Contoh demo: rapat koordinasi 3 September 2024 meminta pengamanan ekstra di TPS dekat kantor bupati",
    )
