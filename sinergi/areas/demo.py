"""Demo data: the national area tree, Kaltim boundaries, the 2024/2025 elections, Kukar's TPS."""

import csv
import datetime as dt
import tempfile
from pathlib import Path

from sinergi.areas.area_import import import_areas
from sinergi.areas.boundary_import import import_boundaries
from sinergi.areas.calibration import DesaWeight, calibrate
from sinergi.areas.models import Area, Election, ElectionKind
from sinergi.areas.tps_import import import_tps
from sinergi.core.demo_context import DemoContext
from sinergi.core.timezones import zone_for_area

DATA = Path(__file__).parent / "data"
KUKAR = "64.02"
KALTIM = "64"
BOUNDARY_FILES = [
    "boundaries_provinsi_indonesia.geojson.gz",
    "boundaries_kabkota_indonesia.geojson.gz",
    "boundaries_kecamatan_kaltim.geojson.gz",
    "boundaries_desa_kaltim.geojson.gz",
]
CALIBRATION_NOTE = (
    "Daftar TPS Kukar ini adalah pengganti terkalibrasi, bukan daftar resmi KPU: 1.447 TPS dan DPT 552.469 "
    "(sesuai total resmi Pilkada 2024) disebar ke 237 desa/kelurahan menurut jumlah TPS Pemilu 2024."
)


def load(context: DemoContext) -> None:
    areas = import_areas(DATA / "regions_kemendagri_2025.csv.gz")
    context.say(f"Areas: {len(areas.added)} added" if areas.changed else "Areas: already loaded")
    for name in BOUNDARY_FILES:
        import_boundaries(DATA / name)
    context.say("Boundaries: provinces, kabupaten/kota, Kaltim kecamatan and desa")
    elections_ensure()
    result = import_tps(_kukar_tps_csv(), note=CALIBRATION_NOTE)
    kukar = Area.objects.get(code=KUKAR)
    context.say(f"Kukar TPS: {kukar.tps_count} TPS, DPT {kukar.dpt_total} ({result.added} added)")


def elections_ensure() -> dict[str, Election]:
    references = [{"label": "Pilkada 2015", "pct": "57.09"}, {"label": "Pilkada 2020", "pct": "56.57"}]
    specs = {
        "pilbup-kukar-2024": dict(
            name="Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024",
            kind=ElectionKind.REGENT,
            region_id=KUKAR,
            voting_date=dt.date(2024, 11, 27),
            reference_turnouts=references,
        ),
        "pilgub-kaltim-2024": dict(
            name="Pemilihan Gubernur dan Wakil Gubernur Kalimantan Timur 2024",
            kind=ElectionKind.GOVERNOR,
            region_id=KALTIM,
            voting_date=dt.date(2024, 11, 27),
            reference_turnouts=[],
        ),
    }
    elections = {slug: _upsert(slug, spec) for slug, spec in specs.items()}
    elections["psu-kukar-2025"] = _upsert(
        "psu-kukar-2025",
        dict(
            name="Pemungutan Suara Ulang Pilbup Kutai Kartanegara 2025",
            kind=ElectionKind.REVOTE,
            region_id=KUKAR,
            voting_date=dt.date(2025, 4, 19),
            replaces=elections["pilbup-kukar-2024"],
            reference_turnouts=[*references, {"label": "Pilkada 2024", "pct": "70.98"}],
        ),
    )
    return elections


def _upsert(slug: str, spec: dict) -> Election:
    election, _ = Election.objects.update_or_create(
        slug=slug, defaults={**spec, "time_zone": zone_for_area(spec["region_id"]), "max_voters_per_tps": 600}
    )
    return election


def _kukar_tps_csv() -> Path:
    with (DATA / "kukar_desa_master.csv").open(encoding="utf-8") as handle:
        desa = [
            DesaWeight(
                r["code"], r["name"], int(r["tps_pemilu2024_regular"]), float(r["label_lat"]), float(r["label_lng"])
            )
            for r in csv.DictReader(handle)
        ]
    path = Path(tempfile.mkdtemp(prefix="sinergi-")) / "kukar_tps_pilkada2024_calibrated.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tps_code", "dpt_male", "dpt_female", "dpt_total", "special", "lat", "lng", "address"])
        for s in calibrate(desa):
            writer.writerow(
                [s.code, s.dpt_male, s.dpt_female, s.dpt_male + s.dpt_female, int(s.special), s.lat, s.lng, s.address]
            )
    return path
