"""Who may read and change meetings and action items: one `ObjectAccess` rule per object type.

- Meetings (and their invitees, agenda and decisions): everyone with a role in the meeting's area
  reads, and so does whoever the meeting tasked (an action item in the user's area or for the
  user's agency): the minutes go to those who must act on them. Organisers (coordinator, leader,
  admin) in the meeting's area write.
- Action items: readable by who reads their meeting, in the action's area, and by every member of
  the responsible agency wherever it sits. Their status may be changed by organisers over the action's
  or the meeting's area, and by members of the responsible agency in a role that may write: the
  read-only roles (observer, inspector, finance) of that agency read but do not change it.
- Evidence files: readable with their action item; never changed once stored.

Every page, API operation, export and command gets these objects through `get` or `visible`.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sinergi.accounts.access import ObjectAccess, Policy, agency_ids, read_only_refusal, scope_filter
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.core.errors import Forbidden
from sinergi.meetings.models import ActionItem, Decision, Evidence, Invitee, Meeting

MEETINGS = Policy(
    name=gettext_noop("rapat"),
    read=ALL_ROLES,
    write=frozenset({Role.COORDINATOR, Role.LEADER, Role.ADMIN}),
)

# Roles that only read, even over their own agency's action items.
READ_ONLY_ROLES = frozenset({Role.OBSERVER, Role.INSPECTOR, Role.FINANCE})
AGENCY_WRITE_ROLES = ALL_ROLES - READ_ONLY_ROLES


def _tasked(user: Actor, prefix: str = "") -> Q:
    """Actions in an area the user reads, or owned by one of the user's agencies."""
    return scope_filter(MEETINGS.read_scopes(user), f"{prefix}area__code") | Q(
        **{f"{prefix}responsible_agency_id__in": agency_ids(user)}
    )


def meeting_filter(user: Actor, prefix: str = "") -> Q:
    """Meetings held in an area the user reads, and the meetings that gave the user an action item
    (in the user's area or to the user's agency): who is tasked reads the minutes that tasked them."""
    scopes = MEETINGS.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return Q()
    tasked = ActionItem.objects.filter(_tasked(user)).values("decision__meeting_id")
    return scope_filter(scopes, f"{prefix}area__code") | Q(**{f"{prefix}pk__in": tasked})


def _meeting_refusal(user: Actor, meeting: Meeting) -> str | None:
    if MEETINGS.can_write(user, meeting.area_id):
        return None
    return read_only_refusal(MEETINGS, _("rapat ini"))


MEETING: ObjectAccess[Meeting] = ObjectAccess(
    kind="meetings.meeting",
    label=gettext_lazy("Rapat"),  # type: ignore[arg-type]
    queryset=lambda: Meeting.objects.select_related("kind", "area", "organiser"),
    readable=meeting_filter,
    write_refusal=_meeting_refusal,
)

INVITEE: ObjectAccess[Invitee] = ObjectAccess(
    kind="meetings.invitee",
    label=gettext_lazy("Undangan"),  # type: ignore[arg-type]
    queryset=lambda: Invitee.objects.select_related("meeting", "agency"),
    readable=lambda user: meeting_filter(user, "meeting__"),
    write_refusal=lambda user, invitee: _meeting_refusal(user, invitee.meeting),
)

DECISION: ObjectAccess[Decision] = ObjectAccess(
    kind="meetings.decision",
    label=gettext_lazy("Keputusan"),  # type: ignore[arg-type]
    queryset=lambda: Decision.objects.select_related("meeting"),
    readable=lambda user: meeting_filter(user, "meeting__"),
    write_refusal=lambda user, decision: _meeting_refusal(user, decision.meeting),
)


def action_filter(user: Actor, prefix: str = "") -> Q:
    """Actions in an area the user reads, owned by the user's agency, or of a meeting the user reads."""
    if NATIONAL_CODE in MEETINGS.read_scopes(user):
        return Q()  # an empty Q would vanish from the OR below and leave only the other clauses
    return _tasked(user, prefix) | meeting_filter(user, f"{prefix}decision__meeting__")


def action_refusal(user: Actor, action: ActionItem) -> str | None:
    """Organisers over the action's or meeting's area, or a writing member of the responsible agency."""
    if MEETINGS.can_write(user, action.area_id) or MEETINGS.can_write(user, action.decision.meeting.area_id):
        return None
    if action.responsible_agency_id in agency_ids(user, AGENCY_WRITE_ROLES):
        return None
    return str(_("hanya instansi penanggung jawab atau penyelenggara rapat yang dapat memperbarui tindak lanjut ini"))


ACTION: ObjectAccess[ActionItem] = ObjectAccess(
    kind="meetings.action",
    label=gettext_lazy("Tindak lanjut"),  # type: ignore[arg-type]
    queryset=lambda: ActionItem.objects.select_related("responsible_agency", "area", "decision__meeting__area"),
    readable=action_filter,
    write_refusal=action_refusal,
)

EVIDENCE: ObjectAccess[Evidence] = ObjectAccess(
    kind="meetings.evidence",
    label=gettext_lazy("Bukti"),  # type: ignore[arg-type]
    queryset=lambda: Evidence.objects.select_related("note"),
    readable=lambda user: action_filter(user, "note__action__"),
    write_refusal=lambda user, evidence: str(_("bukti yang tersimpan tidak dapat diubah")),
)


def check_write(access: ObjectAccess, user: Actor, obj: Any) -> None:
    """Re-check in a service (called from pages, API, SMS and commands) that the actor may change `obj`."""
    reason = access.write_refusal(user, obj)
    if reason:
        raise Forbidden(reason)
