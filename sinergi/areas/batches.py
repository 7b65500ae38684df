import hashlib
from pathlib import Path
from typing import Any

from sinergi.areas.codes import is_within
from sinergi.areas.models import ImportBatch


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:  # read in blocks: a national file is not held in memory
        return hashlib.file_digest(handle, "sha256").hexdigest()


def batch_open(
    kind: str, path: Path, actor: Any, summary: dict, *, note: str = "", regencies: list[str] | None = None
) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind,
        file_name=path.name,
        sha256=file_sha256(path),
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary,
        note=note,
        regencies=regencies or [],
    )


def provenance_notes(area_code: str) -> list[str]:
    """Notes of the TPS imports that touched this area (e.g. 'synthetic, calibrated stand-in')."""
    batches = ImportBatch.objects.exclude(note="").filter(kind="tps").values_list("note", "regencies")
    return sorted(
        {
            note
            for note, regencies in batches
            if any(is_within(area_code, r) or is_within(r, area_code) for r in regencies)
        }
    )
