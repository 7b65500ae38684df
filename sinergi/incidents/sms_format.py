"""Parsing `LAPOR <desa or TPS code> <category keyword> <text>`: pure, no ORM.

Forgiving on purpose (an SMS typed at a TPS): any case, extra spaces, codes dotted or as KPU's
undotted digits, a leading "#" or ":" after the keyword. What is wrong is said plainly.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# ASCII digits only: a bare \d also takes Arabic-Indic and other digits, which no area code has.
_DESA = re.compile(r"(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})", re.ASCII)
_TPS = re.compile(r"(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})[.\-/]?(\d{1,3})", re.ASCII)
MIN_TEXT_WORDS = 2


@dataclass(frozen=True)
class ParsedReport:
    desa_code: str
    tps_code: str | None
    keyword: str
    text: str


class SmsFormatError(Exception):
    pass


def normalise_area_code(raw: str) -> tuple[str, str | None] | None:
    """(desa code, TPS code or None) from a dotted or undotted code; None if it is neither."""
    raw = raw.strip().strip(",;:")
    desa = _DESA.fullmatch(raw)
    if desa:
        return ".".join(desa.groups()), None
    tps = _TPS.fullmatch(raw)
    if tps:
        desa_code = ".".join(tps.groups()[:4])
        return desa_code, f"{desa_code}.{int(tps.group(5)):03d}"
    return None


def parse(words: list[str]) -> ParsedReport:
    """`words` are the SMS words after the keyword LAPOR."""
    words = [w for w in words if w.strip(":#")]
    if not words:
        raise SmsFormatError(_("kode desa/TPS, kata kunci kategori dan isi laporan belum ada"))
    area = normalise_area_code(words[0])
    if area is None:
        raise SmsFormatError(
            _("kode wilayah '%(code)s' tidak dikenali; tulis kode desa (10 angka) atau TPS (13 angka)") % {"code": words[0]}
        )
    if len(words) < 2:
        raise SmsFormatError(_("kata kunci kategori belum ada"))
    text = " ".join(words[2:]).strip()
    if len(text.split()) < MIN_TEXT_WORDS:
        raise SmsFormatError(_("isi laporan terlalu pendek; ceritakan apa yang terjadi"))
    return ParsedReport(area[0], area[1], words[1].upper().strip(":#.,"), text)
