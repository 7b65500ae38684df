"""The record the Kukar demo follows (`core/data/kukar_record.json`): the facts the demo states,
each with where the record says it (../shared/DOMAIN.md, or issue 15's report of the rakor).

Shipped inside the project so that the demo loaders can take their facts from one place and CI,
which has no shared/ folder, can check the loaded demo against them (core/tests/test_demo_record.py).
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

RECORD_PATH = Path(__file__).parent / "data" / "kukar_record.json"


@dataclass(frozen=True)
class Record:
    facts: dict[str, dict[str, Any]]

    def value(self, key: str) -> Any:
        return self.facts[key]["value"]

    def rupiah(self, key: str) -> Decimal:
        return Decimal(self.facts[key]["value"])

    def day(self, key: str) -> dt.date:
        return dt.date.fromisoformat(self.facts[key]["value"])

    @cached_property
    def rakor(self) -> dict[str, Any]:
        """The rakor lintas sektoral of 3 September 2024 as the meetings demo records it."""
        people = [self.facts[key] for key in ("kapolres_kukar", "dandim_0906")]
        return {
            "date": self.day("rakor_date"),
            "starts": dt.time(9, 0),  # not in the record: the demo's own
            "ends": dt.time.fromisoformat(self.value("rakor_ends")),
            "chair": self.value("rakor_chair"),
            "attendees": [{"agency": p["agency"], "name": p["value"], "title": p["title"]} for p in people],
        }


def record_load(path: Path = RECORD_PATH) -> Record:
    return Record(json.loads(path.read_text(encoding="utf-8"))["facts"])


RECORD = record_load()
