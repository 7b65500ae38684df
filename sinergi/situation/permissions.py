"""Who reads the situation room and its daily reports, and who may generate one: one rule per object type."""

import datetime as dt
from typing import Any

from django.db.models import Q

from sinergi.accounts.access import ObjectAccess, Policy, area_access, read_only_refusal, scope_filter
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.core.errors import NotFound
from sinergi.situation.models import DailyReport

# Everyone with a role in an area reads its situation room and daily reports; organisers
# (koordinator, pimpinan, admin) may generate a report on demand.
SITUATION = Policy(
    name="situation",
    read=ALL_ROLES,
    write=frozenset({Role.COORDINATOR, Role.LEADER, Role.ADMIN}),
)

# The room of one area by code; writing means generating the area's report.
ROOM = area_access(SITUATION, "situation.room")


def _report_readable(user: Any) -> Q:
    return scope_filter(SITUATION.read_scopes(user), "area__code")


def _report_refusal(user: Any, report: DailyReport) -> str | None:
    return None if SITUATION.can_write(user, report.area_id) else read_only_refusal(SITUATION)


# One filed daily report, addressed by (area code, day): see `daily_report_get`.
DAILY_REPORT: ObjectAccess[DailyReport] = ObjectAccess(
    kind="situation.daily_report",
    label="laporan situasi",
    queryset=lambda: DailyReport.objects.defer("snapshot"),
    readable=_report_readable,
    write_refusal=_report_refusal,
)


def daily_report_get(user: Any, code: str, day: str) -> DailyReport:
    """The report of `code` for `day` (YYYY-MM-DD) if the user may read it; NotFound otherwise."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        date = None
    found = DAILY_REPORT.visible(user).filter(area_id=code, report_date=date).first() if date else None
    if found is None:
        raise NotFound(f"laporan situasi {code} {day} tidak ditemukan")
    return found
