"""A small field roster in the test world: per TPS a KPPS chair and a TPS supervisor, per desa a PPS
member, each with a `people.Person` and a phone."""

from dataclasses import dataclass, field
from typing import Any

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure, membership_grant
from sinergi.areas.models import PollingStation
from sinergi.people.models import Person, Phone
from testkit.builders import PASSWORD

DESAS = ["64.02.05.2001", "64.02.06.1001", "64.02.06.2001"]  # Badak Baru, Sukarame, Bukit Biru


@dataclass
class Roster:
    kpps: dict[str, User] = field(default_factory=dict)  # by TPS code
    ptps: dict[str, User] = field(default_factory=dict)  # by TPS code
    pps: dict[str, User] = field(default_factory=dict)  # by desa code

    @property
    def everyone(self) -> list[User]:
        return [*self.kpps.values(), *self.ptps.values(), *self.pps.values()]


def _agency(code: str, kind: str, area: str) -> Agency:
    return agency_ensure(code=code, name=code.upper(), kind=kind, area_code=area)


def person_make(
    username: str, role: str, agency: Agency, area: str, phone: str, tps: str | None = None, **extra: Any
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.replace("-", " ").title())
    membership_grant(user=user, agency=agency, role=role, area_code=area)
    person = Person.objects.create(
        user=user, role=role, agency=agency, area_id=area, position=extra.pop("position", ""), tps_id=tps, **extra
    )
    Phone.objects.create(person=person, e164=phone)
    return user


def roster_make() -> Roster:
    roster = Roster()
    serial = 0
    for desa in DESAS:
        serial += 1
        pps = _agency(f"pps-{desa.replace('.', '')}", AgencyKind.PPS, desa)
        roster.pps[desa] = person_make(
            f"pps-{desa}", Role.KPU_OPERATOR, pps, desa, f"+6281200000{serial:03d}", position="Ketua PPS"
        )
        for tps in PollingStation.objects.filter(desa_id=desa).order_by("code").values_list("code", flat=True):
            serial += 1
            kpps = _agency(f"kpps-{tps.replace('.', '')}", AgencyKind.KPPS, desa)
            roster.kpps[tps] = person_make(
                f"kpps-{tps}", Role.KPU_OPERATOR, kpps, desa, f"+6281200000{serial:03d}", tps=tps, position="Ketua KPPS"
            )
            serial += 1
            ptps = _agency(f"ptps-{tps.replace('.', '')}", AgencyKind.TPS_SUPERVISOR, desa)
            roster.ptps[tps] = person_make(
                f"ptps-{tps}",
                Role.FIELD_OFFICER,
                ptps,
                desa,
                f"+6281200000{serial:03d}",
                tps=tps,
                position="Pengawas TPS",
            )
    return roster
