"""Properties of the incidents' pure modules: the duplicate-suggestion similarity and the service
levels (acknowledgement deadlines, where an escalated report sits)."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.areas.codes import depth_of, is_within
from sinergi.incidents import similarity, sla
from sinergi.incidents.sms_format import SmsFormatError, normalise_area_code, parse

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)
REPORT = st.lists(WORD | st.sampled_from(sorted(similarity.STOPWORDS)), max_size=12).map(" ".join)


@given(REPORT, REPORT)
def test_similarity_is_symmetric_and_between_zero_and_one(a, b):
    score = similarity.similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == similarity.similarity(b, a)


def test_two_identical_one_word_reports_are_the_same_event():
    """Found by the property below: with no trigram to compare, "aa" scored 0.5 against itself."""
    assert similarity.similarity("aa", "aa") == 1.0 and similarity.similarity("aa", "bb") == 0.0


@given(REPORT)
def test_a_report_is_its_own_best_match_unless_it_is_only_filler(text):
    expected = 1.0 if similarity.words(text) else 0.0
    assert similarity.similarity(text, text) == expected
    assert similarity.similarity(text, text.upper() + " !!") == expected  # case and punctuation do not count


@given(REPORT, st.lists(REPORT, max_size=8), st.floats(min_value=0, max_value=1))
def test_rank_keeps_what_passes_the_threshold_best_first(text, others, threshold):
    candidates = list(enumerate(others))
    ranked = similarity.rank(text, candidates, threshold=threshold)
    scores = [score for _key, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(score >= threshold for score in scores)
    kept = {key for key, _score in ranked}
    assert kept == {key for key, other in candidates if similarity.similarity(text, other) >= threshold}


def test_typos_and_affixes_still_read_as_the_same_event():
    original = "Ada pembagian amplop uang kepada warga di dekat TPS 03 pagi ini"
    retold = "pembagian amplop uang ke warga dekat tps 3 tadi pagi"
    unrelated = "Kotak suara rusak karena hujan deras, petugas memindahkan TPS"
    assert similarity.similarity(original, retold) >= 0.35 > similarity.similarity(original, unrelated)
    assert [key for key, _ in similarity.rank(original, [(1, unrelated), (2, retold)])] == [2]


# --- service levels ---------------------------------------------------------------------------------

DESA = st.tuples(
    st.integers(10, 99), st.integers(1, 99), st.integers(1, 99), st.integers(1000, 3999)
).map(lambda parts: f"{parts[0]:02d}.{parts[1]:02d}.{parts[2]:02d}.{parts[3]:04d}")


@given(DESA, st.integers(min_value=0, max_value=6))
def test_escalation_climbs_one_level_at_a_time_and_stops_at_the_regency(desa, level):
    here = sla.level_area(desa, level)
    assert is_within(desa, here)
    assert depth_of(here) == max(2, depth_of(desa) - level)
    if level < sla.MAX_LEVEL:
        assert depth_of(sla.level_area(desa, level + 1)) == depth_of(here) - 1


def test_the_graver_the_report_the_sooner_it_must_be_acknowledged():
    received = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)
    dues = [sla.ack_due(received, severity) for severity in (1, 2, 3, 4)]
    assert dues == sorted(dues, reverse=True) and len(set(dues)) == 4
    assert all(due > received for due in dues)


def test_a_deployment_may_shorten_the_service_levels(settings):
    settings.SINERGI_INCIDENT_ACK_MINUTES = {4: 10}
    assert sla.ack_minutes(4) == 10
    assert sla.ack_minutes(1) == sla.DEFAULT_ACK_MINUTES[1]  # the others keep their defaults
    with pytest.raises(KeyError):
        sla.ack_minutes(5)


# --- the SMS format ---------------------------------------------------------------------------------


@given(DESA, st.integers(min_value=1, max_value=999), st.sampled_from([".", "-", "/", ""]), st.booleans())
def test_a_tps_code_is_read_dotted_or_as_kpu_digits_with_any_separator(desa, number, separator, dotted):
    written = (desa if dotted else desa.replace(".", "")) + separator + str(number)
    assert normalise_area_code(written) == (desa, f"{desa}.{number:03d}")
    assert normalise_area_code(f" {desa}, ") == (desa, None)
    assert normalise_area_code(desa.replace(".", "")) == (desa, None)


@given(DESA, WORD, st.lists(WORD, min_size=2, max_size=6))
def test_a_report_sms_keeps_its_code_keyword_and_words(desa, keyword, words):
    parsed = parse(["#", desa, keyword + ":", *words])  # "LAPOR # <code> <keyword>: ..." as typed
    assert (parsed.desa_code, parsed.tps_code) == (desa, None)
    assert parsed.keyword == keyword.upper() and parsed.text == " ".join(words)


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["64.02.06.1001"],  # no keyword
        ["64.02.06.1001", "UANG", "amplop"],  # one word is not a report
        ["٦٤٠٢٠٦١٠٠١", "UANG", "pembagian", "amplop"],  # Arabic-Indic digits are no area code
        ["64.02.06.1001.1234", "UANG", "pembagian", "amplop"],  # a four-digit TPS number
    ],
)
def test_what_is_wrong_with_an_sms_is_said(words):
    with pytest.raises(SmsFormatError):
        parse(words)


# --- the triage state machine (data) ------------------------------------------------------------------


def test_every_state_is_reachable_from_new_and_every_report_can_be_closed_and_reopened():
    from sinergi.incidents.triage import OPEN_STATES, STATE_LABELS, TRANSITIONS, State

    reached, frontier = {State.NEW}, [State.NEW]
    while frontier:
        here = frontier.pop()
        for transition in TRANSITIONS.values():
            if here in transition.sources and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(STATE_LABELS)
    closed = set(STATE_LABELS) - set(OPEN_STATES)
    for state in OPEN_STATES:  # an open report always has a way out ...
        assert any(state in t.sources and t.target in closed for t in TRANSITIONS.values()), state
    for state in closed:  # ... and a closed one a way back, with a reason
        assert any(state in t.sources and t.target in OPEN_STATES and t.note_required for t in TRANSITIONS.values())
    # Rejecting, resolving and reopening are explained, and every transition names who may make it.
    assert {a for a, t in TRANSITIONS.items() if t.note_required} == {"reject", "resolve", "reopen"}
    assert all(t.roles for t in TRANSITIONS.values())
