"""Money is Decimal rupiah, never float."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from sinergi.core import formatting
from sinergi.core.errors import ValidationFailed

RUPIAH_DIGITS = 18  # up to Rp 9,999 trillion with two decimal places
RUPIAH_PLACES = 2
_CENT = Decimal("0.01")


def to_rupiah(value: object, *, field: str = "amount") -> Decimal:
    """Parse a rupiah amount exactly; refuse floats, which cannot hold money."""
    if isinstance(value, float):
        raise ValidationFailed(_("jumlah harus diberikan sebagai teks atau Decimal, bukan float"), field=field)
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise ValidationFailed(_("'%(value)s' bukan jumlah rupiah") % {"value": value}, field=field) from None
    if not amount.is_finite():
        raise ValidationFailed(_("'%(value)s' bukan jumlah rupiah") % {"value": value}, field=field)
    if amount.adjusted() >= RUPIAH_DIGITS - RUPIAH_PLACES:
        # Beyond what the columns hold (and beyond what quantize can do in 28 digits: InvalidOperation).
        raise ValidationFailed(_("jumlah lebih besar dari yang dapat disimpan sistem"), field=field)
    if amount != amount.quantize(_CENT):
        raise ValidationFailed(_("jumlah rupiah paling banyak dua angka desimal"), field=field)
    return amount.quantize(_CENT)


def format_rupiah(amount: Decimal | int) -> str:
    """Rp 103.660.000.000 in Indonesian, Rp 103,660,000,000 in English (core.formatting.rupiah)."""
    return formatting.rupiah(amount)


def format_percent(value: Decimal | float | None, places: int = 2) -> str:
    """79,50 % in Indonesian, 79.50 % in English (core.formatting.percent)."""
    return formatting.percent(value, places)
