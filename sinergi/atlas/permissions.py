"""Who reads and changes the area tree and the TPS list: one rule per object type."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from sinergi.accounts.access import ObjectAccess, Policy, area_access, read_only_refusal, scope_filter
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.areas.models import PollingStation

# Everyone with a role reads the area tree and TPS list of their area; KPU keeps the TPS list.
AREAS = Policy(name=gettext_noop("wilayah"), read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR}))

# An area page or API answer, by code. Nobody changes an area through a route (importers do).
AREA = area_access(AREAS, "areas.area")


def _station_readable(user: Any) -> Q:
    return scope_filter(AREAS.read_scopes(user), "code")


def _station_refusal(user: Any, station: PollingStation) -> str | None:
    return None if AREAS.can_write(user, station.code) else read_only_refusal(AREAS, "TPS")


# One TPS by code: read within the user's areas, corrected by KPU there.
POLLING_STATION: ObjectAccess[PollingStation] = ObjectAccess(
    kind="areas.polling_station",
    label=gettext_noop("TPS"),
    queryset=lambda: PollingStation.objects.select_related("desa"),
    readable=_station_readable,
    write_refusal=_station_refusal,
    key_field="code",
)
