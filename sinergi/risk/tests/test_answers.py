"""Checklist answers (risk.schemes.normalise_answers) against the real Pilkada 2024 instrument: every
refusal names the indicator at fault, and any well-formed set of answers is kept as given."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.core.errors import ValidationFailed
from sinergi.risk.models import AnswerType, Indicator
from sinergi.risk.schemes import MAX_COUNT, normalise_answers, yes_codes
from sinergi.risk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument():
    return factories.pilkada()


@pytest.fixture
def kinds(instrument) -> dict[str, str]:
    return dict(Indicator.objects.filter(instrument=instrument).values_list("code", "answer_type"))


def code_of(kinds: dict[str, str], answer_type: str) -> str:
    return next(code for code, kind in sorted(kinds.items()) if kind == answer_type)


def refusal(instrument, answers) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        normalise_answers(instrument, answers)
    return refused.value


def test_unknown_and_missing_indicators_are_named(instrument):
    answers = factories.all_no(instrument)
    error = refusal(instrument, {**answers, "9.9": True, "0.1": False})
    assert error.field == "answers" and "0.1, 9.9" in str(error)
    del answers["2.1"], answers["1.1"]
    error = refusal(instrument, answers)
    assert error.field == "answers" and "1.1, 2.1" in str(error)  # in the instrument's order


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (-1, AnswerType.COUNT),  # below zero
        (MAX_COUNT + 1, AnswerType.COUNT),  # a typing error, not a count
        (2.5, AnswerType.COUNT),  # not a whole number
        ("3", AnswerType.COUNT),  # text is not a count
        ({"yes": False, "count": 4}, AnswerType.COUNT),  # "no" with four incidents
        ({"yes": True, "count": 0}, AnswerType.COUNT),  # "yes" with none
        (2, AnswerType.YES_NO),  # a yes/no indicator does not count
        ({"count": None}, AnswerType.YES_NO),  # neither yes nor no
        (None, AnswerType.YES_NO),
    ],
)
def test_a_bad_answer_is_refused_naming_its_indicator(instrument, kinds, answer, kind):
    code = code_of(kinds, kind)
    error = refusal(instrument, {**factories.all_no(instrument), code: answer})
    assert error.field == code and code in str(error)


def test_the_short_forms_mean_what_they_say(instrument, kinds):
    count_code, yes_no_code = code_of(kinds, AnswerType.COUNT), code_of(kinds, AnswerType.YES_NO)
    answers = normalise_answers(instrument, {**factories.all_no(instrument), count_code: 3, yes_no_code: True})
    assert answers[count_code] == {"yes": True, "count": 3}
    assert answers[yes_no_code] == {"yes": True, "count": None}
    assert yes_codes(answers) == sorted([count_code, yes_no_code], key=list(answers).index)
    # 0 and 1 are also accepted for a yes/no indicator (a spreadsheet's 0/1 column).
    assert normalise_answers(instrument, {**factories.all_no(instrument), yes_no_code: 1})[yes_no_code]["yes"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_any_well_formed_answers_are_kept_as_given(instrument, kinds, data):
    given_answers, expected = {}, {}
    for code, kind in kinds.items():
        if kind == AnswerType.COUNT:
            count = data.draw(st.integers(0, MAX_COUNT))
            given_answers[code] = data.draw(st.sampled_from([count, {"count": count}, {"yes": count > 0, "count": count}]))
            expected[code] = {"yes": count > 0, "count": count}
        else:
            yes = data.draw(st.booleans())
            given_answers[code] = data.draw(st.sampled_from([yes, {"yes": yes}, int(yes)]))
            expected[code] = {"yes": yes, "count": None}
    answers = normalise_answers(instrument, given_answers)
    assert answers == expected
    assert list(answers) == sorted(answers, key=lambda c: tuple(int(p) for p in c.split(".")))
