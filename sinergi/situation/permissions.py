"""Who reads the situation room and its daily reports, and who may generate one: one rule per object type."""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinergi.accounts.access import (
    ObjectAccess,
    Policy,
    area_access,
    is_national_admin,
    read_only_refusal,
    scope_filter,
)
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.core.errors import NotFound
from sinergi.situation import providers
from sinergi.situation.models import DailyReport

# Everyone with a role in an area reads its situation room and daily reports; organisers
# (koordinator, pimpinan, admin) may generate a report on demand.
SITUATION = Policy(
    name=gettext_noop("ruang situasi"),
    read=ALL_ROLES,
    write=frozenset({Role.COORDINATOR, Role.LEADER, Role.ADMIN}),
)

# The room of one area by code; writing means generating the area's report.
ROOM = area_access(SITUATION, "situation.room")


def _report_readable(user: Actor) -> Q:
    return scope_filter(SITUATION.read_scopes(user), "area__code")


def _report_refusal(user: Actor, report: DailyReport) -> str | None:
    return None if SITUATION.can_write(user, report.area_id) else read_only_refusal(SITUATION)


# One filed daily report, addressed by (area code, day): see `daily_report_get`.
DAILY_REPORT: ObjectAccess[DailyReport] = ObjectAccess(
    kind="situation.daily_report",
    label=gettext_noop("laporan situasi"),
    queryset=lambda: DailyReport.objects.defer("snapshot"),
    readable=_report_readable,
    write_refusal=_report_refusal,
)


def daily_report_get(user: Actor, code: str, day: str) -> DailyReport:
    """The report of `code` for `day` (YYYY-MM-DD) if the user may read it; NotFound otherwise."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        date = None
    found = DAILY_REPORT.visible(user).filter(area_id=code, report_date=date).first() if date else None
    if found is None:
        raise NotFound(_("laporan situasi %(code)s %(day)s tidak ditemukan") % {"code": code, "day": day})
    return found


# A filed report is built as the system sees it (every module, whole area). Its readers see only
# the modules their role reads there, by the policy each module declares (`ABOUT.policy` in its
# situation.py); a module that declares none only the national administrator sees.
def module_readable(user: Actor, module: str, area_code: str) -> bool:
    found = providers.provider(module)
    policy = found.about.policy if found is not None else None
    if policy is None:
        return is_national_admin(user)
    return policy.can_read(user, area_code)


def snapshot_for_reader(user: Actor, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The part of a filed report's snapshot that `user` may read: sections, attention items, map
    layers (keyed `module.name`) and failures of the modules their role reads in the report's area."""
    code = snapshot["area"]["code"]
    readable: dict[str, bool] = {}

    def ok(module: str) -> bool:
        if module not in readable:
            readable[module] = module_readable(user, module, code)
        return readable[module]

    layers = [layer for layer in snapshot.get("layers", []) if ok(str(layer["key"]).split(".", 1)[0])]
    keys = {layer["key"] for layer in layers}
    verdicts = [v for v in snapshot.get("verdicts", []) if ok(v["module"])]
    levels = {v["level"] for v in verdicts}
    return {
        **snapshot,
        "verdicts": verdicts,
        "overall": next((level for level in ("trouble", "attention", "ready") if level in levels), None),
        "sections": [s for s in snapshot.get("sections", []) if ok(s["module"])],
        "attention": [a for a in snapshot.get("attention", []) if ok(a["module"])],
        "layers": layers,
        "children": [
            {**c, "values": {k: v for k, v in c.get("values", {}).items() if k in keys}}
            for c in snapshot.get("children", [])
        ],
        "failed": [m for m in snapshot.get("failed", []) if ok(m)],
    }
