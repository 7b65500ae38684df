"""Fixtures of the people tests: the small world with the desa-level bodies a roster names."""

from pathlib import Path

import pytest

from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from testkit.builders import user_make

HEADER = "name,phone,role,agency,area_code,email,position,tps_code\n"
SUKARAME = "64.02.06.1001"
BUKIT_BIRU = "64.02.06.2001"


@pytest.fixture
def bodies(world) -> dict:
    specs = [
        ("kpps-sukarame", AgencyKind.KPPS, SUKARAME),
        ("pps-sukarame", AgencyKind.PPS, SUKARAME),
        ("pkd-sukarame", AgencyKind.PKD, SUKARAME),
        ("ptps-sukarame", AgencyKind.TPS_SUPERVISOR, SUKARAME),
        ("kpps-bukit-biru", AgencyKind.KPPS, BUKIT_BIRU),
        ("ppk-tenggarong", AgencyKind.PPK, "64.02.06"),
        ("kpps-rawa-makmur", AgencyKind.KPPS, "64.72.01.1001"),
    ]
    return {
        code: agency_ensure(code=code, name=code.replace("-", " ").title(), kind=kind, area_code=area)
        for code, kind, area in specs
    }


@pytest.fixture
def roster_users(personas, bodies) -> dict:
    return {
        "coordinator": personas.coordinator,
        "kpu": user_make("kpu.kukar", Role.KPU_OPERATOR, "64.02", "kpu-kukar"),
        "bawaslu": user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar"),
        "observer": user_make("pemantau", Role.OBSERVER, "64.02", "pemkab-kukar"),
        "field": personas.field_officer,
        "outsider": personas.outsider,
        "admin": personas.national_admin,
    }


@pytest.fixture
def csv_file(tmp_path):
    """Write CSV text to a file: `csv_file(HEADER + rows)`."""
    counter = {"n": 0}

    def write(text: str) -> Path:
        counter["n"] += 1
        path = tmp_path / f"roster{counter['n']}.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def kpps_row(name: str, phone: str, number: int = 1, **extra: str) -> str:
    values = {
        "name": name,
        "phone": phone,
        "role": Role.KPU_OPERATOR,
        "agency": "kpps-sukarame",
        "area_code": SUKARAME,
        "email": "",
        "position": f"Ketua KPPS TPS {number:03d}",
        "tps_code": f"{SUKARAME}.{number:03d}",
    } | extra
    return ",".join(values[k] for k in HEADER.strip().split(",")) + "\n"
