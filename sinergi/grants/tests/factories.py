"""Builders for grants tests: the policies, recipient users and agreements on the small world."""

import datetime as dt
from decimal import Decimal
from typing import Any

from sinergi.accounts.models import User
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.areas.models import Election, ElectionKind
from sinergi.grants import services
from sinergi.grants.models import Agreement, DisbursementPolicy, PolicyStep
from sinergi.grants.policies import policies_load
from testkit.builders import user_make

ELECTION = "pilbup-kukar-2024"
SIGNED = dt.date(2024, 3, 4)
ENTRY_DAY = dt.date(2024, 3, 20)


def policies_ensure() -> None:
    # Transactional (browser) tests flush the tables the data migration filled.
    policies_load(DisbursementPolicy, PolicyStep)


def election_make(slug: str, voting_date: dt.date = dt.date(2024, 11, 27)) -> Election:
    return Election.objects.create(
        slug=slug,
        name=slug,
        kind=ElectionKind.REGENT,
        region_id="64.02",
        voting_date=voting_date,
        time_zone="Asia/Makassar",
    )


def grant_users() -> dict[str, User]:
    policies_ensure()
    agency_ensure(code="kodim-0908", name="Kodim 0908/Bontang", kind=AgencyKind.KODIM, area_code="64.74")
    return {
        "finance": user_make("keuangan", Role.FINANCE, "64.02", "pemkab-kukar"),
        "inspector": user_make("inspektorat", Role.INSPECTOR, "64.02", "pemkab-kukar"),
        "leader": user_make("sekda", Role.LEADER, "64.02", "pemkab-kukar"),
        "observer": user_make("pemantau", Role.OBSERVER, "64.02", "pemkab-kukar"),
        "kpu": user_make("kpu", Role.KPU_OPERATOR, "64.02", "kpu-kukar"),
        "bawaslu": user_make("bawaslu", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar"),
        "polres": user_make("polres", Role.POLICE_PLANNER, "64.02", "polres-kukar"),
    }


def agreement_make(
    actor: Any,
    recipient: str = "kpu-kukar",
    amount: str | Decimal = "1000000000",
    policy: str = "41-2020-sekaligus",
    signed_on: dt.date = SIGNED,
    budget_years=None,
    election: str = ELECTION,
) -> Agreement:
    return services.agreement_create(
        actor=actor,
        election_slug=election,
        recipient_code=recipient,
        number=f"NPHD/{recipient}/2024",
        signed_on=signed_on,
        amount=Decimal(amount),
        policy_code=policy,
        budget_years=budget_years,
    )


def post(actor: Any, agreement: Agreement, kind: str, amount: str | None, client_id: str, **extra: Any):
    defaults: dict[str, Any] = {
        "entry_date": ENTRY_DAY,
        "reference": f"REF-{client_id}",
        "category": "honorarium" if kind == "spending" else "",
        "today": dt.date(2026, 1, 1),
    }
    defaults.update(extra)
    return services.ledger_post(
        actor=actor, agreement_id=agreement.pk, kind=kind, amount=amount, client_id=client_id, **defaults
    )
