"""Answer, clarify or hand over: crafted cases for the decision and for negation."""
from __future__ import annotations

import pytest

from bot.policy.analysis import ConceptMatcher, read_words
from bot.policy.decision import Outcome, Ranked, decide
from bot.policy.engine import PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict
from bot.policy.settings import Settings

A, N, K = Verdict.ALLOWED, Verdict.NOT_ALLOWED, Verdict.ASK_FIRST

PUBLISHED = PolicyEntry(
    "results-published", "Can I share our sales results once they are published?",
    "Yes, once the report is out you can share it.",
    "Czy mogę udostępnić wyniki sprzedaży po ich publikacji?",
    "Tak, po publikacji raportu możesz je udostępnić.", ("results", "published"), A)
UNPUBLISHED = PolicyEntry(
    "results-unpublished", "Can I share our sales results before they are published?",
    "No. Never share figures before the official report.",
    "Czy mogę udostępnić wyniki sprzedaży przed ich publikacją?",
    "Nie. Nie udostępniaj liczb przed oficjalnym raportem.", ("results", "unpublished"), N)
TEAM_PHOTOS = PolicyEntry(
    "team-photos", "Can I post photos from team events?", "Yes, team event photos are welcome.",
    "Czy mogę publikować zdjęcia z wydarzeń zespołowych?", "Tak, zdjęcia są mile widziane.",
    ("photos", "team-events"), A)
GUEST_PHOTOS = PolicyEntry(
    "guest-photos", "Can I post photos from team events with guests?",
    "No, never post photos where guests appear.",
    "Czy mogę publikować zdjęcia z wydarzeń zespołowych z gośćmi?",
    "Nie, nie publikuj zdjęć, na których są goście.", ("photos", "team-events", "guests"), N)
OFFICE_PHOTOS = PolicyEntry(
    "office-photos", "Can I post photos of the office?", "Ask the office manager first.",
    "Czy mogę publikować zdjęcia biura?", "Najpierw zapytaj kierownika biura.", ("photos", "office"), K)
HASHTAGS = PolicyEntry("hashtags", "Which hashtags should I use?", "Use #Example.",
                       "Jakich hashtagów używać?", "Używaj #Example.", ("hashtags",))


@pytest.fixture(scope="module")
def index():
    return PolicyIndex.build([PUBLISHED, UNPUBLISHED, TEAM_PHOTOS, GUEST_PHOTOS, OFFICE_PHOTOS,
                              HASHTAGS])


def ranked(*rows: tuple[float, Verdict | None, float]) -> list[Ranked]:
    return [Ranked(i, score, verdict, confidence) for i, (score, verdict, confidence) in enumerate(rows)]


# -- the decision on synthetic rankings ---------------------------------------------------

def test_a_clear_winner_is_answered():
    decision = decide(ranked((10, A, 0.9), (5, N, 0.9)), Settings())
    assert (decision.outcome, decision.docs) == (Outcome.ANSWER, (0,))


def test_an_allowed_best_needs_to_beat_a_stricter_candidate_by_more_than_a_close_one():
    assert decide(ranked((10, A, 0.9), (7.5, N, 0.9)), Settings()).outcome is Outcome.CLARIFY
    assert decide(ranked((10, N, 0.9), (7.5, A, 0.9)), Settings()).outcome is Outcome.ANSWER


def test_an_unclear_winner_offers_at_most_three_choices_best_first():
    decision = decide(ranked(*[(10 - i * 0.3, N, 0.8) for i in range(5)]), Settings())
    assert decision.outcome is Outcome.CLARIFY and decision.docs == (0, 1, 2)


def test_a_close_candidate_explaining_much_less_of_the_question_is_no_rival():
    assert decide(ranked((10, K, 1.0), (9, K, 0.5)), Settings()).outcome is Outcome.ANSWER


def test_weak_evidence_hands_over_and_never_offers_an_allowed_choice():
    assert decide(ranked((10, N, 0.05)), Settings()).outcome is Outcome.HAND_OVER
    assert decide(ranked((10, A, 0.2)), Settings()).outcome is Outcome.HAND_OVER
    weak = decide(ranked((10, A, 0.2), (9, N, 0.2), (8.5, A, 0.2)), Settings())
    assert (weak.outcome, weak.docs) == (Outcome.CLARIFY, (1,))


def test_a_question_that_asks_for_no_permission_gets_no_verdict_and_no_allowed_choice():
    neither = {"asks": False, "posting": False}
    assert decide(ranked((10, A, 0.9)), Settings(), **neither).outcome is Outcome.HAND_OVER
    choices = decide(ranked((10, A, 0.9), (9, K, 0.9)), Settings(), **neither)
    assert (choices.outcome, choices.docs) == (Outcome.CLARIFY, (1,))
    stricter = decide(ranked((10, N, 0.9)), Settings(), **neither)
    assert (stricter.outcome, stricter.docs) == (Outcome.CLARIFY, (0,))
    guidance = decide(ranked((10, None, 0.9)), Settings(), **neither)
    assert guidance.outcome is Outcome.ANSWER


def test_permission_for_something_other_than_posting_gets_no_allowed_answer():
    other = {"asks": True, "posting": False}
    assert decide(ranked((10, A, 0.9)), Settings(), **other).outcome is Outcome.HAND_OVER
    stricter = decide(ranked((10, K, 0.9)), Settings(), **other)
    assert (stricter.outcome, stricter.docs) == (Outcome.ANSWER, (0,))


# -- the engine on a crafted FAQ ----------------------------------------------------------

def test_near_miss_pair_never_gets_the_allowed_entry_for_the_stricter_question(index):
    for question in ("Can I share our sales results before they are published?",
                     "czy moge wrzucic wyniki sprzedazy zanim zostana opublikowane",
                     "Can I share our sales results?"):
        answer = index.answer(question)
        assert answer.verdict is not Verdict.ALLOWED, question


def test_unclear_winner_asks_which_entry_was_meant_with_at_most_three_choices(index):
    answer = index.answer("Can I post photos from our team event?")
    assert answer.outcome is Outcome.CLARIFY and answer.verdict is None
    assert 2 <= len(answer.choices) <= 3
    assert {"team-photos", "guest-photos"} <= {e.key for e in answer.choices}


@pytest.mark.parametrize("question", [
    "When is the next company party?",
    "Jak zresetować hasło do VPN?",
    "What's the weather going to be like for the team event?",
    "Can I attend a team event of a competitor to learn from it?",
])
def test_out_of_scope_questions_get_no_verdict(index, question):
    answer = index.answer(question)
    assert answer.verdict is None
    assert all(e.verdict is not Verdict.ALLOWED for e in answer.choices)


# -- negation on both sides of the key phrase ---------------------------------------------

def publicity(text: str, lang: str) -> set[str]:
    spans = ConceptMatcher().spans(read_words(text, lang))
    return {s.concept for s in spans if s.concept in ("already_public", "not_yet_public")}


@pytest.mark.parametrize("text, lang", [
    ("the figures are not published", "en"),                       # before
    ("the figures, published they are not", "en"),                 # after
    ("are the figures published? they aren't", "en"),              # after, contracted
    ("before the results are announced", "en"),
    ("dane nie są opublikowane", "pl"),                            # before
    ("dane opublikowane nie są", "pl"),                            # after
    ("wyniki ogłoszone jeszcze nie są", "pl"),                     # after
])
def test_negation_before_or_after_the_key_phrase_makes_it_not_yet_public(text, lang):
    assert publicity(text, lang) == {"not_yet_public"}


@pytest.mark.parametrize("text, lang", [
    ("the figures are published", "en"),
    ("the results were announced yesterday", "en"),
    ("wyniki zostały opublikowane", "pl"),
])
def test_plain_key_phrase_stays_public(text, lang):
    assert publicity(text, lang) == {"already_public"}


def test_negation_does_not_reach_across_a_contrast():
    assert publicity("announced internally, but not publicly", "en") == {"already_public",
                                                                        "not_yet_public"}


@pytest.mark.parametrize("question", [
    "Can I share our sales results? Published they are not.",
    "Can I share our sales results that are published? They aren't, actually.",
    "Czy mogę udostępnić wyniki sprzedaży? Opublikowane nie są.",
    "Czy mogę udostępnić wyniki sprzedaży, opublikowane jeszcze nie zostały?",
])
def test_negation_after_the_key_phrase_never_gets_an_allowed_answer(index, question):
    answer = index.answer(question)
    assert answer.verdict is not Verdict.ALLOWED
    assert answer.outcome is not Outcome.ANSWER or answer.entry.key == "results-unpublished"


# -- publication: read from the question, not from the scores ------------------------------

def test_an_allowed_entry_about_published_things_needs_the_question_to_say_so(index):
    unstated = index.answer("Can I share our sales results?")
    assert unstated.outcome is Outcome.CLARIFY
    assert {"results-published", "results-unpublished"} <= {e.key for e in unstated.choices}
    stated = index.answer("Can I share our sales results now that they are published?")
    assert stated.entry is not None and stated.entry.key == "results-published"


@pytest.mark.parametrize("question", [
    "When will the next sales results be published?",
    "Our sales results are published internally, but the report comes out next week: can I share them?",
    "Czy mogę już udostępnić wyniki sprzedaży? Raport jeszcze nie został opublikowany.",
])
def test_any_sign_of_not_yet_public_keeps_the_published_entry_out(index, question):
    answer = index.answer(question)
    offered = [answer.entry] if answer.entry else list(answer.choices)
    assert "results-published" not in [e.key for e in offered]
    assert answer.verdict is not Verdict.ALLOWED


def test_an_entry_on_the_other_side_of_publication_is_never_offered_even_when_it_ranks_first():
    rows = [Ranked(0, 10, A, 0.9, other_side=True), Ranked(1, 9, N, 0.9)]
    decision = decide(rows, Settings())
    assert (decision.outcome, decision.docs) == (Outcome.ANSWER, (1,))


def test_an_allowed_best_with_an_unstated_condition_is_offered_beside_its_stricter_twin():
    rows = [Ranked(0, 10, A, 0.9, unstated=True), Ranked(1, 3, K, 0.9),
            Ranked(2, 2, N, 0.9, not_yet=True), Ranked(3, 2, None, 0.9, not_yet=True)]
    decision = decide(rows, Settings())
    assert (decision.outcome, decision.docs) == (Outcome.CLARIFY, (0, 2))
    stated = decide([Ranked(0, 10, A, 0.9), *rows[1:]], Settings())
    assert (stated.outcome, stated.docs) == (Outcome.ANSWER, (0,))
