"""Engine behaviour on small synthetic FAQs and on edge-case questions."""
from __future__ import annotations

import pytest

from bot.policy.decision import Outcome
from bot.policy.engine import ABSTAIN_REASONS, OFFTOPIC_PREFIX, PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict

PHOTOS_ALLOWED = PolicyEntry(
    "team-photos", "Can I post photos from team events?",
    "Yes, photos from team events are welcome.",
    "Czy mogę publikować zdjęcia z wydarzeń zespołowych?",
    "Tak, zdjęcia z wydarzeń zespołowych są mile widziane.",
    ("photos", "team-events"), Verdict.ALLOWED)
PHOTOS_FORBIDDEN = PolicyEntry(
    "event-photos-with-guests", "Can I post photos from team events with guests?",
    "No, never post photos from team events where guests appear.",
    "Czy mogę publikować zdjęcia z wydarzeń zespołowych z gośćmi?",
    "Nie, nie publikuj zdjęć z wydarzeń zespołowych, na których są goście.",
    ("photos", "team-events", "guests"), Verdict.NOT_ALLOWED)
LOGO_ASK = PolicyEntry(
    "logo-use", "Can I use the company logo on merchandise?",
    "Ask the brand team first.",
    "Czy mogę użyć logo firmy na gadżetach?", "Najpierw zapytaj zespół marki.",
    ("logo", "merchandise"), Verdict.ASK_FIRST)
LOGO_FREE = PolicyEntry(
    "logo-templates", "Can I use the company logo from the ready templates?",
    "Yes, the ready templates can be used as they are.",
    "Czy mogę użyć logo firmy z gotowych szablonów?", "Tak, gotowych szablonów można używać.",
    ("logo", "templates"), Verdict.ALLOWED)
JOBS = PolicyEntry(
    "job-ads", "Can I share our job ads?", "Yes, share the official job ads.",
    "Czy mogę udostępniać nasze oferty pracy?", "Tak, udostępniaj oficjalne oferty pracy.",
    ("recruitment", "job-ads"), Verdict.ALLOWED)
BADGES = PolicyEntry(
    "badges", "Can I post a photo with my access badge?", "No, keep badges out of photos.",
    "Czy mogę opublikować zdjęcie z identyfikatorem?", "Nie, identyfikatory nie mogą być na zdjęciach.",
    ("badge", "photos"), Verdict.NOT_ALLOWED)


@pytest.fixture(scope="module")
def small_index():
    return PolicyIndex.build([PHOTOS_ALLOWED, PHOTOS_FORBIDDEN, LOGO_ASK, LOGO_FREE, JOBS, BADGES])


def test_close_stricter_candidate_keeps_an_allowed_entry_from_being_answered(small_index):
    answer = small_index.answer("Can I post photos from our team event?")
    keys = [c.key for c in answer.candidates[:2]]
    assert set(keys) == {"team-photos", "event-photos-with-guests"}
    assert answer.verdict is not Verdict.ALLOWED
    assert answer.outcome is Outcome.CLARIFY or answer.entry.key == "event-photos-with-guests"


def test_a_close_allowed_entry_makes_an_ask_first_answer_a_question(small_index):
    answer = small_index.answer("Can I use the company logo?")
    assert answer.verdict is not Verdict.ALLOWED
    assert answer.outcome is not Outcome.ANSWER or answer.entry.key == "logo-use"


def test_allowed_entry_is_answered_when_nothing_stricter_is_close(small_index):
    answer = small_index.answer("Is it ok to share the job ads on LinkedIn?")
    assert answer.entry is not None and answer.entry.key == "job-ads"
    assert answer.verdict is Verdict.ALLOWED


@pytest.mark.parametrize("question", ["", "   ", "\n\t", None])
def test_empty_question_abstains_with_reason_empty(small_index, question):
    answer = small_index.answer(question)
    assert answer.abstained and answer.abstain_reason == "empty" and answer.confidence == 0.0


def test_ten_thousand_character_question_is_answered_without_error(shared_index):
    question = ("Can I post a picture of my access badge from the first day? " * 200)[:10_000]
    answer = shared_index.answer(question)
    assert answer.language == "en"
    assert answer.abstained or answer.entry.key == "photos-badges-access-cards"


def test_pasted_text_without_any_known_word_abstains(shared_index):
    answer = shared_index.answer("qwzx " * 2500)
    assert answer.abstained and answer.abstain_reason in ABSTAIN_REASONS


def test_index_without_entries_abstains():
    answer = PolicyIndex.build([]).answer("Can I post a photo?")
    assert answer.abstained and answer.abstain_reason == "no_entries"


@pytest.mark.parametrize("with_marks, without_marks", [
    ("Czy mogę wrzucić zdjęcie z identyfikatorem?", "czy moge wrzucic zdjecie z identyfikatorem"),
    ("Czy mogę udostępnić ofertę pracy?", "CZY MOGE UDOSTEPNIC OFERTE PRACY"),
])
def test_missing_diacritics_and_case_do_not_change_the_answer(small_index, with_marks,
                                                              without_marks):
    a, b = small_index.answer(with_marks), small_index.answer(without_marks)
    assert a.entry is not None and a.entry.key == (b.entry.key if b.entry else None)
    assert a.language == b.language == "pl"


@pytest.mark.parametrize("question, key", [
    ("Can I post a phtoo with my acess badge?", "badges"),
    ("Can I shaer our jobb ads?", "job-ads"),
    ("Czy mogę wrzucić zdjęcia z identyfikatorami?", "badges"),
    ("Czy mogę opublikować zdjęciem z identyfikatorem na smyczy?", "badges"),
    ("Czy mogę udostępniać ofertami pracy?", "job-ads"),
])
def test_typos_and_inflections_find_the_entry(small_index, question, key):
    answer = small_index.answer(question)
    assert answer.candidates and answer.candidates[0].key == key


def test_polish_question_gets_the_polish_answer(small_index):
    answer = small_index.answer("Czy mogę opublikować zdjęcie z identyfikatorem?")
    assert answer.language == "pl" and answer.text == BADGES.answer_pl
    forced = small_index.answer("Czy mogę opublikować zdjęcie z identyfikatorem?", lang="en")
    assert forced.language == "en" and forced.text == BADGES.answer


@pytest.mark.parametrize("question", [
    "How do I reset my password for the VPN?",
    "Ile dni urlopu mi przysługuje w tym roku?",
    "Where is the nearest parking space for bicycles?",
])
def test_helpdesk_questions_are_out_of_scope(shared_index, question):
    answer = shared_index.answer(question)
    assert answer.abstained
    assert answer.abstain_reason in ("out_of_scope", "low_confidence", "no_match")


def test_candidates_list_faq_entries_only_best_first(shared_index):
    answer = shared_index.answer("How do I set up the VPN on my phone?")
    assert all(not c.key.startswith(OFFTOPIC_PREFIX) for c in answer.candidates)
    scores = [c.score for c in answer.candidates]
    assert scores == sorted(scores, reverse=True)


def test_confidence_is_between_zero_and_one(shared_index, dev_questions):
    for q in dev_questions[:40]:
        assert 0.0 <= shared_index.answer(q["text"]).confidence <= 1.0
