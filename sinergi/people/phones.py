"""Indonesian mobile numbers in E.164.

Accepted notations: 0812..., 62812..., +62812..., 812..., with spaces, dashes, dots or brackets,
and the "(0)" some people write after the country code (+62 (0)812...). Anything else is refused
with a reason in Indonesian: letters, a landline (021..., 0541...), a foreign number, too few or
too many digits, or an Indonesian prefix that is not a mobile one.
"""

import re

from django.utils.translation import gettext as _

# An Indonesian mobile number is 08 + 8 to 11 digits nationally: in E.164 +62 8 followed by 8-11
# digits (the national significant number is 9 to 12 digits). 0800/0809 are toll-free/premium.
_SEPARATORS = re.compile(r"[\s\-.()/]")
_NSN_MIN = 9
_NSN_MAX = 12


def to_e164(raw: str) -> str:
    """`raw` as +628..., or ValueError with an Indonesian reason."""
    text = (raw or "").strip()
    if not text:
        raise ValueError(_("nomor telepon kosong"))
    plus = text.startswith("+")
    body = _SEPARATORS.sub("", text[1:] if plus else text)
    if not body.isascii() or not body.isdigit():
        raise ValueError(_("nomor telepon hanya boleh berisi angka, spasi, tanda hubung dan + di depan"))
    if plus and not body.startswith("62"):
        raise ValueError(_("bukan nomor Indonesia: kode negara harus +62"))
    if body.startswith("62"):
        national = body[2:]
        if national.startswith("0"):
            national = national[1:]  # +62 (0)812...
    elif body.startswith("0"):
        if body.startswith("00"):
            raise ValueError(_("awalan internasional 00 tidak diterima; tulis +62 atau 08"))
        national = body[1:]
    elif body.startswith("8"):
        national = body
    else:
        raise ValueError(_("nomor harus diawali 08, 62 atau +62"))
    if not national.startswith("8"):
        raise ValueError(_("bukan nomor seluler: nomor seluler Indonesia diawali 08 (ini nomor telepon rumah/kantor?)"))
    if len(national) > 1 and national[1] in "09":
        raise ValueError(_("080x bukan nomor seluler (nomor bebas pulsa/premium)"))
    if len(national) < _NSN_MIN:
        raise ValueError(_("nomor terlalu pendek: nomor seluler 08 diikuti 8 sampai 11 angka"))
    if len(national) > _NSN_MAX:
        raise ValueError(_("nomor terlalu panjang: nomor seluler 08 diikuti 8 sampai 11 angka"))
    return "+62" + national


def to_e164_or_none(raw: str) -> str | None:
    try:
        return to_e164(raw)
    except ValueError:
        return None


def display(e164: str) -> str:
    """+6281234567890 -> 0812-3456-7890 (how people write it)."""
    national = "0" + e164[3:] if e164.startswith("+62") else e164
    return "-".join([national[:4], national[4:8], national[8:]]).rstrip("-")
