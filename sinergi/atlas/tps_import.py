"""A TPS list imported as a user (`sinergi import-tps --as-user`): held to that user's rule."""

from pathlib import Path
from typing import Any

from sinergi.accounts.access import read_only_refusal
from sinergi.areas.tps_import import TpsImportResult, apply_tps, import_tps, read_tps
from sinergi.atlas.permissions import AREAS
from sinergi.core.errors import ImportFailed, RowError


def import_tps_guarded(
    path: Path, *, actor: Any = None, delete_removed: bool = False, note: str = ""
) -> TpsImportResult:
    """Without an actor, the system's import; with one, a file holding any TPS the actor may not
    correct is refused whole, naming each such row."""
    if actor is None:
        return import_tps(path, delete_removed=delete_removed, note=note)
    rows = read_tps(path)
    outside = [
        RowError(r.line, "desa_code", f"{r.code}: {read_only_refusal(AREAS, 'TPS')}")
        for r in rows
        if not AREAS.can_write(actor, r.code)
    ]
    if outside:
        raise ImportFailed(outside)
    return apply_tps(path, rows, actor=actor, delete_removed=delete_removed, note=note)
