"""The three outcomes in chat: "did you mean…" with FAQ questions as buttons, the click, "none of
these", and the policy owner's card."""
import re

from storage.models import PolicyAsk
from tests.bot.test_policy_service import ADMIN, OLA, load_demo_faq

UNCLEAR = "Can I share our results?"  # before or after the report? The demo FAQ has both.


def visible_text(message) -> str:
    parts = [message.text]
    for card in message.cards:
        parts += [card.title, card.body, card.footer or ""] + [b.label for b in card.buttons]
        parts += [f"{name} {value}" for name, value in card.fields]
    return "\n".join(parts)


async def test_an_unclear_question_offers_faq_questions_and_none_of_these(chat, app):
    await load_demo_faq(app)
    reply = await chat.say(OLA, UNCLEAR)
    assert reply.text.startswith("I'm not sure which FAQ entry fits") and reply.private
    [card] = reply.cards
    *choices, none = card.buttons
    assert 2 <= len(choices) <= 3 and all(b.verb == "policy_pick" for b in choices)
    assert all(b.label.endswith("?") and "-" not in b.label.split()[0] for b in choices)  # questions, not slugs
    assert (none.label, none.verb) == ("None of these", "policy_none")
    assert "✅" not in visible_text(reply) and "⛔" not in visible_text(reply)


async def test_a_click_answers_with_the_verdict_and_the_question_it_answers_once(chat, app):
    await load_demo_faq(app)
    reply = await chat.say(OLA, UNCLEAR)
    after = next(b for b in reply.cards[0].buttons if "after" in b.label.lower())
    first = await chat.click(OLA, after.verb, after.target)
    assert first.text.startswith("✅ *Allowed*")
    assert f"Answer to: “{after.label}”" in first.text
    again = await chat.click(OLA, after.verb, after.target)
    assert again.text == first.text
    async with app.db.transaction() as s:
        ask = await s.get(PolicyAsk, int(after.target.split(":")[0]))
    assert ask.entry_key and ask.verdict == "allowed" and not ask.escalated


async def test_only_the_asker_can_choose(chat, app):
    await load_demo_faq(app)
    button = (await chat.say(OLA, UNCLEAR)).cards[0].buttons[0]
    assert "Only the person who asked" in (await chat.click(ADMIN, button.verb, button.target)).text


async def test_an_entry_removed_while_the_card_is_open_says_so(chat, app):
    await load_demo_faq(app)
    button = (await chat.say(OLA, UNCLEAR)).cards[0].buttons[0]
    key = button.target.split(":", 1)[1]
    assert "Removed" in await chat.text(ADMIN, f"faq remove {key}")
    gone = await chat.click(OLA, button.verb, button.target)
    assert "removed after I offered it" in gone.text and "✅" not in gone.text


async def test_none_of_these_escalates_once_with_the_closest_questions(chat, app, gateway):
    await chat.say(ADMIN, "help", channel=None)
    await load_demo_faq(app)
    none = (await chat.say(OLA, UNCLEAR)).cards[0].buttons[-1]
    reply = await chat.click(OLA, none.verb, none.target)
    assert "asked the policy owners" in reply.text
    [escalation] = gateway.posts(ADMIN)
    again = await chat.click(OLA, none.verb, none.target)
    assert again.text == reply.text and len(gateway.posts(ADMIN)) == 1
    card = escalation.message.cards[0]
    assert card.body == UNCLEAR
    closest = dict(card.fields)["Closest FAQ questions"]
    assert "Can I share" in closest and "results-before-report" not in closest
    assert [b.verb for b in card.buttons] == ["answer_question"]  # "Save as FAQ" once there is an answer
    text = visible_text(escalation.message)
    assert "`" not in text and not re.search(r"<[^>]+>", text)


async def test_an_empty_answer_is_refused_wholly_in_the_owners_language(chat, app, gateway):
    chat.locales[ADMIN] = "pl-PL"
    await chat.say(ADMIN, "pomoc", channel=None)
    await load_demo_faq(app)
    await chat.say(OLA, "Can I bring my dog to the office on Fridays?")
    card = gateway.posts(ADMIN)[-1].message.cards[0]
    assert dict(card.fields).get("Najbliższe pytania z FAQ") is not None
    refused = await chat.click(ADMIN, "answer_question", card.buttons[0].target, {"answer": "  "})
    assert refused.text == "Odpowiedź jest pusta. Wpisz ją w polu, a potem naciśnij „Odpowiedz”."


async def test_every_answer_shows_the_faq_question_and_the_verdict(chat, app):
    await load_demo_faq(app)
    reply = await chat.say(OLA, "czy moge wrzucic wyniki kwartalne zanim beda opublikowane?")
    first, second = reply.text.split("\n")[:2]
    assert first == "⛔ *Niedozwolone*"
    assert second.startswith("_Odpowiedź na pytanie: „") and "results-" not in reply.text
