"""A TPS list imported as a user (`sinergi import-tps --as-user`): held to that user's rule."""

from pathlib import Path
from typing import Any

from sinergi.accounts.access import read_only_refusal
from sinergi.areas.codes import is_within
from sinergi.areas.tps_import import CHUNK_SIZE, TpsImportResult, TpsRow, apply_tps, import_tps
from sinergi.atlas.permissions import AREAS
from sinergi.core.errors import RowError


def import_tps_guarded(
    path: Path, *, actor: Any = None, delete_removed: bool = False, note: str = "", chunk_size: int = CHUNK_SIZE
) -> TpsImportResult:
    """Without an actor, the system's import; with one, a file holding any TPS the actor may not
    correct is refused whole, naming each such row."""
    if actor is None:
        return import_tps(path, delete_removed=delete_removed, note=note, chunk_size=chunk_size)
    scopes = AREAS.write_scopes(actor)  # asked once, not per row of a national file
    refusal = read_only_refusal(AREAS, "TPS")

    def refuse(row: TpsRow) -> RowError | None:
        if any(is_within(row.code, scope) for scope in scopes):
            return None
        return RowError(row.line, "desa_code", f"{row.code}: {refusal}")

    return apply_tps(path, actor=actor, refuse=refuse, delete_removed=delete_removed, note=note, chunk_size=chunk_size)
