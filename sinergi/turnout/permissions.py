"""Who reads and writes turnout: the policies, and one access rule per object type the routes serve."""

from collections.abc import Iterable
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
from sinergi.accounts.models import Actor, Agency
from sinergi.accounts.roles import ALL_ROLES, AgencyKind, Role
from sinergi.areas.codes import is_within
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden, NotFound
from sinergi.turnout.models import Slot

# KPU (KPU kabupaten, PPK, PPS, KPPS accounts) report and correct turnout within their area.
REPORTS = Policy(name=gettext_noop("partisipasi"), read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR}))
# Supervisors confirm or correct flagged (and held) reports within their areas: the KPU side (KPU
# operators) and the Bawaslu side (Bawaslu analysts, and Panwascam staff, who hold the field-officer
# role at a Panwascam: see `review_scopes`). Never the reporter of the numbers (`_own_numbers_refusal`).
REVIEW = Policy(
    name=gettext_noop("tinjauan partisipasi"),
    read=ALL_ROLES,
    write=frozenset({Role.KPU_OPERATOR, Role.BAWASLU_ANALYST}),
)
BAWASLU_SUPERVISORS = frozenset({AgencyKind.BAWASLU, AgencyKind.PANWASCAM})
# Who chases missing reports and so sees the KPPS reporter's phone: KPU and the Kesbangpol room.
CHASE = Policy(
    name=gettext_noop("penelusuran TPS belum lapor"),
    read=ALL_ROLES,
    write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR}),
)
# Sosialisasi is run by KPU, Kesbangpol and the camat/lurah/kades.
OUTREACH = Policy(
    name=gettext_noop("sosialisasi"),
    read=ALL_ROLES,
    write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR, Role.FIELD_OFFICER}),
)

# Area pages by code: the board, missing TPS and review list read; the report form writes (KPU).
TURNOUT_AREA = area_access(REPORTS, "turnout.area")
_REVIEW_SCOPES_ATTR = "_turnout_review_scopes"


def review_scopes(user: Actor) -> list[str]:
    """The area codes in which the user reviews turnout reports: REVIEW's roles, plus the areas of
    field-officer memberships held at a Bawaslu or Panwascam (a camat or kades holds the same role but
    supervises nothing). One query only for users with a field-officer membership, once per request."""
    cached = getattr(user, _REVIEW_SCOPES_ATTR, None)
    if cached is not None:
        return cached
    codes = set(REVIEW.write_scopes(user))
    field = [(agency, area) for role, area, agency in memberships_of(user) if role == Role.FIELD_OFFICER]
    if field:
        supervising = set(
            Agency.objects.filter(pk__in=[a for a, _ in field], kind__in=BAWASLU_SUPERVISORS).values_list(
                "pk", flat=True
            )
        )
        codes |= {area for agency, area in field if agency in supervising}
    found = sorted(codes)
    if getattr(user, "is_authenticated", False):
        setattr(user, _REVIEW_SCOPES_ATTR, found)
    return found


def may_review(user: Actor, area_code: str) -> bool:
    return any(is_within(area_code, scope) for scope in review_scopes(user))


def _review_area_refusal(user: Actor, area: Area) -> str | None:
    return None if may_review(user, area.code) else read_only_refusal(REVIEW)


# The review list of an area: supervisors (`review_scopes`) confirm or correct flagged numbers there.
REVIEW_AREA: ObjectAccess[Area] = ObjectAccess(
    kind="turnout.review_area",
    label=REVIEW.name,
    queryset=Area.objects.all,
    readable=lambda user: scope_filter(REVIEW.read_scopes(user), "code"),
    write_refusal=_review_area_refusal,
    key_field="code",
)
# The outreach page: everyone in the area reads it, organisers record activities.
OUTREACH_AREA = area_access(OUTREACH, "turnout.outreach_area")


def _slot_readable(user: Actor) -> Q:
    return scope_filter(REPORTS.read_scopes(user), "tps__code")


def _review_refusal(user: Actor, slot: Slot) -> str | None:
    if not may_review(user, slot.tps_id):
        return read_only_refusal(REVIEW)
    if slot.current_id is None or not slot.flagged:
        return str(_("laporan TPS ini tidak sedang ditandai untuk ditinjau"))
    return _own_numbers_refusal(user, slot)


def _own_numbers_refusal(user: Actor, slot: Slot) -> str | None:
    """A review is a second pair of eyes: whoever reported any version of this TPS at this checkpoint
    neither confirms its numbers nor replaces them with a version marked reviewed (a reporter fixes
    its own typo by sending a new report, which the rules check again). Two reporters agreeing on a
    number that breaks a rule are both reporters of it."""
    user_id = getattr(user, "pk", None)
    if slot.current is not None and slot.current.reporter_id == user_id:
        return str(_("Anda sendiri yang melaporkan angka ini; peninjau lain yang memeriksanya"))
    if user_id is not None and slot.pk and slot.reports.filter(reporter_id=user_id).exists():
        return str(_("Anda sendiri yang melaporkan angka ini; peninjau lain yang memeriksanya"))
    return None


def _correction_refusal(user: Actor, slot: Slot) -> str | None:
    if not may_review(user, slot.tps_id):
        return read_only_refusal(REVIEW)
    return _own_numbers_refusal(user, slot)


def _slots() -> Any:
    return Slot.objects.select_related("checkpoint__election", "tps__desa", "current")


# One TPS x checkpoint slot by id, to read (its page, roll-ups): the same rule for lists.
SLOT: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot",
    label=gettext_noop("laporan TPS"),
    queryset=_slots,
    readable=_slot_readable,
    # A slot changes only through a report, a review (SLOT_REVIEW) or a correction (SLOT_CORRECTION).
    write_refusal=lambda user, slot: read_only_refusal(REPORTS),
)
# Reviewing a slot means confirming its flagged numbers (only while it is flagged); correcting it
# writes new numbers marked reviewed. Both belong to the supervisors of `review_scopes`.
SLOT_REVIEW: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot_review",
    label=gettext_noop("laporan TPS"),
    queryset=_slots,
    readable=_slot_readable,
    write_refusal=_review_refusal,
)
SLOT_CORRECTION: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot_correction",
    label=gettext_noop("laporan TPS"),
    queryset=_slots,
    readable=_slot_readable,
    write_refusal=_correction_refusal,
)


def report_targets_check(user: Actor, tps_codes: Iterable[str]) -> None:
    """May `user` report for every TPS named? NotFound outside their areas, Forbidden where they only
    read. Decided in memory from the REPORTS policy (a batch names up to a thousand TPS); whether each
    TPS exists is the service's validation."""
    for code in sorted(set(tps_codes)):
        if not REPORTS.can_read(user, code):
            raise NotFound(_("TPS %(code)s tidak ditemukan") % {"code": code})
        if not REPORTS.can_write(user, code):
            raise Forbidden(read_only_refusal(REPORTS, f"TPS {code}"))
