"""Test builders and personas shared by every app's tests.

The small world: Indonesia > Kalimantan Timur (64) > Kutai Kartanegara (64.02) with two
kecamatan, Tenggarong (64.02.06) and Muara Badak (64.02.05, guarded by Polres Bontang), and
Kota Samarinda (64.72) where the outsider works. Every desa has three TPS.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure, membership_grant
from sinergi.areas import rollup
from sinergi.areas.codes import parent_of
from sinergi.areas.models import Area, Election, ElectionKind, Level, PollingStation

PASSWORD = "test-password-123"

WORLD_AREAS = [
    ("ID", "Indonesia", Level.NATIONAL),
    ("64", "Kalimantan Timur", Level.PROVINCE),
    ("64.02", "Kabupaten Kutai Kartanegara", Level.REGENCY),
    ("64.02.06", "Tenggarong", Level.DISTRICT),
    ("64.02.06.1001", "Sukarame", Level.VILLAGE),
    ("64.02.06.2001", "Bukit Biru", Level.VILLAGE),
    ("64.02.05", "Muara Badak", Level.DISTRICT),
    ("64.02.05.2001", "Badak Baru", Level.VILLAGE),
    ("64.72", "Kota Samarinda", Level.REGENCY),
    ("64.72.01", "Palaran", Level.DISTRICT),
    ("64.72.01.1001", "Rawa Makmur", Level.VILLAGE),
    ("64.74", "Kota Bontang", Level.REGENCY),
]
TPS_PER_DESA = 3
VOTERS_PER_TPS = (150, 140)  # male, female


def area_make(code: str, name: str, level: str) -> Area:
    area, _ = Area.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent_id": parent_of(code)}
    )
    return area


def polling_station_make(
    desa_code: str, number: int, male: int = VOTERS_PER_TPS[0], female: int = VOTERS_PER_TPS[1], **extra: Any
) -> PollingStation:
    return PollingStation.objects.create(
        code=f"{desa_code}.{number:03d}",
        desa_id=desa_code,
        number=number,
        dpt_male=male,
        dpt_female=female,
        dpt_total=male + female,
        **extra,
    )


def world_make() -> dict[str, Any]:
    """The small world with TPS, an election and the agencies; returns them by name."""
    for code, name, level in WORLD_AREAS:
        area_make(code, name, level)
    for code, _, level in WORLD_AREAS:
        if level == Level.VILLAGE:
            for number in range(1, TPS_PER_DESA + 1):
                polling_station_make(code, number)
    rollup.recompute()
    election = Election.objects.create(
        slug="pilbup-kukar-2024",
        name="Pilbup Kukar 2024",
        kind=ElectionKind.REGENT,
        region_id="64.02",
        voting_date="2024-11-27",
        time_zone="Asia/Makassar",
        max_voters_per_tps=600,
    )
    return {"election": election, "agencies": agencies_make()}


def agencies_make() -> dict[str, Agency]:
    specs = [
        ("kemendagri", AgencyKind.REGIONAL_HEAD_OFFICE, "ID", None),
        ("pemkab-kukar", AgencyKind.REGIONAL_HEAD_OFFICE, "64.02", None),
        ("kesbangpol-kukar", AgencyKind.KESBANGPOL, "64.02", None),
        ("kpu-kukar", AgencyKind.KPU, "64.02", None),
        ("bawaslu-kukar", AgencyKind.BAWASLU, "64.02", None),
        ("panwascam-tenggarong", AgencyKind.PANWASCAM, "64.02.06", None),
        ("polres-kukar", AgencyKind.POLRES, "64.02", None),
        ("polsek-tenggarong", AgencyKind.POLSEK, "64.02.06", None),
        ("polres-bontang", AgencyKind.POLRES, "64.74", ["64.74", "64.02.05"]),
        ("kodim-0906", AgencyKind.KODIM, "64.02", None),
        ("kpu-samarinda", AgencyKind.KPU, "64.72", None),
    ]
    return {
        code: agency_ensure(code=code, name=code.replace("-", " ").title(), kind=kind, area_code=area, covers=covers)
        for code, kind, area, covers in specs
    }


def user_make(username: str, role: str, area_code: str, agency_code: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    membership_grant(user=user, agency=Agency.objects.get(code=agency_code), role=role, area_code=area_code)
    return user


@dataclass
class Personas:
    """DESIGN §9: a national admin, a regency coordinator, a kecamatan field officer, an outsider."""

    national_admin: User
    coordinator: User
    field_officer: User
    outsider: User


def personas_make() -> Personas:
    admin = user_make("admin", Role.ADMIN, "ID", "kemendagri")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return Personas(
        national_admin=admin,
        coordinator=user_make("koordinator", Role.COORDINATOR, "64.02", "kesbangpol-kukar"),
        field_officer=user_make("petugas", Role.FIELD_OFFICER, "64.02.06", "panwascam-tenggarong"),
        outsider=user_make("orangluar", Role.KPU_OPERATOR, "64.72", "kpu-samarinda"),
    )


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(image_format: str = "PNG") -> bytes:
    """A small, whole image as uploads must be (`core.uploads` checks images with Pillow)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=image_format)
    return buffer.getvalue()


def race(jobs: list[Callable[[], Any]], timeout: float = 120) -> tuple[list[Any], list[Exception]]:
    """Run the jobs in threads that start together (PostgreSQL concurrency tests); each thread closes its
    own database connection. Returns the results and the exceptions, in the order they finished."""
    barrier = threading.Barrier(len(jobs))
    ok: list[Any] = []
    failed: list[Exception] = []
    lock = threading.Lock()

    def worker(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            result = job()
            with lock:
                ok.append(result)
        except Exception as exc:
            with lock:
                failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return ok, failed
