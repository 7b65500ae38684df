"""Deterministic deployment instances for the benchmarks (no database: the planner is pure).

- `kukar()`: the calibrated 1,447 Kukar TPS (the demo's list), Polres Kukar with 480 organic + 70 BKO
  + 3 platoons spread like the demo, Polres Bontang for Muara Badak and Marang Kayu, Kodim 0906/0908
  and Koramil, Linmas per desa; TPS classes drawn with a fixed seed (about 12 % rawan, 2 % sangat
  rawan; special-location TPS khusus) and supply set a little short so that the choice matters.
- `polres(i)`: one synthetic Polres of the national instance: ~870 TPS in 15 kecamatan of 8-12 desa.
"""

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sinergi.areas.calibration import DesaWeight, calibrate  # noqa: E402
from sinergi.deployment.instances import Options, UnitInput  # noqa: E402

NATIONAL_TPS = 435_296
NATIONAL_POLRES = 500
BONTANG_GUARDS = ("64.02.05", "64.02.17")


def _classes(rng: np.random.Generator, n: int, special: np.ndarray) -> list[str]:
    draw = rng.random(n)
    classes = np.where(draw < 0.02, "sangat_rawan", np.where(draw < 0.14, "rawan", "kurang_rawan")).astype(object)
    classes[special] = "khusus"
    return list(classes)


def kukar():
    with (ROOT / "sinergi/areas/data/kukar_desa_master.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    desa = [
        DesaWeight(r["code"], r["name"], int(r["tps_pemilu2024_regular"]), float(r["label_lat"]), float(r["label_lng"]))
        for r in rows
    ]
    specs = sorted(calibrate(desa), key=lambda s: s.code)
    labels = {r["kecamatan_code"]: (float(r["label_lat"]), float(r["label_lng"])) for r in rows}
    codes = [s.code for s in specs]
    lat = np.array([s.lat if s.lat is not None else 0.0 for s in specs])
    lng = np.array([s.lng if s.lng is not None else 0.0 for s in specs])
    rng = np.random.default_rng(2024)
    classes = _classes(rng, len(codes), np.array([s.special for s in specs]))
    tps_per_kec: dict[str, int] = {}
    for code in codes:
        kec = ".".join(code.split(".")[:3])
        tps_per_kec[kec] = tps_per_kec.get(kec, 0) + 1
    units = _kukar_units(tps_per_kec, labels)
    linmas = _linmas(codes, "satlinmas-kukar", rng)
    return codes, classes, ["benchmark"] * len(codes), lat, lng, units, linmas


def _kukar_units(tps_per_kec: dict[str, int], seats: dict[str, tuple[float, float]]) -> dict[str, UnitInput]:
    kukar_tps = sum(n for k, n in tps_per_kec.items() if k not in BONTANG_GUARDS)
    tenggarong = seats["64.02.06"]
    units = {
        "polres-kukar": UnitInput(
            "polres-kukar", "polres", None, ("64.02",), {"organik": 110, "bko": 70, "pleton": 90}, *tenggarong
        ),
        "polres-bontang": UnitInput(
            "polres-bontang", "polres", None, ("64.74", *BONTANG_GUARDS), {"organik": 20, "bko": 8}, 0.13, 117.5
        ),
        "kodim-0906": UnitInput("kodim-0906", "kodim", None, ("64.02",), {"organik": 50}, *tenggarong),
        "kodim-0908": UnitInput("kodim-0908", "kodim", None, ("64.74", *BONTANG_GUARDS), {"organik": 10}, 0.13, 117.5),
        "satlinmas-kukar": UnitInput("satlinmas-kukar", "satlinmas", None, ("64.02",), {"organik": 60}, *tenggarong),
    }
    for kec, n in sorted(tps_per_kec.items()):
        bontang = kec in BONTANG_GUARDS
        polri = round(n * 0.22) if bontang else round(336 * n / kukar_tps)
        parent, kodim = ("polres-bontang", "kodim-0908") if bontang else ("polres-kukar", "kodim-0906")
        units[f"polsek-{kec}"] = UnitInput(f"polsek-{kec}", "polsek", parent, (kec,), {"organik": polri}, *seats[kec])
        units[f"koramil-{kec}"] = UnitInput(
            f"koramil-{kec}", "koramil", kodim, (kec,), {"organik": round(n * 0.15)}, *seats[kec]
        )
    return units


def _linmas(codes: list[str], agency: str, rng: np.random.Generator) -> dict[str, tuple[str, int]]:
    per_desa: dict[str, int] = {}
    for code in codes:
        desa = code.rsplit(".", 1)[0]
        per_desa[desa] = per_desa.get(desa, 0) + 1
    return {d: (agency, max(0, 2 * n - int(rng.integers(0, 3)))) for d, n in per_desa.items()}


def polres(index: int, n_tps: int):
    """One synthetic Polres: 15 kecamatan around a seat, desa of 4-10 TPS, a Polsek and Koramil each."""
    rng = np.random.default_rng(10_000 + index)
    prov, kab = 11 + index // 40, 1 + index % 40
    region = f"{prov}.{kab:02d}"
    seat = (-8 + (index % 25) * 0.6, 96 + (index // 25) * 2.0)
    codes, lat, lng = [], [], []
    kecamatan = [f"{region}.{k:02d}" for k in range(1, 16)]
    centres = {k: (seat[0] + rng.normal(0, 0.25), seat[1] + rng.normal(0, 0.25)) for k in kecamatan}
    desa_count = dict.fromkeys(kecamatan, 0)
    while len(codes) < n_tps:
        kec = kecamatan[sum(desa_count.values()) % 15]
        desa_count[kec] += 1
        desa = f"{kec}.{2000 + desa_count[kec]:04d}"
        size = int(rng.integers(4, 11))
        dl, dg = centres[kec][0] + rng.normal(0, 0.05), centres[kec][1] + rng.normal(0, 0.05)
        for t in range(1, size + 1):
            if len(codes) < n_tps:
                codes.append(f"{desa}.{t:03d}")
                lat.append(dl + rng.normal(0, 0.004))
                lng.append(dg + rng.normal(0, 0.004))
    special = rng.random(len(codes)) < 0.004
    classes = _classes(rng, len(codes), special)
    per_kec = {k: sum(1 for c in codes if c.startswith(k + ".")) for k in kecamatan}
    pid, did = f"polres-{region}", f"kodim-{region}"
    units = {
        pid: UnitInput(
            pid, "polres", None, (region,), {"organik": n_tps // 12, "bko": n_tps // 18, "pleton": 60}, *seat
        ),
        did: UnitInput(did, "kodim", None, (region,), {"organik": n_tps // 25}, *seat),
        f"satlinmas-{region}": UnitInput(f"satlinmas-{region}", "satlinmas", None, (region,), {"organik": 40}, *seat),
    }
    for kec, n in per_kec.items():
        units[f"polsek-{kec}"] = UnitInput(
            f"polsek-{kec}", "polsek", pid, (kec,), {"organik": round(n * 0.2)}, *centres[kec]
        )
        units[f"koramil-{kec}"] = UnitInput(
            f"koramil-{kec}", "koramil", did, (kec,), {"organik": round(n * 0.1)}, *centres[kec]
        )
    order = np.argsort(codes, kind="stable")
    codes = [codes[i] for i in order]
    classes = [classes[i] for i in order]
    lat_a, lng_a = np.array(lat)[order], np.array(lng)[order]
    linmas = _linmas(codes, f"satlinmas-{region}", rng)
    return codes, classes, ["benchmark"] * len(codes), lat_a, lng_a, units, linmas


OPTIONS = Options(radius_km=3.0)
