"""Reads about people: their TPS, their phones, who is in an area."""

from django.db.models import Exists, OuterRef, QuerySet

from sinergi.accounts.models import Membership, User
from sinergi.areas.models import PollingStation, within
from sinergi.people.models import Person, Phone
from sinergi.people.phones import to_e164_or_none


def own_tps(user) -> PollingStation | None:
    """The TPS a person is on the roster for (KPPS chair, TPS supervisor), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = Person.objects.filter(user_id=user.pk).select_related("tps").first()
    return person.tps if person else None


def contact_phones(user) -> list[str]:
    """The user's phones in E.164, the last verified first, then the newest. A user without a
    roster phone falls back to the account's phone field when that is a valid mobile number."""
    phones = list(Phone.objects.filter(person__user_id=user.pk).values_list("e164", flat=True))
    if phones:
        return phones
    fallback = to_e164_or_none(getattr(user, "phone", "") or "")
    return [fallback] if fallback else []


def people_in(area_code: str, *, roles=None, agency_kinds=None) -> QuerySet[User]:
    """Active users holding a membership whose area lies in the subtree of `area_code` (itself
    included), optionally only with one of `roles` and of an agency of one of `agency_kinds`."""
    memberships = Membership.objects.filter(within(area_code, "area__code"), user_id=OuterRef("pk"))
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    if agency_kinds is not None:
        memberships = memberships.filter(agency__kind__in=list(agency_kinds))
    return User.objects.filter(Exists(memberships), is_active=True)


# --- rosters (pages, exports, sheets) ---


def roster(user, area_code: str) -> QuerySet[Person]:
    """The people of the area's subtree that the user may read (`people.permissions.PERSON`)."""
    from sinergi.people.permissions import PERSON

    return PERSON.visible(user).filter(within(area_code, "area__code"))


def roster_counts(user, area_code: str, *, now=None) -> dict[str, int]:
    """How many people, how many activated, how many logged in within 7 days: one query."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    since = (now or timezone.now()) - timedelta(days=7)
    return roster(user, area_code).aggregate(
        total=Count("pk"),
        activated=Count("pk", filter=Q(activated_at__isnull=False)),
        recent=Count("pk", filter=Q(user__last_login__gte=since)),
    )


def roster_area_codes(user) -> list[str]:
    """The top areas of the user's rosters (a coordinator's regency, a KPU operator's regency...)."""
    from sinergi.areas.codes import is_within
    from sinergi.people.permissions import roster_scopes

    codes = {code for code, _sectors in roster_scopes(user)}
    return sorted(code for code in codes if not any(other != code and is_within(code, other) for other in codes))


def phones_of(person_ids: list[int]) -> dict[int, list[str]]:
    """Each person's phones, the last verified first (one query for a page of people)."""
    found: dict[int, list[str]] = {pk: [] for pk in person_ids}
    for person_id, e164 in Phone.objects.filter(person_id__in=person_ids).values_list("person_id", "e164"):
        found[person_id].append(e164)
    return found


def masked(e164: str) -> str:
    """0812-****-7890: enough to recognise a number, not to call it."""
    from sinergi.people.phones import display

    shown = display(e164)
    return shown[:5] + "****" + shown[9:] if len(shown) > 9 else "****"
