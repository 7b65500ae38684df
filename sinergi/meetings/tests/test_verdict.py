"""The meetings module's verdict and attention items for the situation room (hand-made cases)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from sinergi.core.situation import ATTENTION, READY
from sinergi.meetings import situation


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (dict(total=0, open_=0, overdue=0), None),
        (
            dict(total=20, open_=16, overdue=16),
            (ATTENTION, "16 dari 16 tindak lanjut rapat yang terbuka lewat tenggat."),
        ),
        (dict(total=20, open_=4, overdue=0), (READY, "4 tindak lanjut rapat berjalan, tidak ada yang lewat tenggat.")),
        (dict(total=20, open_=0, overdue=0), (READY, "Seluruh tindak lanjut rapat selesai.")),
    ],
)
def test_verdict_rule(counts, expected):
    assert situation.verdict_rule(**counts) == expected


def test_an_overdue_follow_up_ages_from_its_due_date_and_is_not_actionable_now():
    action = SimpleNamespace(
        pk=7,
        title="Tanda tangan NPHD Kodim 0906",
        due_date=dt.date(2024, 9, 20),
        area_id="64.02",
        responsible_agency=SimpleNamespace(name="Kodim 0906"),
    )
    item = situation._item(action, dt.date(2026, 11, 30))  # type: ignore[arg-type]
    assert item.urgency == 95 and item.since == dt.date(2024, 9, 20) and not item.actionable
    assert item.title == "Tindak lanjut: Tanda tangan NPHD Kodim 0906"
    assert item.detail == "lewat tenggat 801 hari · Kodim 0906"
