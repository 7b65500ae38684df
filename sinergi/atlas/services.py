"""Writes to single TPS records (bulk changes go through the importers)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.areas import rollup
from sinergi.areas.models import PollingStation
from sinergi.areas.tps_import import voter_limits
from sinergi.atlas.permissions import POLLING_STATION
from sinergi.core.errors import Forbidden, NotFound, ValidationFailed
from sinergi.core.formatting import number
from sinergi.core.history import changed_fields, history_record
from sinergi.core.models import Channel

EDITABLE = ("dpt_male", "dpt_female", "is_special", "lat", "lng", "address")


@transaction.atomic
def polling_station_update(
    *, actor: Any, code: str, changes: dict[str, Any], channel: str = Channel.WEB
) -> PollingStation:
    """Change a TPS's DPT, flag, coordinates or address; keeps the subtree counters exact."""
    # The access rule, re-checked on the locked row (the service is also called by the API and CLI).
    station = POLLING_STATION.visible(actor, PollingStation.objects.select_for_update()).filter(code=code).first()
    if station is None:
        raise NotFound(_("TPS %(code)s tidak ditemukan") % {"code": code})
    refusal = POLLING_STATION.write_refusal(actor, station)
    if refusal:
        raise Forbidden(refusal)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(_("isian ini tidak dapat diubah di sini: %(fields)s") % {"fields": ", ".join(unknown)}, field=unknown[0])
    before = {name: getattr(station, name) for name in EDITABLE}
    after = {**before, **changes}
    _validate(station, after)
    diff = changed_fields(before, after)
    if not diff:
        return station
    for name, value in after.items():
        setattr(station, name, value)
    station.dpt_total = station.dpt_male + station.dpt_female
    station.save()
    if "dpt_male" in diff or "dpt_female" in diff:
        rollup.recompute([station.desa_id])
    history_record(
        object_type="areas.pollingstation",
        object_key=code,
        action="updated",
        actor=actor,
        channel=channel,
        changes=diff,
        area_code=code,
    )
    return station


def _validate(station: PollingStation, values: dict[str, Any]) -> None:
    # Wrong types or lengths from the API (null, over-long text) are field errors, never a database error.
    if not isinstance(values["is_special"], bool):
        raise ValidationFailed(_("is_special harus true atau false"), field="is_special")
    address_max = PollingStation._meta.get_field("address").max_length or 255  # type: ignore[union-attr]
    if not isinstance(values["address"], str) or len(values["address"]) > address_max:
        raise ValidationFailed(_("alamat harus teks paling banyak %(limit)d karakter") % {"limit": address_max}, field="address")
    for name in ("dpt_male", "dpt_female"):
        if not isinstance(values[name], int) or isinstance(values[name], bool) or values[name] < 0:
            raise ValidationFailed(_("%(field)s harus jumlah pemilih berupa bilangan bulat, 0 atau lebih") % {"field": name}, field=name)
    limit = voter_limits({station.desa_id})[station.desa_id]
    if values["dpt_male"] + values["dpt_female"] > limit:
        raise ValidationFailed(
            _("DPT %(dpt)s melebihi batas %(limit)s pemilih per TPS")
            % {"dpt": number(values["dpt_male"] + values["dpt_female"]), "limit": number(limit)},
            field="dpt_male",
        )
    if (values["lat"] is None) != (values["lng"] is None):
        raise ValidationFailed(_("isi lat dan lng sekaligus, atau kosongkan keduanya"), field="lat")
    if values["lat"] is not None and not (-11.5 <= values["lat"] <= 6.5 and 94.5 <= values["lng"] <= 141.5):
        raise ValidationFailed(_("koordinat di luar Indonesia"), field="lat")
