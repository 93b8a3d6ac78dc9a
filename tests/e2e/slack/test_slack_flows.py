"""Slack as employees and admins use it, over real HTTP against `advocacy serve` and a fake Slack."""
import asyncio
import json
from urllib.parse import quote

from tests.e2e.slack.conftest import ADMIN, BASIA, CHANNEL, EVE, OLA, payload

LINKEDIN = "https://www.linkedin.com/sharing/share-offsite/?url="


async def _suggestion(slack, url="https://example.com/blog/winter-routes", title="Winter routes", joined=()):
    """`joined` join the program; an admin adds content and posts the digest; returns (channel, ts, content id)."""
    await slack.join(*joined)
    mark = slack.api.mark()
    added = await slack.say(ADMIN, f"add {url} {title}")
    assert "Added #" in added
    content_id = added.split("#", 1)[1].split()[0]
    assert "Posted 1 suggestion" in await slack.say(ADMIN, "digest now")
    (channel, ts, _), = await slack.posted_suggestions(1, since=mark)
    return channel, ts, content_id


def _buttons(call) -> list[dict]:
    return [e for block in call.params["blocks"] if block["type"] == "actions" for e in block["elements"]]


async def test_a_suggestion_is_a_block_kit_message_with_linkedin_claim_and_share_buttons(slack):
    mark = slack.api.mark()
    await _suggestion(slack)
    post, = slack.api.since(mark, "chat.postMessage")
    blocks = post.params["blocks"]
    assert "*<https://example.com/blog/winter-routes|Winter routes>*" in blocks[0]["text"]["text"]
    assert "Suggested caption" in blocks[0]["text"]["text"]
    linkedin, claim, share = _buttons(post)
    assert linkedin["url"] == LINKEDIN + quote("https://example.com/blog/winter-routes", safe="")
    assert (claim["action_id"], claim["value"]) == ("claim", "1")
    assert (share["action_id"], share["style"]) == ("share", "primary")
    assert post.params["metadata"]["event_payload"]["key"].startswith("suggestion:")
    assert not any(b["type"] == "input" for b in blocks), "no text field in a channel message"


async def test_claim_then_share_confirms_privately_updates_the_count_and_offers_the_link_modal(slack):
    channel, ts, content = await _suggestion(slack, joined=[OLA])
    claim = await slack.click(OLA, "claim", content, message_ts=ts)
    answer = await slack.answer(slack.response_name(claim))
    assert answer.params["response_type"] == "ephemeral" and "Saved for later" in answer.text_of()

    mark = slack.api.mark()
    share = await slack.click(OLA, "share", content, message_ts=ts)
    answer = await slack.answer(slack.response_name(share))
    assert answer.params["response_type"] == "ephemeral"
    assert "+10 points. You now have 10 points." in answer.text_of()
    modal, = await slack.api.wait_for("views.open", since=mark)
    assert modal.params["trigger_id"] == share["trigger_id"]
    assert modal.params["view"]["callback_id"] == "link"
    assert json.loads(modal.params["view"]["private_metadata"])["target"] == content
    update, = await slack.api.wait_for("chat.update", since=mark)
    assert (update.params["channel"], update.params["ts"]) == (channel, ts)
    assert "shared by 1 person" in update.text_of()

    submission = payload("view_submission_link")
    submission["user"]["id"] = OLA
    submission["view"]["private_metadata"] = modal.params["view"]["private_metadata"]
    ack = await slack.submit(submission)
    assert ack["response_action"] == "update"
    assert "Link saved, +5 points. You now have 15 points." in json.dumps(ack["view"], ensure_ascii=False)
    assert "You have 15 points" in await slack.say(OLA, "points")


async def test_a_link_typed_into_the_offer_under_the_confirmation_is_saved_directly(slack):
    _, ts, content = await _suggestion(slack, joined=[OLA])
    share = await slack.click(OLA, "share", content, message_ts=ts)
    answer = await slack.answer(slack.response_name(share))
    blocks = answer.params["blocks"]
    field, = [b for b in blocks if b["type"] == "input"]
    assert field["block_id"] == "c0/in/link" and field["optional"] is False
    assert [(e["action_id"], e["text"]["text"]) for e in _buttons(answer)] == [("link", "Save link")]
    state = {"values": {"c0/in/link": {"link": {"type": "plain_text_input",
                                                "value": "https://www.linkedin.com/posts/ola-winter"}}}}
    mark = slack.api.mark()
    click = await slack.click(OLA, "link", content, message_ts=ts, state=state)
    saved = await slack.answer(slack.response_name(click))
    assert saved.params["response_type"] == "ephemeral"
    assert "Link saved, +5 points. You now have 15 points." in saved.text_of()
    assert not slack.api.since(mark, "views.open"), "no modal when the link is already typed"


async def test_a_bad_post_link_is_shown_next_to_the_field(slack):
    _, ts, content = await _suggestion(slack, joined=[OLA])
    await slack.click(OLA, "share", content, message_ts=ts)
    submission = payload("view_submission_link")
    submission["user"]["id"] = OLA
    submission["view"]["private_metadata"] = json.dumps({"target": content, "channel": CHANNEL})
    submission["view"]["state"]["values"]["link"]["link"]["value"] = "not a link"
    ack = await slack.submit(submission)
    assert ack["response_action"] == "errors" and "not a link I can use" in ack["errors"]["link"]
    assert "You have 10 points" in await slack.say(OLA, "points")


async def test_the_add_link_button_opens_the_same_modal(slack):
    _, ts, content = await _suggestion(slack)
    mark = slack.api.mark()
    await slack.click(OLA, "link", content, message_ts=ts)
    modal, = await slack.api.wait_for("views.open", since=mark)
    assert modal.params["view"]["callback_id"] == "link"


async def test_the_share_emoji_counts_as_shared_and_removing_it_takes_the_points_back(slack):
    channel, ts, _ = await _suggestion(slack, joined=[OLA])
    mark = slack.api.mark()
    await slack.send_event(slack.event("event_reaction_added", user=OLA, item={"type": "message", "channel": channel,
                                                                               "ts": ts}))
    ephemeral, = await slack.api.wait_for("chat.postEphemeral", since=mark)
    assert ephemeral.params["user"] == OLA and "+10 points" in ephemeral.text_of()
    update, = await slack.api.wait_for("chat.update", since=mark)
    assert "shared by 1 person" in update.text_of()

    mark = slack.api.mark()
    await slack.send_event(slack.event("event_reaction_removed", user=OLA, item={"type": "message",
                                                                                 "channel": channel, "ts": ts}))
    ephemeral, = await slack.api.wait_for("chat.postEphemeral", since=mark)
    assert "taken back" in ephemeral.text_of() and "0 points" in ephemeral.text_of()
    update, = await slack.api.wait_for("chat.update", since=mark)
    assert "shared by 0 people" in update.text_of()
    assert "You have 0 points" in await slack.say(OLA, "points")


async def test_other_emoji_and_reactions_on_other_messages_change_nothing(slack):
    channel, ts, _ = await _suggestion(slack)
    mark = slack.api.mark()
    await slack.send_event(slack.event("event_reaction_added", user=OLA, reaction="tada",
                                       item={"type": "message", "channel": channel, "ts": ts}))
    await slack.send_event(slack.event("event_reaction_added", user=OLA,
                                       item={"type": "message", "channel": channel, "ts": "1600000000.000001"}))
    await slack.api.quiet(0.3)
    assert not slack.api.since(mark, "chat.postEphemeral") and not slack.api.since(mark, "chat.update")
    assert "You have 0 points" in await slack.say(OLA, "points")


async def test_a_configured_share_emoji_is_used(start_slack):
    slack = await start_slack(ADVOCACY_SHARE_EMOJI=":rocket:")
    channel, ts, _ = await _suggestion(slack, joined=[OLA])
    await slack.send_event(slack.event("event_reaction_added", user=OLA, reaction="rocket::skin-tone-3",
                                       item={"type": "message", "channel": channel, "ts": ts}))
    await slack.api.wait_for("chat.update")
    assert "You have 10 points" in await slack.say(OLA, "points")


async def test_a_question_in_a_dm_is_answered_in_its_thread_and_commands_work_there(slack):
    assert "Added FAQ" in await slack.say(
        ADMIN, "faq add Can I post about the new office opening? | Yes, once it is announced. | allowed")
    mark = slack.api.mark()
    sent = await slack.dm(OLA, "can I post about the new office opening?")
    reply, = await slack.api.wait_for("chat.postMessage", since=mark, timeout=20)
    assert reply.params["channel"] == "D_OLA" and reply.params["thread_ts"] == sent["event"]["ts"]
    assert "Allowed" in reply.text_of() and "once it is announced" in reply.text_of()
    feedback = [b for b in _buttons(reply)]
    assert [b["action_id"] for b in feedback] == ["helpful", "unhelpful"]

    mark = slack.api.mark()
    await slack.dm(OLA, "points")
    reply, = await slack.api.wait_for("chat.postMessage", since=mark)
    assert "You have 0 points" in reply.text_of() and "thread_ts" not in reply.params


async def test_an_unclear_question_offers_faq_questions_as_buttons_and_a_click_answers(slack):
    await slack.say(ADMIN, "faq add Can I post photos from team events? | Yes, team event photos are welcome. | allowed")
    await slack.say(ADMIN, "faq add Can I post photos from team events with guests? | No, never post photos "
                           "where guests appear. | not allowed")
    mark = slack.api.mark()
    await slack.dm(OLA, "can I post photos from our team event?")
    reply, = await slack.api.wait_for("chat.postMessage", since=mark, timeout=20)
    assert "Did you mean" in reply.text_of() and "Allowed" not in reply.text_of()
    buttons = _buttons(reply)
    assert [b["text"]["text"] for b in buttons][-1] == "None of these"
    guests = next(b for b in buttons if b["text"]["text"] == "Can I post photos from team events with guests?")
    click = await slack.click(OLA, guests["action_id"], guests["value"], channel="D_OLA")
    answer = (await slack.answer(slack.response_name(click))).text_of()
    assert "Not allowed" in answer and "guests appear" in answer


async def test_a_mention_is_answered_privately_in_the_thread(slack):
    await slack.say(ADMIN, "faq add Can I post about the new office opening? | Yes, once it is announced. | allowed")
    mark = slack.api.mark()
    envelope = slack.event("event_app_mention", user=OLA)
    await slack.send_event(envelope)
    reply, = await slack.api.wait_for("chat.postEphemeral", since=mark, timeout=20)
    assert (reply.params["channel"], reply.params["user"]) == (CHANNEL, OLA)
    assert reply.params["thread_ts"] == envelope["event"]["ts"]
    assert "once it is announced" in reply.text_of()


async def test_messages_from_bots_and_edits_are_not_answered(slack):
    mark = slack.api.mark()
    await slack.dm(OLA, "points", bot_id="B_OTHER")
    await slack.dm(OLA, "points", subtype="message_changed")
    await slack.api.quiet(0.3)
    assert not slack.api.since(mark, "chat.postMessage")


async def test_app_home_shows_points_suggestions_leaderboard_and_a_join_toggle(slack):
    await _suggestion(slack)
    mark = slack.api.mark()
    await slack.send_event(slack.event("event_app_home_opened", user=OLA))
    home, = await slack.api.wait_for("views.publish", since=mark)
    view = home.params["view"]
    assert home.params["user_id"] == OLA and view["type"] == "home"
    text = home.text_of()
    assert "your advocacy page" in text and "0 points" in text and "Winter routes" in text
    assert "Top of the leaderboard" in text
    assert _view_buttons(view)[-1]["action_id"] == "join"

    mark = slack.api.mark()
    await slack.click(OLA, "join", home=True, block_id=_view_buttons_block(view, "join"))
    home, = await slack.api.wait_for("views.publish", since=mark)
    assert "Welcome aboard" in home.text_of()
    assert _view_buttons(home.params["view"])[-1]["action_id"] == "leave"


def _view_buttons(view):
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _view_buttons_block(view, action_id):
    return next(b["block_id"] for b in view["blocks"] if b["type"] == "actions"
                for e in b["elements"] if e["action_id"] == action_id)


async def test_sharing_from_app_home_refreshes_it_and_offers_the_link_modal(slack):
    _, _, content = await _suggestion(slack, joined=[OLA])
    mark = slack.api.mark()
    await slack.click(OLA, "share", content, home=True)
    home, = await slack.api.wait_for("views.publish", since=mark)
    assert "+10 points" in home.text_of() and "shared by 1 person" in home.text_of()
    await slack.api.wait_for("views.open", since=mark)


async def test_advocacy_add_without_arguments_opens_the_admin_modal_and_adds_content(slack):
    mark = slack.api.mark()
    await slack.command(ADMIN, "add")
    modal, = await slack.api.wait_for("views.open", since=mark)
    view = modal.params["view"]
    assert view["callback_id"] == "add_content"
    assert [b["block_id"] for b in view["blocks"]] == ["url", "title", "summary", "captions", "tags", "kind"]
    assert not slack.api.since(mark, "response_url")

    ack = await slack.submit(payload("view_submission_add_content"))
    assert ack["response_action"] == "update"
    assert "Added #1 “Added from the modal”" in json.dumps(ack["view"], ensure_ascii=False)
    listed = await slack.say(ADMIN, "list")
    assert "Added from the modal" in listed and "What we learned." in listed and "#logistics #winter" in listed


async def test_the_add_modal_shows_a_bad_url_next_to_the_field(slack):
    body = payload("view_submission_add_content")
    body["view"]["state"]["values"]["url"]["url"]["value"] = "http://localhost/internal"
    ack = await slack.submit(body)
    assert ack["response_action"] == "errors" and "private or local" in ack["errors"]["url"]
    assert "library is empty" in await slack.say(ADMIN, "list")


async def test_the_global_shortcut_opens_the_add_modal(slack):
    mark = slack.api.mark()
    await slack.interact(payload("shortcut_global"))
    modal, = await slack.api.wait_for("views.open", since=mark)
    assert modal.params["view"]["callback_id"] == "add_content"


async def test_a_non_admins_forged_admin_submission_and_clicks_change_nothing(slack):
    forged = payload("view_submission_add_content")
    forged["user"]["id"] = EVE
    ack = await slack.submit(forged)
    assert "Only program admins can do that." in json.dumps(ack.get("view", {}))
    mark = slack.api.mark()
    click = await slack.click(EVE, "add_content", "", state={"values": {"c0/in/url": {"url": {
        "type": "plain_text_input", "value": "https://example.com/forged"}}}})
    assert "Only program admins" in (await slack.answer(slack.response_name(click))).text_of()
    click = await slack.click(EVE, "save_faq", "1")
    assert "Only program admins" in (await slack.answer(slack.response_name(click))).text_of()
    assert "library is empty" in await slack.say(ADMIN, "list")
    assert "Only program admins" in await slack.say(EVE, "digest now")
    assert not [c for c in slack.api.since(mark, "chat.postMessage") if c.params["channel"] == CHANNEL]


async def test_an_unknown_action_id_is_acknowledged_and_explained(slack):
    click = await slack.click(OLA, "launch_rockets", "42")
    answer = await slack.answer(slack.response_name(click))
    assert "no longer valid" in answer.text_of()
    mark = slack.api.mark()
    await slack.click(OLA, "open_url", "")  # a link button: acknowledged, nothing else
    await slack.api.quiet(0.3)
    assert slack.api.since(mark) == []


async def test_polish_members_get_polish_and_unicode_titles_survive(slack):
    title = "Zażółć gęślą jaźń 🎉 שלום עולם مرحبا"
    _, ts, content = await _suggestion(slack, "https://example.com/blog/zażółć", title, joined=[BASIA])
    post = slack.api.of("chat.postMessage", channel=CHANNEL)[-1]
    assert title in post.params["blocks"][0]["text"]["text"]
    click = await slack.click(BASIA, "claim", content, message_ts=ts)
    answer = (await slack.answer(slack.response_name(click))).text_of()
    assert "Zapisano na później" in answer and title in answer
    assert "punkt" in await slack.say(BASIA, "punkty")


async def test_forty_thousand_characters_get_a_polite_limit_not_a_crash(slack):
    mark = slack.api.mark()
    await slack.dm(OLA, "ą" * 40_000)
    reply, = await slack.api.wait_for("chat.postMessage", since=mark)
    assert "40000 characters long" in reply.text_of() and "3000" in reply.text_of()
    assert "40000 characters" in await slack.say(OLA, "x" * 40_000)
    huge = await slack.say(ADMIN, "faq add " + "q" * 2_900 + " | " + "a" * 50)
    assert huge  # answered, whatever it says


async def test_two_people_at_once_each_get_their_own_answer(slack):
    _, ts, content = await _suggestion(slack, joined=[OLA, BASIA])
    clicks = await asyncio.gather(*(slack.click(user, "share", content, message_ts=ts) for user in (OLA, BASIA)))
    answers = [(await slack.answer(slack.response_name(c))).text_of() for c in clicks]
    assert "You now have 10 points" in answers[0] and "10 punktów" in answers[1]
    # the count on the channel message ends right, whether the two edits were merged into one or not
    await slack.api.wait_for("chat.update", where=lambda u: "shared by 2 people" in u.text_of())


async def test_an_unanswered_question_goes_to_the_admin_who_answers_from_the_dm_card(slack):
    await slack.say(ADMIN, "help")  # the admin is known to the bot (policy owners default to admins)
    mark = slack.api.mark()
    await slack.dm(OLA, "can I post the quarterly revenue figures before the results?")
    card, = await slack.api.wait_for("chat.postMessage", since=mark, timeout=20,
                                     where=lambda c: c.params.get("channel") == ADMIN)
    blocks = card.params["blocks"]
    field = next(b for b in blocks if b["type"] == "input")
    assert field["element"]["action_id"] == "answer"
    answer_button = next(e for e in _buttons(card) if e["action_id"] == "answer_question")
    typed = {"values": {field["block_id"]: {"answer": {"type": "plain_text_input",
                                                        "value": "No: results come from Investor Relations first."}}}}
    mark = slack.api.mark()
    click = await slack.click(ADMIN, "answer_question", answer_button["value"], channel="D_ADMIN",
                              state=typed, block_id=field["block_id"].split("/")[0] + "/a")
    assert "Sent to Ola Nowak" in (await slack.answer(slack.response_name(click))).text_of()
    reply, = await slack.api.wait_for("chat.postMessage", since=mark, where=lambda c: c.params["channel"] == OLA)
    assert "Investor Relations first" in reply.text_of()


async def test_the_answer_to_a_question_asked_in_a_channel_reaches_only_the_asker(slack):
    await slack.say(ADMIN, "help")
    mark = slack.api.mark()
    first = await slack.say(OLA, "ask Can I bring my dog to the office on Fridays?")
    assert "private message" in first
    card, = await slack.api.wait_for("chat.postMessage", since=mark, timeout=20,
                                     where=lambda c: c.params.get("channel") == ADMIN)
    ask_id = next(e for e in _buttons(card) if e["action_id"] == "answer_question")["value"]
    mark = slack.api.mark()
    assert "Sent to Ola Nowak" in await slack.say(ADMIN, f"answer {ask_id} Yes, on calm Fridays.", channel="D_ADMIN")
    reply, = await slack.api.wait_for("chat.postMessage", since=mark, where=lambda c: c.params["channel"] == OLA)
    assert "bring my dog" in reply.text_of() and "calm Fridays" in reply.text_of()
    await slack.api.quiet(0.3)
    seen_by_others = [c for c in slack.api.since(mark) if c.params.get("channel") == CHANNEL]
    assert seen_by_others == []


async def test_use_this_channel_then_the_digest_goes_there(slack):
    assert "#marketing" in await slack.say(ADMIN, "use this channel", channel="C_MARKETING", channel_name="marketing")
    await slack.say(ADMIN, "add https://example.com/blog/here Here")
    assert "#marketing" in await slack.say(ADMIN, "digest now")
    await slack.api.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "C_MARKETING")
