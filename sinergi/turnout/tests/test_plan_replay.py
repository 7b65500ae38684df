import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command

from sinergi.areas.models import PollingStation
from sinergi.core.errors import Forbidden, NotFound
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.plan import final_voters, plan_day


def test_final_voters_hit_the_total_exactly_and_never_exceed_dpt():
    dpt = np.array([300, 450, 600, 520, 280] * 40)
    codes = [f"64.02.{k % 20 + 1:02d}.2001.{i:03d}" for k, i in enumerate(range(200))]
    voters = final_voters(codes, dpt, 70_000, seed=1)
    assert int(voters.sum()) == 70_000
    assert (voters <= dpt).all() and (voters >= 0).all()


def test_planned_day_is_monotone_and_ends_at_the_total():
    codes = [f"64.02.06.2001.{i:03d}" for i in range(1, 61)]
    plan = plan_day(codes, [400] * 60, total_voters=17_000, voting_date=dt.date(2024, 11, 27))
    finals = {r.tps_code: r.voters for r in plan if r.checkpoint == "final"}
    assert sum(finals.values()) == 17_000 and len(finals) == 60
    primary = [r for r in plan if r.reporter == "primary" and r.checkpoint != "final"]
    by_tps: dict[str, list[int]] = {}
    for r in sorted(primary, key=lambda r: r.checkpoint):
        by_tps.setdefault(r.tps_code, []).append(r.voters)
    assert all(v == sorted(v) and v[-1] <= finals[c] for c, v in by_tps.items())
    assert [r.local_at for r in plan] == sorted(r.local_at for r in plan)


@pytest.mark.django_db
def test_replay_command_plays_the_day_into_an_election(election, operator):
    call_command("replay_voting_day", election=election.slug, speed=0, turnout=50, reporter="kpu.kukar")
    dpt = sum(PollingStation.objects.within("64.02").values_list("dpt_total", flat=True))
    final = Slot.objects.filter(checkpoint__election=election, checkpoint__is_final=True)
    assert sum(v or 0 for v in final.values_list("voters", flat=True)) == int(dpt * 50 / 100)
    assert Report.objects.exists()
    call_command("replay_voting_day", election=election.slug, speed=0, turnout=50, reporter="kpu.kukar", reset=True)
    assert not Slot.objects.filter(versions__gt=2).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "refusal"), [("outsider", NotFound), ("coordinator", Forbidden)])
def test_replay_command_reports_only_as_someone_who_may(election, personas, persona, refusal):
    reporter = getattr(personas, persona).username
    with pytest.raises(refusal):
        call_command("replay_voting_day", election=election.slug, speed=0, turnout=50, reporter=reporter)
    assert not Report.objects.exists()
