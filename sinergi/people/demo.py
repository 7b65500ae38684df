"""The demo's Kukar field roster: per TPS a KPPS chair and a TPS supervisor (1,447 each); per desa a
PPS, a PKD, the kades or lurah, a Babinsa and a Bhabinkamtibmas (237 each); per kecamatan the PPK,
the Panwascam and the camat (20 each). Names are generated; every phone number is in the fictitious
range +62 810-0xxx-xxxx (no operator holds the 0810 prefix; docs/decisions.md). The roster goes
through the real importer (a CSV written to var/demo/, which a coordinator can upload again), and a
rehearsal is left half done: about half the people activated, most of those logged in this week.
"""

import csv
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Agency, Jurisdiction, User
from sinergi.accounts.roles import AgencyKind as K
from sinergi.accounts.roles import Role
from sinergi.areas.models import Area, Level, PollingStation
from sinergi.core.demo_context import DemoContext
from sinergi.people.models import Person, Phone
from sinergi.people.roster_import import import_people

KUKAR = "64.02"
FICTITIOUS_PREFIX = "+628100"  # +62 810-0xxx-xxxx: seven digits after it, ten million numbers
DEMO_FIELD_PASSWORD = "sinergi-demo-2024"
_GIVEN = [
    "Agus",
    "Ahmad",
    "Andi",
    "Ani",
    "Arif",
    "Ayu",
    "Bambang",
    "Budi",
    "Dedi",
    "Dewi",
    "Eka",
    "Endang",
    "Fajar",
    "Fitri",
    "Gita",
    "Hadi",
    "Hendra",
    "Ika",
    "Indah",
    "Irwan",
    "Joko",
    "Kartini",
    "Lestari",
    "Maya",
    "Muhammad",
    "Nur",
    "Putri",
    "Rahmat",
    "Rina",
    "Rizki",
    "Sari",
    "Siti",
    "Sri",
    "Taufik",
    "Tri",
    "Wahyu",
    "Wati",
    "Yanti",
    "Yusuf",
    "Zainal",
    "Asmawati",
    "Hairani",
    "Junaidi",
    "Syahrani",
    "Mahmud",
    "Rusdiansyah",
    "Norhayati",
    "Arbain",
    "Saprudin",
    "Masitah",
]
_FAMILY = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Rahman",
    "Kurniawan",
    "Lestari",
    "Pratama",
    "Susanti",
    "Nugroho",
    "Setiawan",
    "Hasanah",
    "Aminah",
    "Syahputra",
    "Ramadhan",
    "Maulana",
    "Anwar",
    "Hakim",
    "Yusuf",
    "Rusdi",
    "Noor",
    "Effendi",
    "Arsyad",
    "Aswin",
    "Gunawan",
    "Hamzah",
    "Idris",
    "Jamal",
    "Kadir",
]


def load(context: DemoContext) -> None:
    desas, kecamatan = _areas()
    _agencies(desas, kecamatan)
    path = _roster_csv(desas, kecamatan)
    result = import_people(path, note="Demo: generated Kukar roster; phone numbers +62 810-0xxx-xxxx are fictitious")
    if result.new_user_ids:
        _rehearsal_half_done(result.new_user_ids)
    total = Person.objects.filter(area__code__startswith=KUKAR).count()
    activated = Person.objects.filter(area__code__startswith=KUKAR, activated_at__isnull=False).count()
    context.say(
        f"Roster: {total} Kukar field staff ({result.added} added), {activated} activated; CSV at {path} "
        f"(fictitious numbers +62 810-0xxx-xxxx)"
    )
    login = _field_login()
    if login:
        context.logins.append((login[0], DEMO_FIELD_PASSWORD, f"Ketua KPPS (daftar petugas) · TPS {login[1]}"))


def _areas() -> tuple[list[Area], list[Area]]:
    kecamatan = list(Area.objects.filter(parent_id=KUKAR, is_active=True).order_by("code"))
    desas = list(
        Area.objects.filter(parent__parent_id=KUKAR, level=Level.VILLAGE, is_active=True)
        .select_related("parent")
        .order_by("code")
    )
    return desas, kecamatan


def _slug(area: Area) -> str:
    return area.name.lower().replace(" ", "-")


def _dashed(code: str) -> str:
    return code.replace(".", "-")


def _agencies(desas: list[Area], kecamatan: list[Area]) -> None:
    """The desa-level bodies the roster needs (PPS, PKD, kantor desa, the KPPS and TPS supervisors of
    the desa), in bulk; each covers its own desa."""
    by_code = {a.code: a for a in kecamatan}
    parents = dict(Agency.objects.filter(area__code__startswith=KUKAR).values_list("code", "pk"))
    wanted = []
    for desa in desas:
        kec = _slug(by_code[desa.parent_id]) if desa.parent_id in by_code else ""
        office = "Kantor Kelurahan" if desa.kind == "kelurahan" else "Kantor Desa"
        for prefix, name, kind, parent in (
            ("pps", f"PPS {desa.name}", K.PPS, f"ppk-{kec}"),
            ("pkd", f"PKD {desa.name}", K.PKD, f"panwascam-{kec}"),
            ("desa", f"{office} {desa.name}", K.VILLAGE_OFFICE, f"camat-{kec}"),
            ("kpps", f"KPPS {desa.name}", K.KPPS, f"ppk-{kec}"),
            ("ptps", f"Pengawas TPS {desa.name}", K.TPS_SUPERVISOR, f"panwascam-{kec}"),
        ):
            wanted.append(
                Agency(
                    code=f"{prefix}-{_dashed(desa.code)}",
                    name=name,
                    kind=kind,
                    area_id=desa.code,
                    parent_id=parents.get(parent),
                )
            )
    with transaction.atomic():
        Agency.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=1000)
        ids = dict(Agency.objects.filter(code__in=[a.code for a in wanted]).values_list("code", "pk"))
        covered = set(Jurisdiction.objects.filter(agency_id__in=ids.values()).values_list("agency_id", flat=True))
        Jurisdiction.objects.bulk_create(
            [Jurisdiction(agency_id=ids[a.code], area_id=a.area_id) for a in wanted if ids[a.code] not in covered],
            batch_size=1000,
        )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def _roster_csv(desas: list[Area], kecamatan: list[Area]) -> Path:
    """The generated roster, the same on every run (seeded by area)."""
    stations: dict[str, list[str]] = {}
    query = PollingStation.objects.filter(code__startswith=KUKAR + ".").order_by("code")
    for tps_code, desa_code in query.values_list("code", "desa_id"):
        stations.setdefault(desa_code, []).append(tps_code)
    rows: list[list[str]] = []
    counter = iter(range(1, 10_000_000))

    def phone() -> str:
        return f"{FICTITIOUS_PREFIX}{next(counter):07d}"

    for kec in kecamatan:
        rng = random.Random(f"kecamatan-{kec.code}")
        slug = _slug(kec)
        rows.append([_name(rng), phone(), Role.KPU_OPERATOR, f"ppk-{slug}", kec.code, "", "Ketua PPK", ""])
        rows.append(
            [_name(rng), phone(), Role.BAWASLU_ANALYST, f"panwascam-{slug}", kec.code, "", "Ketua Panwascam", ""]
        )
        rows.append([_name(rng), phone(), Role.FIELD_OFFICER, f"camat-{slug}", kec.code, "", "Camat", ""])
    by_code = {a.code: a for a in kecamatan}
    for desa in desas:
        rng = random.Random(f"desa-{desa.code}")
        dashed = _dashed(desa.code)
        kec_slug = _slug(by_code[desa.parent_id]) if desa.parent_id in by_code else ""
        head = "Lurah" if desa.kind == "kelurahan" else "Kepala Desa"
        for role, agency, position in (
            (Role.KPU_OPERATOR, f"pps-{dashed}", "Ketua PPS"),
            (Role.FIELD_OFFICER, f"pkd-{dashed}", "PKD"),
            (Role.FIELD_OFFICER, f"desa-{dashed}", head),
            (Role.FIELD_OFFICER, f"koramil-{kec_slug}", "Babinsa"),
            (Role.FIELD_OFFICER, f"polsek-{kec_slug}", "Bhabinkamtibmas"),
        ):
            rows.append([_name(rng), phone(), role, agency, desa.code, "", position, ""])
        for tps in stations.get(desa.code, []):
            number = tps.rsplit(".", 1)[1]
            chair = phone()
            # Every tenth chair gave a second number (a family phone): several phones per person.
            chair_phones = f"{chair}; {phone()}" if int(number) % 10 == 0 else chair
            rows.append(
                [
                    _name(rng),
                    chair_phones,
                    Role.KPU_OPERATOR,
                    f"kpps-{dashed}",
                    desa.code,
                    "",
                    f"Ketua KPPS TPS {number}",
                    tps,
                ]
            )
            rows.append(
                [
                    _name(rng),
                    phone(),
                    Role.FIELD_OFFICER,
                    f"ptps-{dashed}",
                    desa.code,
                    "",
                    f"Pengawas TPS {number}",
                    tps,
                ]
            )
    folder = Path(settings.VAR_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "daftar-petugas-kukar.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "phone", "role", "agency", "area_code", "email", "position", "tps_code"])
        writer.writerows(rows)
    return path


def _rehearsal_half_done(user_ids: list[int]) -> None:
    """About half activated (most of them with a verified phone and a login this week), the rest
    still waiting: what the rehearsal board shows two weeks before voting day."""
    now = timezone.now()
    rng = random.Random("rehearsal")
    activated: dict[int, list[int]] = {}  # days ago -> user ids
    recent: dict[int, list[int]] = {}
    stale: dict[int, list[int]] = {}
    for user_id in sorted(user_ids):
        if rng.random() >= 0.55:
            continue
        days = rng.randint(2, 20)
        activated.setdefault(days, []).append(user_id)
        if rng.random() < 0.8:
            recent.setdefault(rng.randint(0, 6), []).append(user_id)
        else:
            stale.setdefault(rng.randint(8, 20), []).append(user_id)
    with transaction.atomic():
        for days, ids in activated.items():
            moment = now - timedelta(days=days)
            Person.objects.filter(user_id__in=ids).update(activated_at=moment)
            Phone.objects.filter(person__user_id__in=ids).update(verified_at=moment)
        for group in (recent, stale):
            for days, ids in group.items():
                User.objects.filter(pk__in=ids).update(last_login=now - timedelta(days=days, hours=rng.randint(0, 12)))


def _field_login() -> tuple[str, str] | None:
    """A KPPS chair with a password, to try the field pages as one."""
    person = (
        Person.objects.filter(tps__code__startswith="64.02.06.", role=Role.KPU_OPERATOR)
        .select_related("user")
        .order_by("tps_id")
        .first()
    )
    if person is None:
        return None
    user = person.user
    if not user.has_usable_password():
        user.set_password(DEMO_FIELD_PASSWORD)
        user.save()
        Person.objects.filter(pk=person.pk, activated_at__isnull=True).update(activated_at=timezone.now())
    return user.username, person.tps_id or ""
