"""URL parameters of reach's routes for the route matrix. Broadcasts and areas are sampled through their
access rules; should the demo hold no broadcast (no field roster), one is made here."""

from typing import Any

from django.utils import timezone

from sinergi.reach.models import Broadcast

DETAIL = "jangkauan/siaran/<int:pk>/"


def extra_params(users: dict[str, Any]) -> dict[str, Any]:
    if Broadcast.objects.filter(area__code__startswith="64.02").exists():
        return {}
    broadcast = Broadcast.objects.create(
        code="MTRX",
        area_id="64.02.06",
        agency_kinds=["kpps"],
        text="Siaran matriks rute untuk KPPS Tenggarong",
        recipient_count=0,
        created_by=users["kesbangpol.kukar"],
        created_at=timezone.now(),
    )
    return {
        f"{template}:pk": broadcast.pk
        for template in (DETAIL, f"{DETAIL}setujui/", f"{DETAIL}batalkan/", "api/v1/jangkauan/broadcasts/{pk}")
    }
