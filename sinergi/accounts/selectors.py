"""Which agency covers a place. Security jurisdiction may differ from the administrative tree;
the most specific covering jurisdiction wins (Polres Bontang's Muara Badak beats Polres Kukar's
whole regency)."""

from collections.abc import Iterable

from sinergi.accounts.models import Agency, Jurisdiction, User
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of
from sinergi.core.sms import normalise_sender


def covering_agency(area_code: str, kinds: Iterable[str]) -> Agency | None:
    """The agency of one of `kinds` whose jurisdiction most specifically holds `area_code`."""
    candidates = [area_code, *ancestors_of(area_code)]
    match = (
        Jurisdiction.objects.filter(area_id__in=candidates, agency__kind__in=list(kinds))
        .exclude(area_id=NATIONAL_CODE)
        .select_related("agency")
        .order_by("-area_id")
        .first()
    )
    return match.agency if match else None


def covered_area_codes(agency: Agency) -> list[str]:
    return list(agency.jurisdictions.values_list("area_id", flat=True).order_by("area_id"))


def user_for_phone(sender: str) -> User | None:
    """The active user whose phone is this SMS sender (any notation: 0812-..., +62 812 ...)."""
    digits = normalise_sender(sender)
    return User.objects.filter(phone_digits=digits, is_active=True).first() if len(digits) >= 8 else None
