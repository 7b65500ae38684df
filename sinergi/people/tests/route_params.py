"""URL parameters of the people routes that no object rule samples (the route matrix reads these)."""

from typing import Any

from sinergi.people.models import Person
from sinergi.people.services import activation_links_create


def extra_params(users: dict[str, Any]) -> dict[str, Any]:
    person = Person.objects.filter(area__code__startswith="64.02.06", activated_at__isnull=True).order_by("pk").first()
    token = activation_links_create([person.user_id])[person.user_id] if person else None
    return {
        "orang/aktivasi/<str:token>/:token": token,
        "orang/wilayah/<str:code>/ekspor.<str:fmt>:fmt": "csv",
    }
