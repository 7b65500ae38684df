"""The demo against the record: every fact the Kukar demo states is checked against the shipped
record (`core/data/kukar_record.json`), and the shipped record against ../shared/DOMAIN.md where
that file exists (CI has no shared/ folder: that check is skipped there)."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from sinergi.accounts.roles import AgencyKind
from sinergi.accounts.selectors import covering_agency
from sinergi.areas.models import Area, Election, PollingStation
from sinergi.core.record import RECORD
from sinergi.deployment.models import Plan
from sinergi.grants.models import Agreement, BudgetFigure, LedgerEntry
from sinergi.meetings.demo import FOUNDING
from sinergi.meetings.models import ActionItem, Attendance, Meeting
from sinergi.risk import situation as risk_situation
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.selectors import area_turnout

DOMAIN = Path(settings.BASE_DIR).parent.parent / "shared" / "DOMAIN.md"
KUKAR = "64.02"
WITA = dt.timezone(dt.timedelta(hours=8))
MONTHS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10}


def as_written(text: str):
    """A value as DOMAIN.md writes it (Indonesian numbers: 1.447, 103,66 miliar, 8,1 M, 79,5 %, 4 Mar 2024)."""
    if match := re.fullmatch(r"(\d{1,2}) (\w{3}) (\d{4})", text):
        return dt.date(int(match[3]), MONTHS[match[2]], int(match[1])).isoformat()
    if match := re.fullmatch(r"([\d.]+(?:,\d+)?)( miliar| M| %)?", text):
        number = Decimal(match[1].replace(".", "").replace(",", "."))
        if match[2] in (" miliar", " M"):
            return str(int(number * 1_000_000_000))
        return str(number) if match[2] == " %" or "," in match[1] else int(number)
    return text


@pytest.mark.parametrize("key", sorted(RECORD.facts))
def test_each_fact_is_stated_as_written(key):
    fact = RECORD.facts[key]
    assert as_written(fact["as_written"]) == fact["value"] or fact["domain"] is None
    assert fact["domain"] is not None or fact.get("source"), f"{key}: give the record's source"


@pytest.mark.skipif(not DOMAIN.exists(), reason="../shared/DOMAIN.md is not here (CI)")
@pytest.mark.parametrize("key", sorted(k for k, f in RECORD.facts.items() if f["domain"]))
def test_shipped_record_matches_domain_md(key):
    fact = RECORD.facts[key]
    lines = DOMAIN.read_text(encoding="utf-8").splitlines()
    quote = fact["domain"]["quote"]
    found = [number for number, line in enumerate(lines, 1) if quote in line]
    assert found, f"{key}: DOMAIN.md no longer says {quote!r}"
    assert fact["as_written"] in quote


# --- the loaded demo, fact by fact ---



def _founding() -> Meeting:
    return Meeting.objects.get(client_id=FOUNDING)


@pytest.mark.django_db
def test_tps_and_voters_of_kukar(demo):
    kukar = Area.objects.get(code=KUKAR)
    assert kukar.tps_count == RECORD.value("tps_total")
    assert kukar.dpt_total == RECORD.value("dpt_total")


@pytest.mark.django_db
def test_each_polres_secures_the_tps_of_the_record(demo):
    polres: Counter[str] = Counter()
    for kecamatan in Area.objects.filter(parent_id=KUKAR):
        agency = covering_agency(kecamatan.code, [AgencyKind.POLRES])
        assert agency is not None
        polres[agency.code] += kecamatan.tps_count
    assert polres == {"polres-kukar": RECORD.value("polres_kukar_tps"), "polres-bontang": RECORD.value("polres_bontang_tps")}
    bontang = RECORD.facts["polres_bontang_tps"]["kecamatan"]
    assert sum(PollingStation.objects.within(code).count() for code in bontang) == 146


@pytest.mark.django_db
def test_the_rakor_as_reported(demo):
    meeting = _founding()
    assert meeting.starts_at is not None and meeting.ends_at is not None
    assert meeting.starts_at.astimezone(WITA).date() == RECORD.day("rakor_date")
    assert meeting.ends_at.astimezone(WITA).time() == dt.time.fromisoformat(RECORD.value("rakor_ends"))
    assert meeting.chair_name == RECORD.value("rakor_chair")
    present = {
        (i.agency.code if i.agency else "", i.person_name)
        for i in meeting.invitees.filter(attendance=Attendance.PRESENT).select_related("agency")
    }
    for key in ("kapolres_kukar", "dandim_0906"):
        fact = RECORD.facts[key]
        assert (fact["agency"], fact["value"]) in present, f"{fact['what']} is not recorded as present"


@pytest.mark.django_db
def test_grants_as_recorded(demo):
    signed = RECORD.day("security_nphd_signed_on")
    security = Agreement.objects.filter(election__slug="pilbup-kukar-2024", recipient__kind__in=["polres", "kodim"])
    assert security.count() == 4 and {a.signed_on for a in security} == {signed}
    amounts = {a.recipient.code: a.amount for a in security}
    assert amounts["polres-kukar"] == RECORD.rupiah("polres_kukar_grant_rupiah")
    assert amounts["kodim-0906"] == RECORD.rupiah("kodim_0906_grant_rupiah")
    stated = BudgetFigure.objects.get(region_id=KUKAR, kind="total", source_key="K1")
    assert stated.amount == RECORD.rupiah("grant_total_rupiah")
    assert "Rp 103,66 miliar" in " ".join(_founding().agenda.values_list("title", flat=True))


@pytest.mark.django_db
def test_the_kodim_grant_follow_up_agrees_with_the_ledger(demo):
    """The rakor (3 Sep) cannot still be waiting for an NPHD that the ledger shows signed on 4 March
    and paid on 21 March: the follow-up is the usage report, and it names the ledger's dates."""
    agreement = Agreement.objects.get(election__slug="pilbup-kukar-2024", recipient__code="kodim-0906")
    paid = LedgerEntry.objects.filter(agreement=agreement, kind="disbursement").order_by("entry_date").first()
    assert paid is not None
    assert (agreement.signed_on, paid.entry_date) == (dt.date(2024, 3, 4), dt.date(2024, 3, 21))
    actions = ActionItem.objects.filter(decision__meeting=_founding(), title__icontains="Kodim 0906")
    grant = [a for a in actions if "hibah" in a.title.lower()]
    assert len(grant) == 1
    assert "4 Maret 2024" in grant[0].title and "21 Maret 2024" in grant[0].title
    said = " ".join([grant[0].title, *grant[0].notes.values_list("text", flat=True)]).lower()
    assert "menunggu tanda tangan" not in said and "penandatanganan" not in said
    assert _founding().starts_at.date() > paid.entry_date


@pytest.mark.django_db
def test_turnout_target_and_final(demo):
    election = Election.objects.get(slug="pilbup-kukar-2024")
    assert election.government_target_pct == Decimal(RECORD.value("turnout_target_pct"))
    final = Checkpoint.objects.get(election=election, is_final=True)
    shown = area_turnout(Area.objects.get(code=KUKAR), election, final).totals.turnout_pct
    assert shown is not None and round(shown, 2) == float(RECORD.value("turnout_final_pct"))


@pytest.mark.django_db
def test_the_room_counts_the_priority_tps_the_plan_secures(demo):
    """The situation room's "TPS sangat rawan / khusus" equals the approved plan's (6 vs 7 before)."""
    kukar = Area.objects.get(code=KUKAR)
    metrics = {m.key: m.value for m in risk_situation.readiness(demo.users["sekda.kukar"], kukar)}
    plan = Plan.objects.filter(area_id=KUKAR, scenario_of__isnull=True, state="approved").order_by("-pk").first()
    assert plan is not None
    planned = sum(plan.summary["by_class"][c]["tps"] for c in ("sangat_rawan", "khusus"))
    assert metrics["risk.tps_very_vulnerable"] == planned == 7
