"""Data-quality rules for turnout reports: plain data in, flags out (no ORM).

Rules judge suspect numbers and FLAG them; the report is always stored. Rules that find the numbers
implausible (more voters than can vote there, an impossible jump, two reporters disagreeing) also
HOLD it: the slot's numbers stay out of totals and the projection until a supervisor confirms or
corrects them. A late or slightly inconsistent report is flagged but counts. Parameters come from
`QualityRule.params` (editable data, `"hold": true|false` overrides HOLDING_RULES); DEFAULT_RULES holds
the shipped defaults.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

DEFAULT_RULES: dict[str, tuple[str, dict[str, Any]]] = {
    "over_registered": (
        "Pemilih melebihi DPT + DPTb + DPK (sebelum hasil akhir: DPT + cadangan surat suara)",
        {"reserve_pct": 2.5},
    ),
    "below_previous": ("Angka lebih rendah dari titik laporan sebelumnya", {}),
    "implausible_jump": ("Lonjakan tidak wajar sejak titik sebelumnya (bagian dari DPT)", {"max_share": 0.6}),
    "off_schedule": (
        "Dikirim jauh di luar waktu titik laporan",
        {"early_minutes": 30, "late_minutes": 180, "final_late_minutes": 720},
    ),
    "disagreement": ("Dua pelapor berbeda angka untuk slot yang sama", {}),
    "ballots_mismatch": ("Suara sah + tidak sah tidak sama dengan jumlah pemilih", {}),
}

# The short name of each rule, shown on a flag's badge instead of its code.
RULE_LABELS = {
    "over_registered": _("melebihi pemilih terdaftar"),
    "below_previous": _("turun dari titik sebelumnya"),
    "implausible_jump": _("lonjakan tidak wajar"),
    "off_schedule": _("di luar jadwal"),
    "disagreement": _("angka pelapor berbeda"),
    "ballots_mismatch": _("jumlah suara tidak cocok"),
}


# Rules whose flag holds the report out of the counts unless their params say otherwise. A count below
# the previous checkpoint is only flagged: the earlier number may be the wrong one.
HOLDING_RULES = frozenset({"over_registered", "implausible_jump", "disagreement"})


@dataclass(frozen=True)
class Observation:
    voters: int
    dpt: int
    is_final: bool
    submitted_at: datetime
    checkpoint_at: datetime
    previous_voters: int | None = None  # the same TPS at the checkpoint before
    prior_voters: int | None = None  # the latest version already stored for this slot
    prior_reporter: int | None = None
    reporter: int | None = None
    is_correction: bool = False
    voted_dptb: int | None = None
    voted_dpk: int | None = None
    valid_ballots: int | None = None
    invalid_ballots: int | None = None


def evaluate(obs: Observation, rules: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The flags `obs` raises under the enabled `rules` ({code: params})."""
    flags: list[dict[str, Any]] = []
    for code, params in rules.items():
        message = _CHECKS[code](obs, params) if code in _CHECKS else None
        if message:
            flag: dict[str, Any] = {"rule": code, "message": message}
            if params.get("hold", code in HOLDING_RULES):
                flag["hold"] = True
            flags.append(flag)
    return flags


def holds(flags: list[dict[str, Any]]) -> bool:
    """Do these flags hold the report out of the counts until a supervisor reviews it?"""
    return any(flag.get("hold") for flag in flags)


def _over_registered(obs: Observation, params: dict) -> str | None:
    if obs.voted_dptb is not None or obs.voted_dpk is not None:
        limit = obs.dpt + (obs.voted_dptb or 0) + (obs.voted_dpk or 0)
    else:
        # DPTb and DPK voters use the 2.5 % reserve ballots, so a TPS cannot exceed DPT plus that reserve.
        limit = obs.dpt + int(obs.dpt * float(params.get("reserve_pct", 2.5)) / 100)
    if obs.voters > limit:
        return f"{obs.voters} pemilih > batas {limit} (DPT {obs.dpt})"
    return None


def _below_previous(obs: Observation, params: dict) -> str | None:
    if obs.previous_voters is not None and obs.voters < obs.previous_voters:
        return f"{obs.voters} < {obs.previous_voters} pada titik sebelumnya"
    return None


def _implausible_jump(obs: Observation, params: dict) -> str | None:
    if obs.previous_voters is None or obs.dpt == 0:
        return None
    jump = obs.voters - obs.previous_voters
    share = float(params.get("max_share", 0.6))
    if jump > share * obs.dpt:
        return f"naik {jump} pemilih (> {share:.0%} DPT {obs.dpt}) sejak titik sebelumnya"
    return None


def _off_schedule(obs: Observation, params: dict) -> str | None:
    early = timedelta(minutes=float(params.get("early_minutes", 30)))
    late_key = "final_late_minutes" if obs.is_final else "late_minutes"
    late = timedelta(minutes=float(params.get(late_key, 180)))
    if obs.submitted_at < obs.checkpoint_at - early:
        return "dikirim sebelum waktu titik laporan"
    if obs.submitted_at > obs.checkpoint_at + late:
        minutes = int((obs.submitted_at - obs.checkpoint_at).total_seconds() // 60)
        return f"dikirim {minutes} menit setelah waktu titik laporan"
    return None


def _disagreement(obs: Observation, params: dict) -> str | None:
    if obs.is_correction or obs.prior_voters is None or obs.prior_voters == obs.voters:
        return None
    if obs.prior_reporter is not None and obs.reporter is not None and obs.prior_reporter != obs.reporter:
        return f"pelapor lain mencatat {obs.prior_voters}, laporan ini {obs.voters}"
    return None


def _ballots_mismatch(obs: Observation, params: dict) -> str | None:
    if obs.valid_ballots is None or obs.invalid_ballots is None:
        return None
    ballots = obs.valid_ballots + obs.invalid_ballots
    if ballots != obs.voters:
        return f"suara sah + tidak sah = {ballots}, pemilih = {obs.voters}"
    return None


_CHECKS = {
    "over_registered": _over_registered,
    "below_previous": _below_previous,
    "implausible_jump": _implausible_jump,
    "off_schedule": _off_schedule,
    "disagreement": _disagreement,
    "ballots_mismatch": _ballots_mismatch,
}
