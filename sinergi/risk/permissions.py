"""Who may read and change what in the risk module: one rule per object type served.

- `AREAS` (`risk.area`, by area code): the area pages, their TPS lists, comparisons and exports.
- `TPS` (`risk.tps`, by TPS code): the TPS page and API, and the checklist form / assessment PUT.
  Writing a checklist also needs an open round: the service refuses a closed one (409 naming it).
- `TPS_SECURITY` (`risk.tps_security`, by TPS code): the manual security class: Bawaslu in its area, a
  Polri planner only for TPS its own agency (or a unit under it) guards, by the most specific jurisdiction.
- `ROUND` (`risk.round`, by slug): a round's page and template; writing means opening or closing it.
- `ROUND_CHECKLISTS` (`risk.round_checklists`, by slug): importing checklists into a round; refused for
  a reader and for a closed round (a closed round is immutable).
- `PROPOSALS` (`risk.proposal`, by id): changes proposed for the next round (an incident verified
  while the TPS's round was closed); applying one writes a checklist, so the TPS's write rule applies.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinergi.accounts.access import (
    ObjectAccess,
    Policy,
    area_access,
    memberships_of,
    read_only_refusal,
    scope_filter,
)
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import Role
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, is_within
from sinergi.areas.models import PollingStation

# Bawaslu and the field roles (PKD, Pengawas TPS, Panwascam, Bhabinkamtibmas) fill checklists;
# Pemkab leadership, KPU, Polri, TNI and observers read. Finance and inspectorate have no business here.
READERS = frozenset(
    {
        Role.LEADER,
        Role.COORDINATOR,
        Role.KPU_OPERATOR,
        Role.POLICE_PLANNER,
        Role.MILITARY_PLANNER,
        Role.OBSERVER,
    }
)
RISK = Policy(name=gettext_noop("kerawanan"), read=READERS, write=frozenset({Role.BAWASLU_ANALYST, Role.FIELD_OFFICER}))
# Opening and closing rounds is Bawaslu's job, not the field officer's.
ROUNDS = Policy(name=gettext_noop("putaran penilaian"), read=READERS | {Role.FIELD_OFFICER}, write=frozenset({Role.BAWASLU_ANALYST}))
# The security class is the police's planning input: the planner and Bawaslu may override it.
SECURITY = Policy(
    name=gettext_noop("kelas pengamanan"),
    read=READERS | {Role.FIELD_OFFICER},
    write=frozenset({Role.BAWASLU_ANALYST, Role.POLICE_PLANNER}),
)


def closed_round_refusal(round_: Any) -> str:
    """The one message for every write refused because a round is closed (it names the round)."""
    return str(
        _(
            "putaran %(name)s (%(slug)s) sudah ditutup dan tidak dapat diubah; perubahan diusulkan untuk putaran berikutnya"
        )
        % {"name": round_.name, "slug": round_.slug}
    )


def round_is_closed(round_: Any) -> bool:
    from sinergi.risk.models import RoundStatus

    return round_.status != RoundStatus.OPEN


# --- areas -------------------------------------------------------------------------------------

AREAS = area_access(RISK, "risk.area")


# --- TPS ---------------------------------------------------------------------------------------


def _tps_access(kind: str, policy: Policy) -> ObjectAccess[PollingStation]:
    def refusal(user: Actor, station: PollingStation) -> str | None:
        return None if policy.can_write(user, station.code) else read_only_refusal(policy, f"TPS {station.code}")

    return ObjectAccess(
        kind=kind,
        label=gettext_noop("TPS"),
        queryset=lambda: PollingStation.objects.select_related("desa"),
        readable=lambda user: scope_filter(policy.read_scopes(user), "code"),
        write_refusal=refusal,
        key_field="code",
    )


TPS = _tps_access("risk.tps", RISK)

POLRI_KINDS = ("polres", "polsek")


def answering_polri(tps_code: str) -> set[int] | None:
    """The Polri agencies that answer for a TPS: the Polri unit(s) with the most specific jurisdiction
    over it (Polsek Muara Badak, Polres Bontang for Muara Badak; not Polres Kukar, whose jurisdiction is
    the whole regency) and their parents. None when no Polri unit covers it."""
    from sinergi.accounts.models import Agency, Jurisdiction

    rows = list(
        Jurisdiction.objects.filter(agency__kind__in=POLRI_KINDS, area_id__in=ancestors_of(tps_code)).values_list(
            "agency_id", "area_id"
        )
    )
    if not rows:
        return None
    deepest = max(area.count(".") for _, area in rows)
    chain: set[int] = set()
    todo = [agency for agency, area in rows if area.count(".") == deepest]
    while todo:
        agency_id = todo.pop()
        if agency_id in chain:
            continue
        chain.add(agency_id)
        parent = Agency.objects.filter(pk=agency_id).values_list("parent_id", flat=True).first()
        if parent:
            todo.append(parent)
    return chain


def _security_refusal(user: Actor, station: PollingStation) -> str | None:
    """Bawaslu overrides the class in its area. A Polri planner's area is not enough: the TPS must be
    guarded by the planner's own agency or a unit under it (Polres Kukar's planner may not set the class
    of a Muara Badak TPS, which Polres Bontang guards)."""
    if not SECURITY.can_write(user, station.code):
        return read_only_refusal(SECURITY, f"TPS {station.code}")
    mine = [(role, agency) for role, area, agency in memberships_of(user) if is_within(station.code, area)]
    if any(role in (Role.ADMIN, Role.BAWASLU_ANALYST) for role, _agency in mine):
        return None
    planners = {agency for role, agency in mine if role == Role.POLICE_PLANNER}
    if planners:
        answering = answering_polri(station.code)
        if answering is None or answering & planners:
            return None
    return str(
        _("kelas pengamanan TPS %(code)s ditetapkan oleh Polres/Polsek yang mengamankannya")
        % {"code": station.code}
    )


TPS_SECURITY: ObjectAccess[PollingStation] = ObjectAccess(
    kind="risk.tps_security",
    label=gettext_noop("TPS"),
    queryset=lambda: PollingStation.objects.select_related("desa"),
    readable=lambda user: scope_filter(SECURITY.read_scopes(user), "code"),
    write_refusal=_security_refusal,
    key_field="code",
)


# --- rounds ------------------------------------------------------------------------------------


def round_readable(user: Actor) -> Q:
    """Rounds over an area the user reads, or over an area that contains one of the user's scopes."""
    scopes = RISK.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return Q()  # `Q(...) | Q()` would collapse to the left side, so the nation is handled apart
    above = {a for s in scopes for a in (*ancestors_of(s), s)}
    return Q(area_id__in=above) | scope_filter(scopes, "area__code")


def writes_inside(user: Actor, area_code: str) -> bool:
    """True if the user may fill checklists somewhere in the area (a kecamatan officer in a regency round)."""
    return any(is_within(s, area_code) or is_within(area_code, s) for s in RISK.write_scopes(user))


def _round_queryset():
    from sinergi.risk.models import AssessmentRound

    return AssessmentRound.objects.select_related("instrument", "area").order_by("-window_start", "-id")


def _round_manage_refusal(user: Actor, round_: Any) -> str | None:
    # Opening and closing is allowed in either state: reopening is how Bawaslu corrects a closed round.
    return None if ROUNDS.can_write(user, round_.area_id) else read_only_refusal(ROUNDS, round_.slug)


def _round_checklists_refusal(user: Actor, round_: Any) -> str | None:
    if not writes_inside(user, round_.area_id):
        return read_only_refusal(RISK, round_.slug)
    if round_is_closed(round_):
        return closed_round_refusal(round_)
    return None


ROUND: ObjectAccess = ObjectAccess(
    kind="risk.round",
    label=gettext_noop("putaran penilaian"),
    queryset=_round_queryset,
    readable=round_readable,
    write_refusal=_round_manage_refusal,
    key_field="slug",
)
ROUND_CHECKLISTS: ObjectAccess = ObjectAccess(
    kind="risk.round_checklists",
    label=gettext_noop("putaran penilaian"),
    queryset=_round_queryset,
    readable=round_readable,
    write_refusal=_round_checklists_refusal,
    key_field="slug",
)


# --- proposed changes --------------------------------------------------------------------------


def _proposal_queryset():
    from sinergi.risk.models import ProposedChange

    return ProposedChange.objects.select_related("source_round", "tps").order_by("-created_at", "-id")


def _proposal_refusal(user: Actor, proposal: Any) -> str | None:
    # Applying a proposal to the next round is Bawaslu's decision, like opening and closing rounds.
    if not ROUNDS.can_write(user, proposal.tps_id):
        return read_only_refusal(ROUNDS, f"TPS {proposal.tps_id}")
    if proposal.applied_at is not None:
        return str(_("usulan ini sudah diterapkan"))
    return None


PROPOSALS: ObjectAccess = ObjectAccess(
    kind="risk.proposal",
    label=gettext_noop("usulan perubahan"),
    queryset=_proposal_queryset,
    readable=lambda user: scope_filter(RISK.read_scopes(user), "tps__code"),
    write_refusal=_proposal_refusal,
)


# --- checklists (lists and the evidence download; a version is never changed, a new one is added) ---


def _checklist_queryset():
    from sinergi.risk.models import Checklist

    return Checklist.objects.all()


CHECKLISTS: ObjectAccess = ObjectAccess(
    kind="risk.checklist",
    label=gettext_noop("daftar periksa"),
    queryset=_checklist_queryset,
    readable=lambda user: scope_filter(RISK.read_scopes(user), "tps__code"),
    write_refusal=lambda user, checklist: str(_("versi daftar periksa tidak diubah; kirim versi baru")),
)
