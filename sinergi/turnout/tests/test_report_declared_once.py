"""A turnout report's fields are declared once (`services.ReportInput`); the API and the form follow it."""

import dataclasses

from sinergi.turnout.api import TurnoutReportIn, TurnoutReportsIn
from sinergi.turnout.forms import ReportForm
from sinergi.turnout.services import ReportInput

DECLARED = [field.name for field in dataclasses.fields(ReportInput)]


def test_the_api_takes_the_declared_fields_in_a_batch_and_at_the_top_level():
    assert list(TurnoutReportIn.model_fields) == DECLARED
    assert set(TurnoutReportsIn.model_fields) == {*DECLARED, "election", "reports"}
    required = {name for name, info in TurnoutReportIn.model_fields.items() if info.is_required()}
    assert required == {"tps_code", "checkpoint", "voters"}
    assert not any(info.is_required() for info in TurnoutReportsIn.model_fields.values())


def test_the_form_shows_the_declared_fields_in_their_order():
    form = ReportForm(checkpoints=[])
    assert list(form.fields) == DECLARED
    assert form.fields["voters"].required and not form.fields["voted_dpt"].required


def test_a_valid_form_gives_exactly_what_the_service_takes():
    form = ReportForm({"tps_code": "64.02.06.1001.001", "checkpoint": "11", "voters": "120"}, checkpoints=[])
    form.fields["checkpoint"].choices = [("11", "11.00")]  # type: ignore[attr-defined]
    assert form.is_valid(), form.errors
    item = ReportInput(**form.cleaned_data)
    assert (item.tps_code, item.voters, item.voted_dpt) == ("64.02.06.1001.001", 120, None)


def test_a_single_report_and_a_batch_parse_to_the_same_fields():
    single = TurnoutReportsIn.model_validate({"tps_code": "64.02.06.1001.001", "checkpoint": "11", "voters": 5})
    batch = TurnoutReportsIn.model_validate(
        {"reports": [{"tps_code": "64.02.06.1001.001", "checkpoint": "11", "voters": 5}]}
    )
    assert single.model_dump(include=set(DECLARED)) == batch.reports[0].model_dump()
