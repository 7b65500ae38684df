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
    memberships = Membership.objects.filter(within(area_code, "area_id"), user_id=OuterRef("pk"))
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    if agency_kinds is not None:
        memberships = memberships.filter(agency__kind__in=list(agency_kinds))
    return User.objects.filter(Exists(memberships), is_active=True)
