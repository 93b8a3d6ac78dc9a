"""Draft checks: money figures with financial words, deny-listed names, code names."""
from __future__ import annotations

import pytest

from bot.policy.check import REASON_KEYS, check_draft


def kinds(text: str, **kw) -> list[str]:
    return [f.kind for f in check_draft(text, **kw)]


@pytest.mark.parametrize("text", [
    "Great news: our Q3 revenue grew 40% to $12.5M!",
    "Record quarter: EBITDA of €3.2 million and bookings up 25%.",
    "W tym kwartale przychody wyniosły 12,5 mln zł.",
    "Zysk netto: 3 400 000 PLN, a sprzedaż wzrosła o 18 proc.",
    "Nasze wyniki za III kwartał: 45 mln złotych przychodu!",
])
def test_money_figures_next_to_financial_words_are_flagged(text):
    findings = check_draft(text)
    assert [f.kind for f in findings] == ["financial"]
    assert findings[0].reason_key == REASON_KEYS["financial"]
    assert findings[0].excerpt and findings[0].excerpt in text


@pytest.mark.parametrize("text", [
    "We ran 5k for charity this weekend and 40% of the team joined!",
    "Happy to welcome 25 new colleagues in 2025.",
    "Przebiegliśmy 10 km w 2024 roku, 30 osób z zespołu!",
    "Our revenue team is hiring, come join us.",
])
def test_numbers_or_financial_words_alone_are_not_flagged(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", [
    "Świetne warsztaty z zespołem Orlenem w Płocku",
    "Dziękujemy ORLENOWI za współpracę",
    "Loved the workshop at Orlen's HQ",
])
def test_deny_listed_name_is_found_in_any_case_and_inflection(text):
    findings = check_draft(text, deny_names=["Orlen"])
    assert [f.kind for f in findings] == ["deny_name"]
    assert findings[0].reason_key == REASON_KEYS["deny_name"]


def test_deny_list_ignores_diacritics_and_multi_word_names_inflect():
    assert kinds("Thanks ZABCE for the cooperation", deny_names=["Żabka"]) == ["deny_name"]
    assert kinds("Współpraca z Żabką idzie świetnie", deny_names=["Żabka"]) == ["deny_name"]
    assert kinds("Gratulacje dla Poczty Polskiej!", deny_names=["Poczta Polska"]) == ["deny_name"]


def test_words_that_only_start_like_a_name_are_not_flagged():
    assert kinds("We visited New Orleans and Orlando", deny_names=["Orlen", "Orla"]) == []
    assert kinds("Polska to piękny kraj", deny_names=["Poczta Polska"]) == []


def test_unreleased_code_names_are_flagged_in_english_and_polish():
    en = check_draft("Can't wait for Project Falcon to ship!", code_names=["Falcon"])
    pl = check_draft("Nie mogę się doczekać premiery Falcona", code_names=["Falcon"])
    assert [f.excerpt for f in en] == ["Falcon"] and [f.excerpt for f in pl] == ["Falcona"]
    assert en[0].kind == pl[0].kind == "code_name"


def test_confidentiality_markers_are_flagged():
    assert kinds("INTERNAL ONLY - draft roadmap") == ["confidential_marker"]
    assert "confidential_marker" in kinds("Dokument poufne, nie udostępniać dalej")


def test_one_draft_can_have_several_findings_in_text_order():
    findings = check_draft("Orlen signed! Revenue will reach 2 mln zł thanks to Falcon.",
                           deny_names=["Orlen"], code_names=["Falcon"])
    assert [f.kind for f in findings] == ["deny_name", "financial", "code_name"]


def test_reason_keys_are_translation_keys_not_sentences():
    assert set(REASON_KEYS) == {"financial", "deny_name", "code_name", "confidential_marker"}
    assert all(key.replace("_", "").isalpha() and key.islower() for key in REASON_KEYS.values())


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_draft_has_no_findings(text):
    assert check_draft(text, deny_names=["Orlen"]) == []
