"""Loading a national election with every module's data, for benchmarks/national_reads.py.

Everything is set-based: the area tree by COPY (the real Kemendagri 2025 codes shipped in
sinergi/areas/data), TPS and reports by INSERT ... SELECT over generate_series, slots by the app's own
`election_prepare` (one INSERT ... SELECT per checkpoint), risk checklists by COPY; then the apps' own
rebuilds compute the stored numbers (area counters, risk roll-ups, incident tallies, and the stored
turnout roll-ups when `turnout.tally.rebuild` exists). Only small things (users, instruments,
regional grant agreements) go through the apps' services.

Deterministic: the same arguments give the same rows (hashes of the codes, fixed seeds).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS_CSV = ROOT / "sinergi" / "areas" / "data" / "regions_kemendagri_2025.csv.gz"
ELECTION = "bench-nasional"
OPERATOR = "bench.kpu"
ADMIN = "bench.admin"
PROVINCE, REGENCY = "64", "64.02"  # Kalimantan Timur and Kutai Kartanegara, as in the issue
LEADERS = {PROVINCE: "bench.pimpinan.64", REGENCY: "bench.sekda.kukar"}
REPORT_CHECKPOINT = "13"


def step(name: str, timings: dict[str, float]) -> Callable[[Callable[[], object]], object]:
    """Run `fn`, print and keep how long it took."""

    def run(fn: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = fn()
        timings[name] = time.perf_counter() - started
        extra = f" ({result})" if isinstance(result, (int, str)) and result != "" else ""
        print(f"  {name}: {timings[name]:.1f} s{extra}", flush=True)
        return result

    return run


def execute(sql: str, params: list | tuple | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return max(cursor.rowcount, 0)


def scalar(sql: str, params: list | tuple | None = None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    return row[0] if row else None


# --- areas and TPS -------------------------------------------------------------------------------


def areas_copy() -> int:
    """The national tree from the shipped Kemendagri file, under the root `ID`."""
    from django.db import connection

    with gzip.open(AREAS_CSV, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda r: len(r["code"]))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM areas_area")
        with cursor.copy(
            "COPY areas_area (code, name, level, kind, parent_code, is_active, children_count, tps_count, "
            "dpt_male, dpt_female, dpt_total) FROM STDIN"
        ) as copy:
            copy.write_row(("ID", "Indonesia", "nasional", "", None, True, 0, 0, 0, 0, 0))
            for r in rows:
                copy.write_row(
                    (r["code"], r["name"], r["level"], r["type"] or "", r["parent_code"] or "ID", True, 0, 0, 0, 0, 0)
                )
    return len(rows) + 1


def tps_insert(n_tps: int) -> int:
    """`n_tps` TPS over every desa: each desa gets n_tps // desas, a hashed share of desas one more;
    DPT 250..600 from a hash of the TPS code."""
    desas = scalar("SELECT count(*) FROM areas_area WHERE level = 'desa_kelurahan'")
    base, extra = divmod(n_tps, desas)
    return execute(
        """
        WITH d AS (
            SELECT code, row_number() OVER (ORDER BY md5(code)) AS rn FROM areas_area WHERE level = 'desa_kelurahan'
        )
        INSERT INTO areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special, address)
        SELECT d.code || '.' || lpad(n::text, 3, '0'), d.code, n, x.dpt / 2, x.dpt - x.dpt / 2, x.dpt, FALSE, ''
        FROM d
        CROSS JOIN LATERAL generate_series(1, %s + CASE WHEN d.rn <= %s THEN 1 ELSE 0 END) AS n
        CROSS JOIN LATERAL (SELECT 250 + (hashtext(d.code || '.' || n::text) & 2147483647) %% 351 AS dpt) AS x
        """,
        [base, extra],
    )


def analyze() -> str:
    execute("ANALYZE")
    return ""


# --- agencies and users --------------------------------------------------------------------------


def agencies_insert() -> int:
    """Per province a pemda; per kabupaten/kota a pemda, KPU, Bawaslu and Polres, each with its
    jurisdiction; the national ministry and KPU RI."""
    from sinergi.accounts.roles import AgencyKind as K
    from sinergi.accounts.services import agency_ensure

    agency_ensure(code="kemendagri", name="Kementerian Dalam Negeri", kind=K.REGIONAL_HEAD_OFFICE, area_code="ID")
    agency_ensure(code="kpu-ri", name="KPU RI", kind=K.KPU, area_code="ID")
    made = 0
    for prefix, kind, level in (
        ("pemda", K.REGIONAL_HEAD_OFFICE, "provinsi"),
        ("pemda", K.REGIONAL_HEAD_OFFICE, "kabupaten_kota"),
        ("kpu", K.KPU, "kabupaten_kota"),
        ("bawaslu", K.BAWASLU, "kabupaten_kota"),
        ("polres", K.POLRES, "kabupaten_kota"),
    ):
        made += execute(
            "INSERT INTO accounts_agency (code, name, kind, area_code, email, phone) "
            "SELECT %s || '-' || replace(code, '.', ''), upper(%s) || ' ' || name, %s, code, '', '' "
            "FROM areas_area WHERE level = %s",
            [prefix, prefix, kind, level],
        )
    execute(
        "INSERT INTO accounts_jurisdiction (agency_id, area_code) SELECT id, area_code FROM accounts_agency "
        "WHERE area_code IS NOT NULL AND code NOT IN ('kemendagri', 'kpu-ri')"
    )
    return made


def agency_code(prefix: str, area_code: str) -> str:
    return f"{prefix}-{area_code.replace('.', '')}"


def users_create() -> str:
    """The national administrator, a province leader (64), Kukar's Sekda and the KPU operator."""
    from sinergi.accounts.models import Agency, User
    from sinergi.accounts.roles import Role
    from sinergi.accounts.services import membership_grant

    admin = User.objects.create_user(username=ADMIN, password=None, first_name="Admin nasional")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    membership_grant(user=admin, agency=Agency.objects.get(code="kemendagri"), role=Role.ADMIN, area_code="ID")
    for area, username in LEADERS.items():
        leader = User.objects.create_user(username=username, password=None)
        membership_grant(
            user=leader, agency=Agency.objects.get(code=agency_code("pemda", area)), role=Role.LEADER, area_code=area
        )
    operator = User.objects.create_user(username=OPERATOR, password=None)
    membership_grant(user=operator, agency=Agency.objects.get(code="kpu-ri"), role=Role.KPU_OPERATOR, area_code="ID")
    return ""


# --- turnout -------------------------------------------------------------------------------------


def election_create() -> int:
    from sinergi.areas.models import Election
    from sinergi.turnout.setup import election_prepare

    election = Election.objects.create(
        slug=ELECTION,
        name="Benchmark nasional",
        kind="pemilu",
        region_id="ID",
        voting_date=dt.date.today(),
        time_zone="Asia/Jakarta",
    )
    return election_prepare(election)


def reports_insert(n_reports: int) -> int:
    """One report (version 1, a single web report) for `n_reports` TPS at checkpoint 13, chosen by a
    hash of the code (spread over the country), and their slots moved to it."""
    from sinergi.accounts.models import User
    from sinergi.turnout.models import Checkpoint

    checkpoint = Checkpoint.objects.get(election__slug=ELECTION, code=REPORT_CHECKPOINT)
    operator = User.objects.get(username=OPERATOR).pk
    execute(
        "CREATE TEMP TABLE bench_picked AS SELECT id, tps_code, dpt FROM turnout_slot WHERE checkpoint_id = %s "
        "ORDER BY md5(tps_code) LIMIT %s",
        [checkpoint.pk, n_reports],
    )
    inserted = execute(
        """
        INSERT INTO turnout_report (slot_id, version, client_id, voters, reporter_id, channel, submitted_at, flags,
                                    note, review_note)
        SELECT p.id, 1, 'seed:' || p.tps_code || ':13', (p.dpt * (45 + (hashtext(p.tps_code) & 2147483647) %% 40)) / 100,
               %s, 'web', now() - ((hashtext(p.tps_code) & 1023) * interval '1 second'), '[]'::jsonb, '', ''
        FROM bench_picked p
        """,
        [operator],
    )
    execute(
        "UPDATE turnout_slot s SET voters = r.voters, versions = 1, current_id = r.id, reported_at = r.submitted_at "
        "FROM turnout_report r WHERE r.slot_id = s.id AND s.checkpoint_id = %s",
        [checkpoint.pk],
    )
    execute("DROP TABLE bench_picked")
    return inserted


def turnout_rollups_rebuild() -> str:
    """The stored turnout roll-ups, when the app has them (`turnout.tally.rebuild`)."""
    try:
        from sinergi.turnout import tally  # type: ignore[attr-defined]
    except ImportError:
        return "no turnout.tally: skipped"
    rebuild = getattr(tally, "rebuild", None)
    if rebuild is None:
        return "turnout.tally has no rebuild: skipped"
    try:
        result = rebuild()
    except Exception as error:  # another helper's work in progress must not stop the load
        from django.db import connection

        if connection.in_atomic_block:
            raise
        return (
            f"turnout.tally.rebuild FAILED ({type(error).__name__}: {str(error).splitlines()[0]}): no stored roll-ups"
        )
    return f"turnout.tally.rebuild -> {result}"


# --- risk ----------------------------------------------------------------------------------------


def risk_load() -> str:
    """An open national round of the TPS instrument, one current checklist per TPS (answers drawn at
    the instrument's national rates, scored by the app's own scoring), then the app's recompute."""
    import numpy as np
    from django.db import connection

    from sinergi.accounts.models import User
    from sinergi.risk import defaults, scoring, services
    from sinergi.risk.models import AssessmentRound
    from sinergi.risk.recompute import round_recompute
    from sinergi.risk.schemes import scheme_for

    instrument = {i.slug: i for i in services.instruments_load_defaults()}["tps-pilkada-2024"]
    round_ = AssessmentRound.objects.create(
        instrument=instrument,
        area_id="ID",
        slug="bench-nasional",
        name="Pemetaan TPS rawan nasional (benchmark)",
        window_start=dt.date.today() - dt.timedelta(days=20),
        window_end=dt.date.today() - dt.timedelta(days=5),
        is_synthetic=True,
        created_by=User.objects.get(username=ADMIN),
    )
    scheme = scheme_for(instrument)
    demo = {i.code: i.demo_count for v in defaults.PILKADA_2024_VARIABLES for i in v.indicators}
    rates = np.array([demo.get(c, 5000) / defaults.NATIONAL_TPS for c in scheme.codes])
    codes = [c for (c,) in _rows("SELECT code FROM areas_pollingstation ORDER BY code")]
    rng = np.random.default_rng(818090)
    yes = rng.random((len(codes), scheme.columns)) < rates[None, :]
    masks = (yes.astype(np.int64) << scheme.positions[None, :]).sum(axis=1)
    _, score, _, ranks = scoring.assess(masks, np.zeros(len(codes), dtype=bool), scheme)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY risk_checklist (round_id, tps_code, version, is_current, answers, yes_mask, score, security_class, "
            "note, evidence, channel, submitted_at) FROM STDIN"
        ) as copy,
    ):
        now = dt.datetime.now(dt.UTC)
        for code, mask, s, r in zip(codes, masks.tolist(), score.tolist(), ranks.tolist(), strict=True):
            copy.write_row(
                (round_.pk, code, 1, True, "{}", mask, s, scoring.CLASS_NAMES[int(r)], "", "", "import", now)
            )
    result = round_recompute(round_)
    return f"{result.tps:,} checklists, {result.areas:,} roll-up rows"


def _rows(sql: str, params: list | None = None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


# --- deployment ----------------------------------------------------------------------------------


def deployment_insert() -> str:
    """An approved plan per kabupaten/kota (its Polres), a guard post per kecamatan with demand from
    its TPS count and a hashed shortfall."""
    admin = scalar("SELECT id FROM accounts_user WHERE username = %s", [ADMIN])
    plans = execute(
        """
        INSERT INTO deployment_plan (area_code, title, version, state, options, method, solver_status, seconds,
            unmet_weighted, travel_km, summary, solved_at, created_by_id, created_at, approved_by_id, approved_at)
        SELECT code, 'Rencana pengamanan ' || name, 1, 'approved', '{}'::jsonb, 'greedy', 'benchmark', 0, 0, 0,
               '{}'::jsonb, now(), %s, now(), %s, now()
        FROM areas_area WHERE level = 'kabupaten_kota'
        """,
        [admin, admin],
    )
    posts = execute(
        """
        INSERT INTO deployment_planpost (plan_id, number, kecamatan_code, tps_class, tps, lat, lng, police_unit_id,
            demand_polri, demand_tni, demand_linmas, short_polri, short_tni, short_linmas)
        SELECT p.id, row_number() OVER (PARTITION BY p.id ORDER BY k.code), k.code, 'rawan', '[]'::jsonb, 0, 0, a.id,
               k.tps_count / 2 + 1, k.tps_count / 5 + 1, k.tps_count * 2,
               (hashtext(k.code) & 2147483647) %% 4, (hashtext(k.code || 't') & 2147483647) %% 3,
               (hashtext(k.code || 'l') & 2147483647) %% 6
        FROM areas_area k
        JOIN deployment_plan p ON p.area_code = k.parent_code AND p.state = 'approved'
        LEFT JOIN accounts_agency a ON a.code = 'polres-' || replace(k.parent_code, '.', '')
        WHERE k.level = 'kecamatan'
        """
    )
    return f"{plans:,} plans, {posts:,} posts"


# --- grants --------------------------------------------------------------------------------------


def grants_create(limit: int | None) -> str:
    """Per kabupaten/kota its 2024 Pilkada (a past election, no turnout reporting) and the regional
    government's grant agreements with its KPU and Bawaslu, each with a first disbursement, through the
    app's services (they keep the ledger's balances)."""
    from decimal import Decimal

    from sinergi.accounts.models import User
    from sinergi.areas.models import Election
    from sinergi.core.models import Channel
    from sinergi.grants import services

    admin = User.objects.get(username=ADMIN)
    regencies = [c for (c,) in _rows("SELECT code FROM areas_area WHERE level = 'kabupaten_kota' ORDER BY code")]
    regencies = regencies[:limit] if limit else regencies
    voting = dt.date(2024, 11, 27)
    Election.objects.bulk_create(
        [
            Election(
                slug=f"pilkada-2024-{c.replace('.', '')}",
                name=f"Pilkada 2024 {c}",
                kind="pilbup",
                region_id=c,
                voting_date=voting,
                time_zone="Asia/Jakarta",
            )
            for c in regencies
        ]
    )
    made = 0
    for i, code in enumerate(regencies):
        slug = f"pilkada-2024-{code.replace('.', '')}"
        for j, (prefix, amount) in enumerate((("kpu", 40_000), ("bawaslu", 9_000))):
            agreement = services.agreement_create(
                actor=admin,
                election_slug=slug,
                recipient_code=agency_code(prefix, code),
                number=f"{i:03d}/{j}/NPHD/2023",
                signed_on=dt.date(2023, 11, 10),
                amount=Decimal(amount + (i * 37) % 5000) * 1_000_000,
                policy_code="41-2020-bertahap",
                channel=Channel.SYSTEM,
            )
            if (i + j) % 3:  # a third have not received their first tranche: late, for the room's attention
                services.ledger_post(
                    actor=admin,
                    agreement_id=agreement.pk,
                    kind="disbursement",
                    entry_date=dt.date(2023, 12, 1),
                    amount=Decimal(amount) * 400_000,
                    reference=f"SP2D {i:05d}/{j}",
                    client_id=f"bench-{code}-{j}",
                    channel=Channel.SYSTEM,
                )
            made += 1
    return f"{made:,} agreements in {len(regencies)} regions"


# --- incidents -----------------------------------------------------------------------------------


def incidents_insert(n: int) -> str:
    """`n` incident reports at TPS spread over the country, today, in every state, then the app's
    tally rebuild."""
    from sinergi.incidents.tallies import tallies_rebuild

    execute(
        """
        WITH t AS (
            SELECT code, desa_code, row_number() OVER (ORDER BY md5(code || 'incident')) AS rn
            FROM areas_pollingstation ORDER BY md5(code || 'incident') LIMIT %s
        ), c AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM incidents_category
        )
        INSERT INTO incidents_report (tracking_code, client_id, category_id, desa_code, tps_code, scope_code,
            occurred_at, received_at, received_day, description, severity, channel, reporter_name, reporter_contact,
            state, ack_due_at, escalation_level, escalation_area_code, indicator_set, updated_at)
        SELECT 'B' || lpad(t.rn::text, 9, '0'), 'bench:' || t.rn, c.id, t.desa_code, t.code, t.code,
               now() - (t.rn %% 600) * interval '1 minute', now() - (t.rn %% 600) * interval '1 minute',
               (now() AT TIME ZONE 'Asia/Jakarta')::date, 'Laporan benchmark ' || t.rn, 1 + t.rn %% 4, 'web', '', '',
               (ARRAY['baru', 'diverifikasi', 'ditindaklanjuti', 'selesai', 'selesai', 'ditolak'])[1 + t.rn %% 6],
               now() + (30 - t.rn %% 90) * interval '1 minute', 0, t.desa_code, FALSE, now()
        FROM t JOIN c ON c.k = t.rn %% c.n
        """,
        [n],
    )
    return f"{tallies_rebuild():,} tally rows"


# --- meetings ------------------------------------------------------------------------------------


def meetings_insert() -> str:
    """Per province and kabupaten/kota a coordination meeting two weeks ago with two decisions (one
    public) and three follow-up actions each, some overdue, some done."""
    kind = scalar("SELECT id FROM meetings_meetingkind ORDER BY position, id LIMIT 1")
    meetings = execute(
        """
        INSERT INTO meetings_meeting (kind_id, title, area_code, starts_at, venue, organiser_id, chair_name,
            chair_title, on_behalf_of, minutes, minute_taker, created_at, updated_at)
        SELECT %s, 'Rakor pengamanan ' || a.name, a.code, now() - interval '14 days', 'Kantor ' || a.name, g.id,
               'Sekda', '', '', '', '', now(), now()
        FROM areas_area a JOIN accounts_agency g ON g.code = 'pemda-' || replace(a.code, '.', '')
        WHERE a.level IN ('provinsi', 'kabupaten_kota')
        """,
        [kind],
    )
    execute(
        "INSERT INTO meetings_decision (meeting_id, number, text, is_public) "
        "SELECT m.id, n, 'Keputusan ' || n, n = 1 FROM meetings_meeting m CROSS JOIN generate_series(1, 2) n"
    )
    actions = execute(
        """
        INSERT INTO meetings_actionitem (decision_id, title, description, responsible_agency_id, responsible_person,
            area_code, due_date, status, created_at, updated_at)
        SELECT d.id, 'Tindak lanjut ' || d.number || '.' || n, '', m.organiser_id, '', m.area_code,
               current_date + (n * 5 - 12), (ARRAY['terbuka', 'terbuka', 'selesai'])[n], now(), now()
        FROM meetings_decision d JOIN meetings_meeting m ON m.id = d.meeting_id CROSS JOIN generate_series(1, 3) n
        """
    )
    return f"{meetings:,} meetings, {actions:,} actions"


# --- reach ---------------------------------------------------------------------------------------


def reach_insert() -> str:
    """A PKD (village supervisor) per desa on the field roster (user, person, membership): most
    activated, many logged in this week, half sent a rehearsal test report."""
    from django.contrib.auth.hashers import make_password

    unusable = make_password(None)
    users = execute(
        """
        INSERT INTO accounts_user (password, last_login, is_superuser, username, first_name, last_name, email,
            is_staff, is_active, date_joined, phone, phone_digits, preferred_language)
        SELECT %s, CASE WHEN (hashtext(code) & 7) < 5 THEN now() - interval '2 days' END, FALSE, 'pkd.' || code,
               'PKD', name, '', FALSE, TRUE, now(), '', '', 'id'
        FROM areas_area WHERE level = 'desa_kelurahan'
        """,
        [unusable],
    )
    execute(
        """
        INSERT INTO accounts_membership (user_id, agency_id, role, area_code, title)
        SELECT u.id, g.id, 'petugas_lapangan', a.code, 'PKD'
        FROM areas_area a JOIN accounts_user u ON u.username = 'pkd.' || a.code
        JOIN accounts_agency g ON g.code = 'bawaslu-' || replace(left(a.code, 5), '.', '')
        WHERE a.level = 'desa_kelurahan'
        """
    )
    execute(
        """
        INSERT INTO people_person (user_id, role, agency_id, area_code, position, preferred_channel, activated_at,
            created_at, updated_at)
        SELECT m.user_id, m.role, m.agency_id, m.area_code, 'PKD', 'sms',
               CASE WHEN (hashtext(m.area_code) & 15) < 13 THEN now() - interval '10 days' END, now(), now()
        FROM accounts_membership m WHERE m.role = 'petugas_lapangan' AND m.title = 'PKD'
        """
    )
    tested = execute(
        "INSERT INTO reach_testreport (user_id, channel, at) SELECT p.user_id, 'sms', now() - interval '3 days' "
        "FROM people_person p WHERE (hashtext(p.area_code || 'gladi') & 1) = 0"
    )
    return f"{users:,} field staff, {tested:,} rehearsal test reports"


# --- the whole load ------------------------------------------------------------------------------


def load_all(*, n_tps: int, n_reports: int, n_incidents: int, grant_regions: int | None) -> dict[str, float]:
    from sinergi.areas import rollup

    timings: dict[str, float] = {}
    step("areas (COPY, Kemendagri 2025 codes)", timings)(areas_copy)
    step("TPS (INSERT ... SELECT)", timings)(lambda: tps_insert(n_tps))
    step("area counters (areas.rollup.recompute)", timings)(lambda: rollup.recompute() or "")
    step("agencies and jurisdictions", timings)(agencies_insert)
    step("users", timings)(users_create)
    step("election and slots (turnout.setup.election_prepare)", timings)(election_create)
    step("reports at checkpoint 13", timings)(lambda: reports_insert(n_reports))
    step("analyze", timings)(analyze)
    step("risk: checklists (COPY) and round_recompute", timings)(risk_load)
    step("deployment plans and posts", timings)(deployment_insert)
    step("grants (services)", timings)(lambda: grants_create(grant_regions))
    step("incidents and tallies_rebuild", timings)(lambda: incidents_insert(n_incidents))
    step("meetings and actions", timings)(meetings_insert)
    step("reach: field staff", timings)(reach_insert)
    step("turnout stored roll-ups", timings)(turnout_rollups_rebuild)
    step("analyze", timings)(analyze)
    return timings
