"""Demo agencies of Kukar (and the Bontang units that guard part of it), and one user per role."""

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import AgencyKind as K
from sinergi.accounts.roles import Role
from sinergi.accounts.services import agency_ensure, membership_grant
from sinergi.areas.models import Area
from sinergi.core.demo_context import DemoContext

KUKAR, BONTANG, KALTIM, SAMARINDA = "64.02", "64.74", "64", "64.72"
# Polres Bontang and Kodim 0908/Bontang guard these two Kukar kecamatan.
BONTANG_GUARDS = ["64.02.05", "64.02.17"]
DEMO_PASSWORD = "sinergi-demo-2024"


def load(context: DemoContext) -> None:
    agencies = _kukar_agencies()
    context.say(f"Agencies: {Agency.objects.filter(area__code__startswith=KUKAR).count()} in Kukar, plus Bontang units")
    for username, full_name, role, agency_code, areas, title in _demo_users():
        user = _user(username, full_name, superuser=role == Role.ADMIN)
        for area in areas:
            membership_grant(user=user, agency=agencies[agency_code], role=role, area_code=area, title=title)
        context.users[username] = user
        context.logins.append((username, DEMO_PASSWORD, f"{Role(role).label} · {title}"))


def _kukar_agencies() -> dict[str, Agency]:
    kecamatan = list(Area.objects.filter(parent_id=KUKAR).order_by("code").values_list("code", "name"))
    made: dict[str, Agency] = {}

    def ensure(code, name, kind, area, parent=None, covers=None):
        made[code] = agency_ensure(
            code=code, name=name, kind=kind, area_code=area, parent=made.get(parent) if parent else None, covers=covers
        )

    ensure("kemendagri", "Kementerian Dalam Negeri (administrator nasional)", K.REGIONAL_HEAD_OFFICE, "ID")
    ensure("polda-kaltim", "Polda Kalimantan Timur", K.POLDA, KALTIM)
    ensure("pemkab-kukar", "Pemerintah Kabupaten Kutai Kartanegara", K.REGIONAL_HEAD_OFFICE, KUKAR)
    ensure("kesbangpol-kukar", "Badan Kesbangpol Kutai Kartanegara", K.KESBANGPOL, KUKAR, "pemkab-kukar")
    ensure("satlinmas-kukar", "Satlinmas Kutai Kartanegara", K.SATLINMAS, KUKAR, "pemkab-kukar")
    ensure("kpu-kukar", "KPU Kabupaten Kutai Kartanegara", K.KPU, KUKAR)
    ensure("bawaslu-kukar", "Bawaslu Kabupaten Kutai Kartanegara", K.BAWASLU, KUKAR)
    ensure("polres-kukar", "Polres Kutai Kartanegara", K.POLRES, KUKAR, "polda-kaltim")
    ensure("polres-bontang", "Polres Bontang", K.POLRES, BONTANG, "polda-kaltim", covers=[BONTANG, *BONTANG_GUARDS])
    ensure("kodim-0906", "Kodim 0906/Kutai Kartanegara", K.KODIM, KUKAR)
    ensure("kodim-0908", "Kodim 0908/Bontang", K.KODIM, BONTANG, covers=[BONTANG, *BONTANG_GUARDS])
    ensure("kpu-samarinda", "KPU Kota Samarinda", K.KPU, SAMARINDA)
    for code, name in kecamatan:
        slug = name.lower().replace(" ", "-")
        bontang = code in BONTANG_GUARDS
        ensure(f"camat-{slug}", f"Kantor Kecamatan {name}", K.DISTRICT_OFFICE, code, "pemkab-kukar")
        ensure(f"ppk-{slug}", f"PPK {name}", K.PPK, code, "kpu-kukar")
        ensure(f"panwascam-{slug}", f"Panwascam {name}", K.PANWASCAM, code, "bawaslu-kukar")
        ensure(f"polsek-{slug}", f"Polsek {name}", K.POLSEK, code, "polres-bontang" if bontang else "polres-kukar")
        ensure(f"koramil-{slug}", f"Koramil {name}", K.KORAMIL, code, "kodim-0908" if bontang else "kodim-0906")
    return made


def _demo_users() -> list[tuple[str, str, str, str, list[str], str]]:
    return [
        ("admin", "Administrator Nasional", Role.ADMIN, "kemendagri", ["ID"], "Administrator nasional"),
        ("sekda.kukar", "Sunggono", Role.LEADER, "pemkab-kukar", [KUKAR], "Sekretaris Daerah"),
        ("kesbangpol.kukar", "Analis Kesbangpol", Role.COORDINATOR, "kesbangpol-kukar", [KUKAR], "Analis Kesbangpol"),
        ("keuangan.kukar", "Bendahara BPKAD", Role.FINANCE, "pemkab-kukar", [KUKAR], "BPKAD, pengelola hibah"),
        ("inspektorat.kukar", "Auditor Inspektorat", Role.INSPECTOR, "pemkab-kukar", [KUKAR], "Inspektorat Daerah"),
        ("kpu.kukar", "Operator KPU Kukar", Role.KPU_OPERATOR, "kpu-kukar", [KUKAR], "Operator data KPU"),
        ("bawaslu.kukar", "Analis Bawaslu Kukar", Role.BAWASLU_ANALYST, "bawaslu-kukar", [KUKAR], "Analis pengawasan"),
        (
            "panwascam.tenggarong",
            "Panwascam Tenggarong",
            Role.FIELD_OFFICER,
            "panwascam-tenggarong",
            ["64.02.06"],
            "Petugas lapangan Kecamatan Tenggarong",
        ),
        ("polres.kukar", "Kabag Ops Polres Kukar", Role.POLICE_PLANNER, "polres-kukar", [KUKAR], "Kabag Ops"),
        (
            "polres.bontang",
            "Kabag Ops Polres Bontang",
            Role.POLICE_PLANNER,
            "polres-bontang",
            [BONTANG, *BONTANG_GUARDS],
            "Kabag Ops",
        ),
        ("kodim.0906", "Pasi Ops Kodim 0906", Role.MILITARY_PLANNER, "kodim-0906", [KUKAR], "Pasi Ops"),
        ("pemantau.kukar", "Pemantau Pemilihan", Role.OBSERVER, "pemkab-kukar", [KUKAR], "Pemantau (baca saja)"),
        (
            "kpu.samarinda",
            "Operator KPU Samarinda",
            Role.KPU_OPERATOR,
            "kpu-samarinda",
            [SAMARINDA],
            "Orang luar: wilayah lain",
        ),
    ]


def _user(username: str, full_name: str, *, superuser: bool) -> User:
    first, _, last = full_name.partition(" ")
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    user.is_superuser = user.is_staff = superuser
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
