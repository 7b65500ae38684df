"""Service levels: how long a report of each severity may wait for acknowledgement before it
escalates one level up the area tree (desa -> kecamatan -> kabupaten/kota). Pure functions."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergi.areas.codes import ancestor_at, depth_of

SEVERITY_CHOICES = [
    (1, _("1 · rendah")),
    (2, _("2 · sedang")),
    (3, _("3 · tinggi")),
    (4, _("4 · kritis")),
]

# Minutes to acknowledge, per severity. A deployment may override them with the setting
# SINERGI_INCIDENT_ACK_MINUTES = {1: ..., 2: ..., 3: ..., 4: ...}.
DEFAULT_ACK_MINUTES = {1: 24 * 60, 2: 8 * 60, 3: 2 * 60, 4: 30}

# Escalation stops at the kabupaten/kota: above it the regency's own leaders are already told.
LEVEL_NAMES = {0: _("desa/kelurahan"), 1: _("kecamatan"), 2: _("kabupaten/kota")}
MAX_LEVEL = 2


def ack_minutes(severity: int) -> int:
    table = {**DEFAULT_ACK_MINUTES, **getattr(settings, "SINERGI_INCIDENT_ACK_MINUTES", {})}
    return int(table[severity])


def ack_due(received_at: datetime, severity: int) -> datetime:
    return received_at + timedelta(minutes=ack_minutes(severity))


def level_area(desa_code: str, level: int) -> str:
    """The area a report sits at after `level` escalations: 64.02.06.2001 -> 64.02.06 -> 64.02."""
    return ancestor_at(desa_code, max(2, depth_of(desa_code) - level))
