"""Kemendagri area codes and TPS codes: pure functions, no ORM.

`64` provinsi, `64.02` kabupaten/kota, `64.02.06` kecamatan, `64.02.06.1001` desa/kelurahan
(first digit of the last part: 1 kelurahan, 2 desa, 3 desa adat), `64.02.06.1001.012` TPS.
The code is the path: everything inside an area starts with `code + "."`.
"""

import re

NATIONAL_CODE = "ID"

LEVELS = ("nasional", "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")

# ASCII digits only (a bare \d also takes Arabic-Indic and other digits), matched whole (`$` alone
# also matches before a trailing newline).
_LEVEL_PATTERNS = {
    "provinsi": re.compile(r"\d{2}", re.ASCII),
    "kabupaten_kota": re.compile(r"\d{2}\.\d{2}", re.ASCII),
    "kecamatan": re.compile(r"\d{2}\.\d{2}\.\d{2}", re.ASCII),
    "desa_kelurahan": re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", re.ASCII),
}
_TPS_PATTERN = re.compile(r"(\d{2}\.\d{2}\.\d{2}\.\d{4})\.(\d{3})", re.ASCII)
_UNDOTTED_TPS = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{4})(\d{3})", re.ASCII)


def level_of(code: str) -> str | None:
    """The level a code's shape implies, or None if it is not a valid area code."""
    if code == NATIONAL_CODE:
        return "nasional"
    return next((level for level, pattern in _LEVEL_PATTERNS.items() if pattern.fullmatch(code)), None)


def parent_of(code: str) -> str | None:
    if code == NATIONAL_CODE:
        return None
    return code.rsplit(".", 1)[0] if "." in code else NATIONAL_CODE


def ancestors_of(code: str) -> list[str]:
    """From the nation down to the direct parent: `64.02.06` -> [ID, 64, 64.02]."""
    chain: list[str] = []
    parent = parent_of(code)
    while parent is not None:
        chain.append(parent)
        parent = parent_of(parent)
    return list(reversed(chain))


def depth_of(code: str) -> int:
    """0 for the nation, 1 for a provinsi ... 4 for a desa: sorts ancestors top-down (by code, `ID`
    would come last, after the digits)."""
    return 0 if code == NATIONAL_CODE else code.count(".") + 1


KECAMATAN_DEPTH = LEVELS.index("kecamatan")
DESA_DEPTH = LEVELS.index("desa_kelurahan")


def ancestor_at(code: str, depth: int) -> str:
    """The area at `depth` (1 provinsi ... 4 desa) that holds `code`, or `code` itself when it is no deeper:
    `ancestor_at("64.02.06.2001.003", DESA_DEPTH)` -> `64.02.06.2001`, the TPS's desa."""
    if depth <= 0:
        return NATIONAL_CODE
    return code if depth_of(code) <= depth else ".".join(code.split(".")[:depth])


def lineage_of(code: str) -> list[str]:
    """The areas from the provinsi down to `code` itself: `64.02.06` -> [64, 64.02, 64.02.06]."""
    return [] if code == NATIONAL_CODE else [*ancestors_of(code)[1:], code]


def is_within(code: str, scope: str) -> bool:
    """True when `code` is `scope` itself or lies inside it."""
    return scope == NATIONAL_CODE or code == scope or code.startswith(scope + ".")


def normalise_tps_code(text: str) -> str | None:
    """Accept dotted (`64.02.06.1001.012`) or KPU's undotted digits; None if neither."""
    text = text.strip()
    if _TPS_PATTERN.fullmatch(text):
        return text
    undotted = _UNDOTTED_TPS.fullmatch(text)
    return ".".join(undotted.groups()) if undotted else None


def tps_code(desa_code: str, number: int) -> str:
    return f"{desa_code}.{number:03d}"


def split_tps_code(code: str) -> tuple[str, int]:
    match = _TPS_PATTERN.fullmatch(code)
    if not match:
        raise ValueError(f"not a TPS code: {code!r}")
    return match.group(1), int(match.group(2))


def desa_kind(code: str) -> str:
    return {"1": "kelurahan", "2": "desa", "3": "desa_adat"}.get(code.rsplit(".", 1)[-1][:1], "desa")
