"""Cards understood at a glance, in both languages: short labels, two clearly different steps, a
content number that is no hashtag, and the post-link field only after sharing."""
from datetime import datetime, timezone

import pytest

from bot.cards import link_offer_card, suggestion_card
from bot.i18n import LANGUAGES, Translator, catalog
from storage.models import Content

PHONE_LABEL = 18  # characters a button shows uncut on a 360-px phone
OLA = "U_OLA"


def content(**fields) -> Content:
    return Content(**{"id": 7, "url": "https://example.com/blog/winter", "title": "Winter routes",
                      "summary": "", "captions": [], "tags": ["kraków"], "kind": "value",
                      "created_at": datetime(2026, 12, 1, tzinfo=timezone.utc), **fields})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_button_label_fits_a_phone_in_both_languages(lang):
    labels = {key: value for key, value in catalog(lang).items() if key.startswith("button.")}
    labels["form.link.submit"] = catalog(lang)["form.link.submit"]
    too_long = {key: value for key, value in labels.items() if len(value) > PHONE_LABEL}
    assert too_long == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_saving_for_later_and_having_posted_are_two_clearly_different_buttons(lang):
    t = Translator(lang)
    _, claim, share = suggestion_card(t, content(), 0).buttons
    assert set(claim.label.lower().split()).isdisjoint(share.label.lower().split()), (claim.label, share.label)
    assert share.style == "primary" and claim.style is None
    assert share.label.startswith("✅")


@pytest.mark.parametrize("lang, number", [("en", "No. 7"), ("pl", "Nr 7")])
def test_the_content_number_does_not_look_like_one_more_hashtag(lang, number):
    card = suggestion_card(Translator(lang), content(), 1)
    assert card.footer.startswith(f"{number} · #kraków · ")
    assert "#7" not in card.footer


def test_a_suggestion_has_no_field_and_the_link_offer_a_required_link_field():
    t = Translator("en")
    assert suggestion_card(t, content(), 0).inputs == ()
    offer = link_offer_card(t, 7, 5)
    field, = offer.inputs
    assert (field.id, field.required, field.kind) == ("link", True, "url")
    assert field.label == "Link to your post" and "https://" in field.error_message
    button, = offer.buttons
    assert (button.label, button.verb, button.target, button.style) == ("Save link", "link", "7", "primary")
    assert "+5 points" in offer.title


async def test_the_post_link_field_appears_only_after_sharing(chat):
    await chat.text("U_ADMIN", "add https://example.com/blog/post Post")
    await chat.say(OLA, "join")
    listed = await chat.say(OLA, "list")
    assert listed is not None and all(card.inputs == () for card in listed.cards)
    claimed = await chat.click(OLA, "claim", "1")
    assert claimed is not None and claimed.cards == ()
    shared = await chat.click(OLA, "share", "1")
    assert shared is not None and "+10 points" in shared.text
    offer, = shared.cards
    assert [field.id for field in offer.inputs] == ["link"] and offer.buttons[0].verb == "link"
    linked = await chat.click(OLA, "link", "1", {"link": "https://www.linkedin.com/posts/ola-1"})
    assert linked is not None and "Link saved, +5 points" in linked.text and linked.cards == ()


async def test_polish_card_texts_are_gender_neutral(chat):
    chat.locales[OLA] = "pl-PL"
    await chat.text("U_ADMIN", "add https://example.com/blog/post Post")
    await chat.say(OLA, "join")
    await chat.say(OLA, "list")
    texts = [await chat.text(OLA, "claim 1"), await chat.text(OLA, "claim 1"),
             await chat.text(OLA, "shared 1"), await chat.text(OLA, "shared 1")]
    for text in texts:
        assert not any(word in text for word in ("łem", "łeś", "łaś", "łam")), text
    assert "„✅ Opublikowano”" in texts[0] and "liczy się raz" in texts[3]



@pytest.mark.parametrize("lang, quote", [("en", "Suggested caption: Worth a read: Winter routes"),
                                         ("pl", "Proponowany opis: Warto przeczytać: Winter routes")])
def test_without_a_written_caption_each_card_makes_the_template_in_its_own_language(lang, quote):
    assert suggestion_card(Translator(lang), content(), 0).quote == quote


@pytest.mark.parametrize("stored", ["Worth a read: Winter routes", "Warto przeczytać: Winter routes"])
def test_a_template_stored_by_an_older_version_in_one_language_is_made_again_in_the_cards(stored):
    item = content(captions=[stored])
    assert suggestion_card(Translator("pl"), item, 0).quote == "Proponowany opis: Warto przeczytać: Winter routes"
    assert suggestion_card(Translator("en"), item, 0).quote == "Suggested caption: Worth a read: Winter routes"


def test_a_reader_sees_the_written_caption_in_their_language_when_there_is_one():
    item = content(captions=["Snow closed half the roads last winter. Here is what our team learned.",
                             "Zima zamknęła połowę dróg. Oto czego nauczył się nasz zespół."])
    assert suggestion_card(Translator("en"), item, 0).quote.endswith("what our team learned.")
    assert suggestion_card(Translator("pl"), item, 0).quote == (
        "Proponowany opis: Zima zamknęła połowę dróg. Oto czego nauczył się nasz zespół.")


def test_a_caption_written_only_in_the_content_language_is_shown_to_everyone():
    item = content(captions=["Great read from my colleagues on planning for the worst weather."])
    assert suggestion_card(Translator("pl"), item, 0).quote == (
        "Proponowany opis: Great read from my colleagues on planning for the worst weather.")


async def test_content_added_in_polish_shows_an_english_card_to_an_english_reader(chat, gateway):
    chat.locales["U_ADMIN"] = "pl-PL"
    await chat.text("U_ADMIN", "add https://example.com/blog/jak-pracujemy-zdalnie")
    await chat.say(OLA, "join")
    listed = await chat.say(OLA, "list")
    assert listed.cards[0].quote == "Suggested caption: Worth a read: Jak pracujemy zdalnie"
    chat.locales[OLA] = "pl-PL"
    listed = await chat.say(OLA, "list")
    assert listed.cards[0].quote == "Proponowany opis: Warto przeczytać: Jak pracujemy zdalnie"


def test_choosing_a_caption_never_loads_the_lemma_dictionaries(monkeypatch):
    """They take seconds and hundreds of MB to load: a card must not wait for them."""
    def refuse(*_):
        raise AssertionError("the dictionaries were consulted")

    monkeypatch.setattr("bot.policy.language.is_known", refuse)
    monkeypatch.setattr("bot.policy.language.restore_polish", refuse)
    item = content(captions=["Ein ganz anderer Text ohne Hinweise", "Polecam lekturę o trasach zimą"])
    assert suggestion_card(Translator("pl"), item, 0).quote == "Proponowany opis: Polecam lekturę o trasach zimą"
