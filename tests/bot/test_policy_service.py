"""Policy answers in chat: verdicts, escalation round trip, admin commands, draft checks."""

from sqlalchemy import select

from storage.models import AuditEntry, FaqEntry, PolicyAsk
from tests.conftest import ROOT

ADMIN, OLA = "U_ADMIN", "U_OLA"
FAQ = (ROOT / "bot" / "demo" / "faq.yaml").read_text(encoding="utf-8")  # the product's own sample policy


async def load_faq(app, text):
    from bot.services.policy import import_entries
    from bot.services.turn import Context
    from bot.unit_of_work import run_in_unit_of_work

    await run_in_unit_of_work(app, lambda uow: import_entries(Context(uow, app.settings), text, None))


async def load_demo_faq(app):
    await load_faq(app, FAQ)


async def test_a_clear_question_gets_the_verdict_answer_and_feedback_buttons(chat, app):
    await load_demo_faq(app)
    reply = await chat.say(OLA, "Can I post our Q3 revenue numbers before the results are published?")
    assert reply.text.startswith("⛔ *Not allowed*\n_Answer to: “Can I share")
    assert [b.verb for b in reply.cards[0].buttons] == ["helpful", "unhelpful"]
    ask_id = reply.cards[0].buttons[0].target
    await chat.click(OLA, "unhelpful", ask_id)
    async with app.db.transaction() as s:
        ask = await s.get(PolicyAsk, int(ask_id))
    assert ask.helpful is False and ask.entry_key and ask.verdict == "not_allowed"


async def test_polish_questions_get_polish_answers(chat, app):
    await load_demo_faq(app)
    reply = await chat.say(OLA, "czy moge wrzucic wyniki kwartalne zanim beda opublikowane?")
    assert reply.text.startswith("⛔ *Niedozwolone*")


async def test_an_unsure_question_is_escalated_and_the_answer_comes_back(chat, app, gateway):
    await chat.say(ADMIN, "help", channel=None)
    await load_demo_faq(app)
    reply = await chat.say(OLA, "Can I bring my dog to the office on Fridays?")
    assert "asked the policy owners" in reply.text and "private message" in reply.text
    escalation = gateway.posts(ADMIN)[-1].message.cards[0]
    assert escalation.body == "Can I bring my dog to the office on Fridays?"
    assert [b.verb for b in escalation.buttons] == ["answer_question"]
    ask_id = escalation.buttons[0].target
    assert "Only program admins" in (await chat.click(OLA, "answer_question", ask_id, {"answer": "Sure"})).text
    sent = await chat.click(ADMIN, "answer_question", ask_id, {"answer": "Yes, on Fridays, if it's calm."})
    assert "Sent to Ola" in sent.text
    back = gateway.posts(OLA)[-1]
    assert back.address.kind == "direct" and "Yes, on Fridays" in back.message.text
    assert "already answered" in (await chat.click(ADMIN, "answer_question", ask_id, {"answer": "No"})).text
    assert "Added FAQ entry `asked-" in (await chat.click(ADMIN, "save_faq", ask_id)).text
    assert "already saved" in (await chat.click(ADMIN, "save_faq", ask_id)).text
    again = await chat.say(OLA, "ask Can I bring my dog to the office on Fridays?")
    assert "Yes, on Fridays" in again.text


async def test_faq_admin_commands_are_audited(chat, app):
    added = await chat.text(ADMIN, "faq add Can I post memes about our product? | Yes, if kind. | allowed")
    key = added.split("`")[1]
    assert "Updated answer" in await chat.text(ADMIN, f"faq edit {key} answer = Yes, if kind and true.")
    assert "Updated verdict" in await chat.text(ADMIN, f"faq edit {key} verdict ask first")
    assert "not a verdict" in await chat.text(ADMIN, f"faq edit {key} verdict maybe")
    assert "can't be edited" in await chat.text(ADMIN, f"faq edit {key} colour = red")
    assert key in await chat.text(OLA, "faq list")
    assert "Only program admins" in await chat.text(OLA, f"faq remove {key}")
    assert "Removed" in await chat.text(ADMIN, f"faq remove {key}")
    async with app.db.transaction() as s:
        actions = list(await s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["faq.add", "faq.edit", "faq.edit", "faq.remove"]


async def test_faq_import_and_export_round_trip(chat, app):
    reply = await chat.text(ADMIN, "faq import " + FAQ[:2900].rsplit("\n- id:", 1)[0])
    assert "FAQ import done" in reply and "0 updated" in reply
    exported = await chat.text(ADMIN, "faq export")
    assert "results-before-report" in exported


async def test_a_malformed_import_changes_nothing_and_names_the_line(chat, app):
    broken = "entries:\n- id: a\n  question: Q?\n  answer: A\n- id: b\n  question: [unclosed\n  answer: B\n"
    reply = await chat.text(ADMIN, "faq import " + broken)
    assert "Nothing was imported" in reply and "line" in reply
    async with app.db.transaction() as s:
        assert list(await s.scalars(select(FaqEntry))) == []


async def test_empty_and_huge_questions_get_clear_answers(chat):
    assert "ask <question>" in await chat.text(OLA, "ask")
    assert "limit is 3000" in await chat.text(OLA, "ask " + "czy " * 2500)


async def test_check_flags_numbers_and_confidential_names(chat):
    assert "Only program admins" in await chat.text(OLA, "denylist add Orlen")
    await chat.say(ADMIN, "denylist add Orlen")
    await chat.say(ADMIN, "codename add Falcon")
    flagged = await chat.text(OLA, "check Our Q3 revenue grew to 12 mln PLN thanks to Orlenem and project Falcon!")
    assert flagged.startswith("⚠️") and flagged.count("•") >= 3
    assert (await chat.text(OLA, "check Had a great time at our volunteering day!")).startswith("✅")
    assert "Falcon" in await chat.text(ADMIN, "denylist")


async def test_admin_typos_get_a_plain_answer_not_an_error(chat):
    """`faq.unknown` has a `{key}` placeholder: it once collided with UserFacingError's own argument."""
    assert "There is no FAQ entry `nope`" in await chat.text(ADMIN, "faq remove nope")
    assert "There is no FAQ entry `nope`" in await chat.text(ADMIN, "faq edit nope answer = x")
    added = await chat.text(ADMIN, "faq add Can I post memes? | Yes, if kind.")
    key = added.split("`")[1]
    assert "Removed" in await chat.text(ADMIN, f"faq remove {key}")
    assert f"There is no FAQ entry `{key}`" in await chat.text(ADMIN, f"faq remove {key}")


async def test_removing_terms_answers_in_words(chat):
    await chat.say(ADMIN, "denylist add Orlen")
    await chat.say(ADMIN, "codename add Falcon")
    assert await chat.text(ADMIN, "denylist remove Orlen") == "Removed “Orlen”."
    assert await chat.text(ADMIN, "codename remove Falcon") == "Removed “Falcon”."
    assert "not on the list" in await chat.text(ADMIN, "codename remove Falcon")


async def test_the_answer_to_a_question_asked_in_a_channel_reaches_only_the_asker(chat, app, gateway):
    await chat.say(ADMIN, "help", channel=None)
    await load_demo_faq(app)
    reply = await chat.say(OLA, "ask Can I bring my dog to the office on Fridays?", channel="C_GENERAL")
    assert reply.private
    ask_id = gateway.posts(ADMIN)[-1].message.cards[0].buttons[0].target
    await chat.say(ADMIN, f"answer {ask_id} Yes, on Fridays, if it's calm.", channel=None)
    assert gateway.posts("C_GENERAL") == []
    [answer] = gateway.posts(OLA)
    assert answer.address.kind == "direct" and answer.message.private
    assert "bring my dog" in answer.message.text and "if it's calm" in answer.message.text


ONE_LANGUAGE_FAQ = """
entries:
- id: team-photos
  question: Can I post photos from our team offsite?
  answer: Yes, if everyone in the photo agrees to it.
  question_pl: Czy mogę publikować zdjęcia z wyjazdu integracyjnego zespołu?
  tags: [photos, offsite, team-event]
  verdict: allowed
- id: new-office
  question: Czy mogę pokazać nasze nowe biuro w Gdańsku?
  answer: Tak, zdjęcia nowego biura są mile widziane, bez ekranów i dokumentów.
  tags: [office, gdansk]
  verdict: allowed
"""


def without_the_faq_question(reply) -> str:
    """The answer's text without its second line, the FAQ question it answers (checked elsewhere)."""
    verdict, question, *rest = reply.text.split("\n")
    assert question.startswith("_") and question.endswith("”_")
    return "\n".join([verdict, *rest])


async def test_an_answer_missing_in_polish_says_so_in_polish_and_gives_the_english_one(chat, app):
    await load_faq(app, ONE_LANGUAGE_FAQ)
    reply = await chat.say(OLA, "Czy mogę wrzucić zdjęcia z wyjazdu integracyjnego zespołu?")
    assert without_the_faq_question(reply).startswith("✅ *Dozwolone*\nOdpowiedź jest dostępna tylko po angielsku:\n"
                                 "Yes, if everyone in the photo agrees to it.")
    assert reply.cards[0].title == "Czy to pomogło?"


async def test_an_answer_written_only_in_polish_says_so_in_english_to_an_english_asker(chat, app):
    await load_faq(app, ONE_LANGUAGE_FAQ)
    reply = await chat.say(OLA, "Can I post pictures of our new Gdansk office?")
    assert without_the_faq_question(reply).startswith("✅ *Allowed*\nThis answer is only available in Polish:\nTak, zdjęcia nowego biura")
    polish = await chat.say(OLA, "czy moge pokazac nowe biuro w gdansku?")
    assert without_the_faq_question(polish).startswith("✅ *Dozwolone*\nTak, zdjęcia nowego biura")


async def test_an_answer_in_the_askers_language_comes_without_a_note(chat, app):
    await load_faq(app, ONE_LANGUAGE_FAQ)
    reply = await chat.say(OLA, "Can I post photos from our team offsite?")
    assert without_the_faq_question(reply).startswith("✅ *Allowed*\nYes, if everyone")
    assert "only available" not in reply.text
