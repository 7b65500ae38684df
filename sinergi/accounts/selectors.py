"""Which agency covers a place. Security jurisdiction may differ from the administrative tree;
the most specific covering jurisdiction wins (Polres Bontang's Muara Badak beats Polres Kukar's
whole regency)."""

from collections.abc import Iterable

from sinergi.accounts.models import Agency, Jurisdiction
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of


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
