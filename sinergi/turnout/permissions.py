"""Who reads and writes turnout: the policies, and one access rule per object type the routes serve."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sinergi.accounts.access import ObjectAccess, Policy, area_access, read_only_refusal, scope_filter
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.core.errors import Forbidden, NotFound
from sinergi.turnout.models import Slot

# KPU (KPU kabupaten, PPK, PPS, KPPS accounts) report and correct turnout within their area.
REPORTS = Policy(name="partisipasi", read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR}))
# Supervisors clear flags: KPU above the TPS, and the Kesbangpol coordinator who runs the monitoring room.
# Correcting the numbers themselves stays with KPU (REPORTS write).
REVIEW = Policy(name="tinjauan partisipasi", read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR}))
# Sosialisasi is run by KPU, Kesbangpol and the camat/lurah/kades.
OUTREACH = Policy(
    name="sosialisasi",
    read=ALL_ROLES,
    write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR, Role.FIELD_OFFICER}),
)

# Area pages by code: the board, missing TPS and review list read; the report form writes (KPU).
TURNOUT_AREA = area_access(REPORTS, "turnout.area")
# The review list of an area: supervisors (REVIEW write) accept flagged numbers there.
REVIEW_AREA = area_access(REVIEW, "turnout.review_area")
# The outreach page: everyone in the area reads it, organisers record activities.
OUTREACH_AREA = area_access(OUTREACH, "turnout.outreach_area")


def _slot_readable(user: Any) -> Q:
    return scope_filter(REPORTS.read_scopes(user), "tps__code")


def _review_refusal(user: Any, slot: Slot) -> str | None:
    if not REVIEW.can_write(user, slot.tps_id):
        return read_only_refusal(REVIEW)
    if slot.current_id is None or not slot.flagged:
        return str(_("laporan TPS ini tidak sedang ditandai untuk ditinjau"))
    return _own_numbers_refusal(user, slot)


def _own_numbers_refusal(user: Any, slot: Slot) -> str | None:
    """A review is a second pair of eyes: the reporter of the current numbers neither accepts them
    nor replaces them with a version marked reviewed (it sends a new report, which the rules check)."""
    if slot.current is not None and slot.current.reporter_id == getattr(user, "pk", None):
        return str(_("Anda sendiri yang melaporkan angka ini; peninjau lain yang memeriksanya"))
    return None


def _correction_refusal(user: Any, slot: Slot) -> str | None:
    if not (REVIEW.can_write(user, slot.tps_id) and REPORTS.can_write(user, slot.tps_id)):
        return read_only_refusal(REPORTS)
    return _own_numbers_refusal(user, slot)


def _slots() -> Any:
    return Slot.objects.select_related("checkpoint__election", "tps__desa", "current")


# One TPS x checkpoint slot by id, to read (its page, roll-ups): the same rule for lists.
SLOT: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot",
    label="laporan TPS",
    queryset=_slots,
    readable=_slot_readable,
    # A slot changes only through a report, a review (SLOT_REVIEW) or a correction (SLOT_CORRECTION).
    write_refusal=lambda user, slot: read_only_refusal(REPORTS),
)
# Reviewing a slot Reviewing it means accepting its flagged numbers (KPU or the
# Kesbangpol coordinator, only while it is flagged); correcting it writes new numbers (KPU only).
SLOT_REVIEW: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot_review",
    label="laporan TPS",
    queryset=_slots,
    readable=_slot_readable,
    write_refusal=_review_refusal,
)
SLOT_CORRECTION: ObjectAccess[Slot] = ObjectAccess(
    kind="turnout.slot_correction",
    label="laporan TPS",
    queryset=_slots,
    readable=_slot_readable,
    write_refusal=_correction_refusal,
)


def report_targets_check(user: Any, tps_codes: Iterable[str]) -> None:
    """May `user` report for every TPS named? NotFound outside their areas, Forbidden where they only
    read. Decided in memory from the REPORTS policy (a batch names up to a thousand TPS); whether each
    TPS exists is the service's validation."""
    for code in sorted(set(tps_codes)):
        if not REPORTS.can_read(user, code):
            raise NotFound(_("TPS %(code)s tidak ditemukan") % {"code": code})
        if not REPORTS.can_write(user, code):
            raise Forbidden(read_only_refusal(REPORTS, f"TPS {code}"))
