"""Writes to agencies, jurisdictions and memberships, each leaving a history row."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.access import forget_memberships
from sinergi.accounts.models import Agency, Jurisdiction, Membership, User
from sinergi.areas.models import Area
from sinergi.core.errors import ValidationFailed
from sinergi.core.history import history_record


@transaction.atomic
def agency_ensure(
    *,
    code: str,
    name: str,
    kind: str,
    area_code: str,
    parent: Agency | None = None,
    covers: list[str] | None = None,
    actor: Any = None,
) -> Agency:
    """Create or update an agency and set the areas it covers (its own area by default)."""
    if not Area.objects.filter(code=area_code).exists():
        raise ValidationFailed(_("wilayah %(code)s tidak dikenal") % {"code": area_code}, field="area_code")
    agency, created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "area_id": area_code, "parent": parent}
    )
    wanted = set(covers or [area_code])
    current = set(agency.jurisdictions.values_list("area_id", flat=True))
    if wanted != current:
        agency.jurisdictions.exclude(area_id__in=wanted).delete()
        Jurisdiction.objects.bulk_create([Jurisdiction(agency=agency, area_id=c) for c in sorted(wanted - current)])
    if created or wanted != current:
        history_record(
            object_type="accounts.agency",
            object_key=code,
            action="created" if created else "updated",
            actor=actor,
            changes={"covers": sorted(wanted)},
            area_code=area_code,
        )
    return agency


@transaction.atomic
def membership_grant(
    *, user: User, agency: Agency, role: str, area_code: str, title: str = "", actor: Any = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, area_id=area_code, defaults={"title": title}
    )
    if created:
        history_record(
            object_type="accounts.membership",
            object_key=str(membership.pk),
            action="granted",
            actor=actor,
            changes={"user": user.username, "role": role, "area": area_code},
            area_code=area_code,
        )
        forget_memberships(user)
    return membership
