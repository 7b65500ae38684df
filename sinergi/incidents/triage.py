"""The triage state machine as data: states, actions, and which roles each transition names.

Pure data (no ORM). It is enforced in one place, `permissions.transition_target` (with the
report's area, state and the user's roles there); nothing else decides. A report starts in `baru`;
acknowledging it is any transition out of `baru`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role


class State:
    NEW = "baru"
    VERIFIED = "diverifikasi"
    IN_PROGRESS = "ditindaklanjuti"
    DONE = "selesai"
    REJECTED = "ditolak"
    DUPLICATE = "duplikat"


STATE_CHOICES = [
    (State.NEW, _("Baru")),
    (State.VERIFIED, _("Diverifikasi")),
    (State.IN_PROGRESS, _("Ditindaklanjuti")),
    (State.DONE, _("Selesai")),
    (State.REJECTED, _("Ditolak")),
    (State.DUPLICATE, _("Duplikat")),
]
STATE_LABELS = dict(STATE_CHOICES)
OPEN_STATES = (State.NEW, State.VERIFIED, State.IN_PROGRESS)


class Action:
    VERIFY = "verify"
    ASSIGN = "assign"
    RESOLVE = "resolve"
    REJECT = "reject"
    DUPLICATE = "duplicate"
    REOPEN = "reopen"


ACTION_LABELS = {
    Action.VERIFY: _("Verifikasi"),
    Action.ASSIGN: _("Tindak lanjuti (tugaskan)"),
    Action.RESOLVE: _("Selesaikan"),
    Action.REJECT: _("Tolak"),
    Action.DUPLICATE: _("Tandai duplikat"),
    Action.REOPEN: _("Buka kembali"),
}

_TRIAGE = frozenset({Role.ADMIN, Role.COORDINATOR, Role.BAWASLU_ANALYST, Role.POLICE_PLANNER})
_RESPONDERS = _TRIAGE | {Role.KPU_OPERATOR, Role.MILITARY_PLANNER}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    note_required: bool = False


# Who may do what. KPU and TNI act on what is routed to them (logistics, security support) but
# the verification gate stays with Kesbangpol, Bawaslu and Polri.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(Action.VERIFY, (State.NEW,), State.VERIFIED, _TRIAGE),
        Transition(Action.ASSIGN, (State.NEW, State.VERIFIED, State.IN_PROGRESS), State.IN_PROGRESS, _TRIAGE),
        Transition(Action.RESOLVE, (State.IN_PROGRESS,), State.DONE, _RESPONDERS, note_required=True),
        Transition(Action.REJECT, (State.NEW, State.VERIFIED), State.REJECTED, _TRIAGE, note_required=True),
        Transition(Action.DUPLICATE, (State.NEW, State.VERIFIED), State.DUPLICATE, _RESPONDERS),
        Transition(
            Action.REOPEN,
            (State.REJECTED, State.DUPLICATE, State.DONE),
            State.VERIFIED,
            frozenset({Role.ADMIN, Role.COORDINATOR, Role.BAWASLU_ANALYST}),
            note_required=True,
        ),
    ]
}

# Roles that may see a reporter's name and contact: those who must call them back.
PERSONAL_DATA_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.BAWASLU_ANALYST, Role.POLICE_PLANNER})
# Roles that may claim (lock) a report and see what is routed to their agency.
TRIAGE_ROLES = _RESPONDERS
# Cross-sector coordinators (Kesbangpol, the camat's office) at the level a report escalates to see
# it whatever its sector; within a sector it climbs the agency chain (Polsek -> Polres).
ESCALATION_WATCH_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
