"""A calibrated stand-in for KPU Kukar's Pilkada 2024 TPS list (pure, deterministic).

KPU's per-TPS list is not open data here. We know the official totals (1,447 TPS, DPT 552,469:
287,725 men, 264,744 women; at most 600 voters per TPS; about 6 special-location TPS) and each
desa's Pemilu 2024 TPS count, which tracks its number of voters. TPS and voters are spread over
the desa in proportion to those counts, never above 600 per TPS. TPS are spread within each security
jurisdiction separately, so that Polres Bontang's two kecamatan hold the 146 TPS it secured and
Polres Kukar's the other 1,301 (`sinergi/core/data/kukar_record.json`).
"""

import hashlib
from dataclasses import dataclass

from sinergi.core.record import RECORD

KUKAR_TPS = RECORD.value("tps_total")
KUKAR_DPT_MALE = 287_725
KUKAR_DPT_FEMALE = 264_744
MAX_PER_TPS = 600
# Special-location TPS (prison, hospital) where Pemilu 2024 had them: Loa Ipuh and Melayu, Tenggarong.
SPECIAL_TPS = {"64.02.06.1002": 4, "64.02.06.1005": 2}
SPECIAL_TPS_VOTERS = 180
# Kecamatan whose TPS another Polres secured, with that number of TPS: Polres Bontang secured 146
# Kukar TPS in Muara Badak (64.02.05) and Marang Kayu (64.02.17) (DOMAIN.md §3, K36).
_BONTANG = RECORD.facts["polres_bontang_tps"]
JURISDICTION_TPS = {tuple(_BONTANG["kecamatan"]): int(_BONTANG["value"])}


@dataclass(frozen=True)
class DesaWeight:
    code: str
    name: str
    pemilu_tps: int
    lat: float | None
    lng: float | None


@dataclass(frozen=True)
class TpsSpec:
    code: str
    desa: str
    number: int
    dpt_male: int
    dpt_female: int
    special: bool
    lat: float | None
    lng: float | None
    address: str


def allocate(total: int, weights: list[int], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each share at least `minimum`."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total is smaller than the minimum shares")
    weight_sum = sum(weights)
    exact = [rest * w / weight_sum for w in weights]
    shares = [b + int(e) for b, e in zip(base, exact, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _balance(tps: list[int], voters: list[int]) -> list[int]:
    """Move TPS from the emptiest desa to the fullest until no TPS exceeds the maximum."""
    tps = list(tps)
    while True:
        loads = [v / t for v, t in zip(voters, tps, strict=True)]
        fullest = max(range(len(tps)), key=lambda i: loads[i])
        if loads[fullest] <= MAX_PER_TPS:
            return tps
        donors = [i for i in range(len(tps)) if tps[i] > 1 and (voters[i] / (tps[i] - 1)) <= MAX_PER_TPS]
        if not donors:
            raise ValueError("cannot fit the voters within the maximum per TPS")
        donor = min(donors, key=lambda i: loads[i])
        tps[donor] -= 1
        tps[fullest] += 1


def _tps_per_desa(desa: list[DesaWeight], voters: list[int]) -> list[int]:
    """Regular TPS per desa: each jurisdiction's total (less its special TPS) spread over its desa."""
    groups: list[tuple[list[int], int]] = []
    claimed: set[int] = set()
    for kecamatan, total in JURISDICTION_TPS.items():
        members = [i for i, d in enumerate(desa) if d.code.rsplit(".", 1)[0] in kecamatan]
        if members:
            groups.append((members, total))
            claimed.update(members)
    rest = [i for i in range(len(desa)) if i not in claimed]
    groups.append((rest, KUKAR_TPS - sum(total for _, total in groups)))
    tps = [0] * len(desa)
    for members, total in groups:
        regular = total - sum(SPECIAL_TPS.get(desa[i].code, 0) for i in members)
        shares = allocate(regular, [desa[i].pemilu_tps for i in members], minimum=1)
        for i, n in zip(members, _balance(shares, [voters[i] for i in members]), strict=True):
            tps[i] = n
    return tps


def _offset(code: str) -> tuple[float, float]:
    digest = hashlib.sha256(code.encode()).digest()
    return (digest[0] - 128) / 128 * 0.012, (digest[1] - 128) / 128 * 0.012


def calibrate(desa: list[DesaWeight]) -> list[TpsSpec]:
    special_total = sum(SPECIAL_TPS.values())
    regular_voters = KUKAR_DPT_MALE + KUKAR_DPT_FEMALE - special_total * SPECIAL_TPS_VOTERS
    weights = [d.pemilu_tps for d in desa]
    voters = allocate(regular_voters, weights, minimum=1)
    tps = _tps_per_desa(desa, voters)
    per_tps_voters: list[tuple[DesaWeight, int, int, bool]] = []
    for d, n, v in zip(desa, tps, voters, strict=True):
        per_tps_voters += [(d, i + 1, share, False) for i, share in enumerate(allocate(v, [1] * n))]
        per_tps_voters += [(d, 901 + i, SPECIAL_TPS_VOTERS, True) for i in range(SPECIAL_TPS.get(d.code, 0))]
    males = allocate(KUKAR_DPT_MALE, [v for _, _, v, _ in per_tps_voters])
    return [
        _spec(d, number, total, male, special)
        for (d, number, total, special), male in zip(per_tps_voters, males, strict=True)
    ]


def _spec(d: DesaWeight, number: int, total: int, male: int, special: bool) -> TpsSpec:
    code = f"{d.code}.{number:03d}"
    lat = lng = None
    if d.lat is not None and d.lng is not None:
        dlat, dlng = _offset(code)
        lat, lng = round(d.lat + dlat, 6), round(d.lng + dlng, 6)
    return TpsSpec(code, d.code, number, male, total - male, special, lat, lng, f"TPS {number:03d} {d.name}")
