"""The disbursement rules of Permendagri 54/2019 and 41/2020, loaded as data by a migration."""

from decimal import Decimal

FOURTEEN = 14
POLICIES: list[dict] = [
    {
        "code": "41-2020-sekaligus",
        "name": "Sekaligus 100 % (Permendagri 41/2020)",
        "regulation": "Permendagri 41/2020 Pasal 16 ayat (4) huruf a",
        "note": "100 % paling lambat 14 hari kerja setelah penandatanganan NPHD.",
        "steps": [("Tahap tunggal 100 %", "100", "signing", FOURTEEN, None)],
    },
    {
        "code": "41-2020-bertahap",
        "name": "Bertahap 40/60 (Permendagri 41/2020)",
        "regulation": "Permendagri 41/2020 Pasal 16 ayat (4) huruf b",
        "note": "40 % paling lambat 14 hari kerja setelah NPHD; 60 % paling lambat 5 bulan sebelum hari "
        "pemungutan suara.",
        "steps": [
            ("Tahap I 40 %", "40", "signing", FOURTEEN, None),
            ("Tahap II 60 %", "60", "voting_day", None, 5),
        ],
    },
    {
        "code": "54-2019",
        "name": "Bertahap 40/50/10 (Permendagri 54/2019, sebelum perubahan)",
        "regulation": "Permendagri 54/2019 Pasal 16",
        "note": "40 % paling lambat 14 hari setelah NPHD; 50 % paling lambat 4 bulan dan 10 % paling lambat "
        "1 bulan sebelum hari pemungutan suara.",
        "steps": [
            ("Tahap I 40 %", "40", "signing", FOURTEEN, None),
            ("Tahap II 50 %", "50", "voting_day", None, 4),
            ("Tahap III 10 %", "10", "voting_day", None, 1),
        ],
    },
]


def policies_load(policy_model, step_model) -> None:
    """Idempotent: used by the data migration (historical models) and by tests."""
    for spec in POLICIES:
        policy, _ = policy_model.objects.update_or_create(
            code=spec["code"], defaults={k: spec[k] for k in ("name", "regulation", "note")}
        )
        for seq, (label, share, anchor, days, months) in enumerate(spec["steps"], start=1):
            step_model.objects.update_or_create(
                policy=policy,
                seq=seq,
                defaults={
                    "label": label,
                    "share_pct": Decimal(share),
                    "anchor": anchor,
                    "working_days": days,
                    "months_before": months,
                },
            )
