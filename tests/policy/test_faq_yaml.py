"""Loading and writing the FAQ format: all or nothing, errors name the line."""
from __future__ import annotations

import pytest

from bot.policy.entries import PolicyEntry, Verdict
from bot.policy.faq_yaml import FaqFormatError, dump_faq, load_faq

GOOD = """\
meta:
  company: Example
entries:
- id: office-photos
  question: Can I post office photos?
  answer: Yes, check the background.
  question_pl: Czy mogę publikować zdjęcia z biura?
  answer_pl: Tak, sprawdź tło.
  tags: [photos, office]
  verdict: allowed
- id: hashtags
  question: Which hashtags?
  answer: "#Example."
  verdict: n_a
"""


def _error(text: str) -> FaqFormatError:
    with pytest.raises(FaqFormatError) as info:
        load_faq(text)
    return info.value


def test_shared_faq_loads_every_entry_with_both_languages(shared_entries):
    assert len(shared_entries) == 40
    assert all(e.question_pl and e.answer_pl for e in shared_entries)
    verdicts = {e.verdict for e in shared_entries}
    assert {Verdict.ALLOWED, Verdict.NOT_ALLOWED, Verdict.ASK_FIRST, None} <= verdicts


def test_fields_are_read_as_written():
    photos, hashtags = load_faq(GOOD)
    assert photos == PolicyEntry("office-photos", "Can I post office photos?",
                                 "Yes, check the background.", "Czy mogę publikować zdjęcia z biura?",
                                 "Tak, sprawdź tło.", ("photos", "office"), Verdict.ALLOWED)
    assert hashtags.verdict is None and hashtags.question_pl is None and hashtags.tags == ()


def test_dump_then_load_gives_back_the_same_entries(shared_entries):
    text = dump_faq(shared_entries, meta={"company": "Nordlight"})
    assert text.startswith("meta:")
    assert load_faq(text) == shared_entries


def test_broken_yaml_names_the_line_and_returns_nothing():
    text = GOOD.replace("  tags: [photos, office]", "  tags: [photos, office")
    error = _error(text)
    assert error.line is not None and 9 <= error.line <= 12
    assert f"line {error.line}" in str(error)


def test_missing_answer_points_at_the_entry():
    text = GOOD.replace('  answer: "#Example."\n', "")
    error = _error(text)
    assert error.line == 11
    assert "hashtags" in str(error) and "answer" in str(error)


def test_unknown_verdict_points_at_the_verdict_line():
    error = _error(GOOD.replace("verdict: allowed", "verdict: maybe"))
    assert error.line == 10 and "maybe" in str(error)


def test_duplicate_id_points_at_the_second_entry():
    error = _error(GOOD.replace("id: hashtags", "id: office-photos"))
    assert error.line == 11 and "duplicate" in str(error) and "line 4" in str(error)


def test_misspelt_field_is_an_error_not_silently_ignored():
    error = _error(GOOD.replace("verdict: allowed", "verdcit: allowed"))
    assert error.line == 10 and "verdcit" in str(error)


@pytest.mark.parametrize("text", ["", "just a string", "entries: 3", "items: []"])
def test_documents_without_an_entries_list_are_rejected(text):
    _error(text)


def test_empty_entries_list_is_a_valid_empty_faq():
    assert load_faq("entries: []\n") == []
