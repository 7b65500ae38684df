"""Scheduled work of people (run by `sinergi worker`, see ops/schedule.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

JOBS = [
    Job(
        "people.prune_secrets",
        "sinergi.people.jobs.prune_secrets",
        every=timedelta(hours=1),
        description=_("Hapus kode masuk dan tautan aktivasi yang sudah kedaluwarsa"),
    ),
]
# Dead login codes are kept a day (the throttle counts the last window of them), dead links 30 days
# (so a person who asks why a link failed can be told: used, replaced or expired).
CODE_KEEP = timedelta(days=1)
LINK_KEEP = timedelta(days=30)


def prune_secrets(now) -> int:
    from django.db.models import Q

    from sinergi.people.models import ActivationLink, LoginCode

    codes, _n = LoginCode.objects.filter(expires_at__lt=now - CODE_KEEP).delete()
    dead = Q(expires_at__lt=now - LINK_KEEP) | Q(used_at__lt=now - LINK_KEEP) | Q(revoked_at__lt=now - LINK_KEEP)
    links, _m = ActivationLink.objects.filter(dead).delete()
    return codes + links
