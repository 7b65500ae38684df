"""Who may read, change and triage reports: the one place that decides, for every object type of the
report module (report, attachment, the area pages) and for every triage transition.

Views, the API, selectors, services, SMS and commands all ask here: objects come through
`REPORTS` / `ATTACHMENTS` (`get` or `visible`), area pages through `AREAS`, transitions through
`transition_target`, claims through `claim_refusal`, reporter details through `can_see_personal`.
`triage.py` holds only the data (states, actions, which roles each transition names).
"""


from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sinergi.accounts.access import (
    ObjectAccess,
    Policy,
    area_access,
    memberships_of,
    read_only_refusal,
    scope_filter,
    scopes,
)
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.areas.codes import is_within
from sinergi.core.errors import Conflict, Forbidden, ValidationFailed
from sinergi.incidents import triage
from sinergi.incidents.models import Attachment, Report

# Everyone with a role reads the reports of their area; everyone who works in the field or
# triages may file one. Which of those may apply which transition is `triage.TRANSITIONS`, enforced
# by `transition_target` below.
INCIDENTS = Policy(
    name=gettext_noop("laporan"),
    read=ALL_ROLES,
    write=ALL_ROLES - {Role.OBSERVER, Role.FINANCE, Role.INSPECTOR, Role.LEADER},
)

# Map, statistics, queue and export pages are addressed by an area code (`?area=`).
AREAS = area_access(INCIDENTS, "incidents.area")


def roles_at(user: Actor, code: str) -> set[str]:
    """The user's roles that apply to a place (memberships over an area that holds it)."""
    return {role for role, area, _a in memberships_of(user) if is_within(code, area)}


def _readable_reports(user: Actor, field: str = "scope_code") -> Q:
    return scope_filter(INCIDENTS.read_scopes(user), field)


def report_write_refusal(user: Actor, report: Report) -> str | None:
    """Why the user may not change a report they can read (notes, claims, attachments, triage)."""
    if not INCIDENTS.can_write(user, report.scope_code):
        return read_only_refusal(INCIDENTS, _("laporan ini"))
    return None


REPORTS: ObjectAccess[Report] = ObjectAccess(
    kind="incidents.report",
    label=gettext_lazy("Laporan"),  # type: ignore[arg-type]
    queryset=lambda: Report.objects.select_related(
        "category", "desa", "polling_station", "agency", "escalated_agency", "claimed_by", "reporter"
    ),
    readable=_readable_reports,
    write_refusal=report_write_refusal,
)

ATTACHMENTS: ObjectAccess[Attachment] = ObjectAccess(
    kind="incidents.attachment",
    label=gettext_lazy("Lampiran"),  # type: ignore[arg-type]
    queryset=lambda: Attachment.objects.select_related("report"),
    readable=lambda user: _readable_reports(user, "report__scope_code"),
    write_refusal=lambda user, item: report_write_refusal(user, item.report),
)


# --- triage ----------------------------------------------------------------------------------


def _state(state: str) -> str:
    return str(triage.STATE_LABELS.get(state, state))


def _action(action: str) -> str:
    return str(triage.ACTION_LABELS.get(action, action))


class TransitionRefused(Exception):
    """`stale`: the report is no longer in a state the action applies to (409, someone acted first)."""

    def __init__(self, reason: str, *, stale: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.stale = stale


def check_transition(action: str, state: str, roles: set[str] | frozenset[str], note: str = "") -> str:
    """The target state if `roles` may apply `action` to a report in `state`; else TransitionRefused."""
    transition = triage.TRANSITIONS.get(action)
    if transition is None:
        known = ", ".join(triage.TRANSITIONS)
        raise TransitionRefused(_("tindakan '%(action)s' tidak dikenal; gunakan salah satu dari %(known)s") % {"action": action, "known": known})
    if not roles & transition.roles:
        raise TransitionRefused(_("peran Anda tidak dapat melakukan '%(action)s' pada laporan") % {"action": _action(action)})
    if state not in transition.sources:
        raise TransitionRefused(
            _("'%(action)s' tidak dapat dilakukan pada laporan berstatus %(state)s") % {"action": _action(action), "state": _state(state)},
            stale=True,
        )
    if transition.note_required and not note.strip():
        raise TransitionRefused(_("'%(action)s' perlu catatan alasannya") % {"action": _action(action)})
    return transition.target


def transition_target(
    user: Actor, report: Report, action: str, note: str = "", *, expected_state: str | None = None
) -> str:
    """The state `action` takes the report to, if the user may apply it now; else:
    Forbidden (403) for a reader, Conflict (409) when the report is no longer in the state the
    action applies to or that the user saw (`expected_state`), ValidationFailed (422) otherwise."""
    refusal = report_write_refusal(user, report)
    if refusal:
        raise Forbidden(refusal)
    if expected_state and expected_state != report.state:
        raise Conflict(
            _("laporan %(ref)s kini berstatus %(now)s, bukan %(seen)s: orang lain sudah menanganinya lebih dulu")
            % {"ref": report.ref, "now": _state(report.state), "seen": _state(expected_state)},
            code="state_changed",
        )
    try:
        return check_transition(action, report.state, roles_at(user, report.scope_code), note)
    except TransitionRefused as refused:
        if refused.stale:
            raise Conflict(refused.reason, code="state_changed") from None
        raise ValidationFailed(refused.reason, field="action", code="transition_refused") from None


def allowed_actions(user: Actor, report: Report) -> list[str]:
    """The transitions the user may apply to the report as it is now (the buttons the page shows)."""
    if report_write_refusal(user, report):
        return []
    roles = roles_at(user, report.scope_code)
    return [a for a, t in triage.TRANSITIONS.items() if report.state in t.sources and roles & t.roles]


def claim_refusal(user: Actor, report: Report) -> str | None:
    """Why the user may not claim (lock) the report, or None."""
    refusal = report_write_refusal(user, report)
    if refusal:
        return refusal
    if not roles_at(user, report.scope_code) & triage.TRIAGE_ROLES:
        return _("peran Anda tidak menangani triase laporan")
    if not report.is_open:
        return _("laporan %(ref)s sudah ditutup") % {"ref": report.ref}
    return None


def can_see_personal(user: Actor, report: Report) -> bool:
    """Reporter name and contact: the reporter, and those who must call them back."""
    return report.reporter_id == getattr(user, "pk", None) or bool(
        roles_at(user, report.scope_code) & triage.PERSONAL_DATA_ROLES
    )


def personal_allowed(user: Actor, area: str) -> bool:
    """Reporter details go into an export only if the user may see them for everything in it."""
    allowed = scopes(user, triage.PERSONAL_DATA_ROLES)
    wanted = [area] if area else INCIDENTS.read_scopes(user)
    return bool(wanted) and all(any(is_within(code, scope) for scope in allowed) for code in wanted)
