import pytest

from sinergi.core.errors import NotFound, ValidationFailed
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import TPS, at

pytestmark = pytest.mark.django_db


def submit(election, actor, *items, when=None, **kw):
    return reports_submit(election=election, items=list(items), actor=actor, at=when or at(9, 5), **kw)


def test_slots_are_precreated_for_every_tps_and_checkpoint(election):
    # 3 desa in Kukar x 3 TPS x 4 checkpoints
    assert Slot.objects.filter(checkpoint__election=election).count() == 9 * 4
    assert Slot.objects.filter(voters__isnull=False).count() == 0


def test_retry_with_same_client_id_is_stored_once(election, operator):
    item = ReportInput(tps_code=TPS, checkpoint="09", voters=80, client_id="dev-1")
    [first] = submit(election, operator, item)
    [again] = submit(election, operator, item)
    assert not first.duplicate and again.duplicate
    assert again.version == first.version == 1
    assert Report.objects.count() == 1


def test_batch_with_retried_and_new_items(election, operator):
    submit(election, operator, ReportInput(tps_code=TPS, checkpoint="09", voters=80, client_id="a"))
    results = submit(
        election,
        operator,
        ReportInput(tps_code=TPS, checkpoint="09", voters=80, client_id="a"),
        ReportInput(tps_code="64.02.06.1001.002", checkpoint="09", voters=70, client_id="b"),
    )
    assert [r.duplicate for r in results] == [True, False]
    assert Report.objects.count() == 2


def test_correction_is_a_new_version_and_latest_counts(election, operator):
    submit(election, operator, ReportInput(tps_code=TPS, checkpoint="09", voters=80))
    [fixed] = submit(election, operator, ReportInput(tps_code=TPS, checkpoint="09", voters=85, is_correction=True))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="09")
    assert fixed.version == 2 and slot.voters == 85 and slot.versions == 2
    assert list(slot.reports.order_by("version").values_list("voters", flat=True)) == [80, 85]
    assert slot.current is not None and slot.current.version == 2


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (ReportInput(tps_code=TPS, checkpoint="09", voters=-1), "reports[0].voters"),
        (ReportInput(tps_code=TPS, checkpoint="17", voters=10), "reports[0].checkpoint"),
        (ReportInput(tps_code="64.02.06", checkpoint="09", voters=10), "reports[0].tps_code"),
        (ReportInput(tps_code=TPS, checkpoint="09", voters=10, voters_male=3, voters_female=3), "reports[0].voters"),
        (ReportInput(tps_code=TPS, checkpoint="09", voters=10, valid_ballots=10), "reports[0].valid_ballots"),
    ],
)
def test_impossible_input_is_refused_naming_the_field(election, operator, item, field):
    with pytest.raises(ValidationFailed) as caught:
        submit(election, operator, item)
    assert field in [e.field for e in caught.value.errors]
    assert Report.objects.count() == 0


def test_unknown_tps_refuses_the_whole_batch(election, operator):
    with pytest.raises(NotFound, match=r"64\.02\.06\.1001\.099"):
        submit(
            election,
            operator,
            ReportInput(tps_code=TPS, checkpoint="09", voters=10),
            ReportInput(tps_code="64.02.06.1001.099", checkpoint="09", voters=10),
        )
    assert Report.objects.count() == 0


def test_tps_outside_the_election_region_is_unknown(election, operator):
    with pytest.raises(NotFound):
        submit(election, operator, ReportInput(tps_code="64.72.01.1001.001", checkpoint="09", voters=10))


def test_final_report_keeps_the_c_hasil_numbers(election, operator):
    item = ReportInput(
        tps_code=TPS,
        checkpoint="final",
        voters=200,
        voted_dpt=190,
        voted_dptb=6,
        voted_dpk=4,
        valid_ballots=195,
        invalid_ballots=5,
    )
    [result] = submit(election, operator, item, when=at(15))
    assert result.flags == []
    report = Report.objects.get()
    assert (report.voted_dptb, report.voted_dpk, report.valid_ballots) == (6, 4, 195)
