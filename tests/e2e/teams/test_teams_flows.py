"""Teams as employees and admins use it, over real HTTP against `advocacy serve` and a fake connector."""
from urllib.parse import quote

from tests.e2e.teams.conftest import ADA, BOT, EVE, LAUNCHES, OLA, TEAM, personal_chat

LINKEDIN = "https://www.linkedin.com/sharing/share-offsite/?url="


async def test_installing_in_a_team_makes_its_general_channel_the_suggestions_channel(teams):
    await teams.install_in_team()
    await teams.say("ada", "add https://example.com/a Story A")
    await teams.say("ada", "add https://example.com/b Story B")
    mark = teams.connector.mark()
    answer = await teams.say("ada", "digest now")  # in personal chat: the digest still goes to the team
    assert "Posted 2 suggestions to Marketing › General." in answer
    posts = await teams.connector.wait_for("send", since=mark, count=2, where=lambda c: c.conversation_id == TEAM)
    for post in posts:
        assert post.activity_id is None, "a new top-level post, not a reply in some thread"
        assert post.activity["from"]["id"] == BOT and post.activity["conversation"]["id"] == TEAM
        assert ";messageid=" not in post.path


async def test_installing_twice_greets_nobody_in_the_channel_and_lists_the_team_channels_once_per_event(teams):
    await teams.install_in_team()
    sends = teams.connector.since(0, "send")
    assert sends == [], "no chatter in a channel just because the app was added"
    assert len(teams.connector.since(0, "channels")) == 2


async def test_personal_install_greets_once_with_the_command_list(teams):
    mark = teams.connector.mark()
    await teams.post(teams.activity("installation_update_add_personal", "ola"), expect=202)
    again = teams.activity("conversation_update_bot_added_team", "ola")
    again["conversation"] = {"conversationType": "personal", "id": personal_chat(OLA),
                             "tenantId": again["conversation"]["tenantId"]}
    await teams.post(again, expect=202)
    welcome, = await teams.connector.wait_for("send", since=mark)
    assert welcome.conversation_id == personal_chat(OLA)
    assert "join" in welcome.text_of() and "points" in welcome.text_of()
    assert len(await teams.connector.quiet(mark, "send", settle=0.2)) == 1


async def test_commands_in_personal_chat_are_answered_there_in_the_members_language(teams):
    reply = await teams.send(teams.dm("ola", "join"))
    assert reply.conversation_id == personal_chat(OLA)
    assert reply.activity["recipient"]["id"] == OLA and reply.activity["from"]["id"] == BOT
    assert "Welcome aboard" in reply.text_of()
    assert reply.activity["textFormat"] == "markdown"
    polish = await teams.say("basia", "dołącz")
    assert "Witaj w programie" in polish, polish
    assert f"Teams: first contact from Ola Nowak, id {OLA}" in teams.server.log(), "how admins find ids"


async def test_commands_in_a_channel_answer_in_the_thread_without_the_mention(teams):
    body = teams.channel_message("ola", "points")
    reply = await teams.send(body)
    assert reply.conversation_id == f"{TEAM};messageid={body['id']}"
    assert reply.activity_id == body["id"], "a reply to the message, in its thread"
    assert "You have 0 points" in reply.text_of()


async def test_an_admin_chooses_the_channel_with_use_this_channel_and_the_digest_goes_there(teams):
    await teams.install_in_team()
    assert "Only program admins" in await teams.say("ola", "use this channel", channel=LAUNCHES)
    answer = await teams.say("ada", "use this channel", channel=LAUNCHES)
    assert "Marketing › Launches" in answer
    await teams.say("ada", "add https://example.com/a Story A")
    mark = teams.connector.mark()
    assert "Posted 1 suggestion to Marketing › Launches" in await teams.say("ada", "digest now")
    post, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == LAUNCHES)
    assert post.activity_id is None


async def test_digest_now_without_any_channel_says_how_to_choose_one(teams):
    await teams.say("ada", "add https://example.com/a Story A")
    assert "use this channel" in await teams.say("ada", "digest now")


async def test_a_suggestion_is_an_adaptive_card_with_linkedin_save_and_the_primary_posted_button(teams):
    await teams.install_in_team()
    content, _, post = await teams.suggestion()
    card, = post.cards
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "[Winter routes](https://example.com/blog/winter-routes)"
    assert "Suggested caption" in post.text_of()
    assert f"No. {content} · shared by 0 people" in card["body"][-1]["text"], "the number is no hashtag"
    linkedin, claim, share = post.actions()
    assert linkedin == {"type": "Action.OpenUrl", "title": "Share on LinkedIn",
                        "url": LINKEDIN + quote("https://example.com/blog/winter-routes", safe="")}
    assert (claim["type"], claim["verb"], claim["data"]) == ("Action.Execute", "claim", {"verb": "claim",
                                                                                       "target": content})
    assert (claim["title"], share["title"]) == ("Save for later", "✅ I posted it")
    assert "style" not in claim and share["style"] == "positive" and share["fallback"]["style"] == "positive"
    assert share["fallback"]["type"] == "Action.Submit" and share["fallback"]["data"]["verb"] == "share"
    assert post.inputs() == [], "the field for the post link comes only after sharing"
    assert post.activity["summary"] == "Winter routes" and "text" not in post.activity


def link_field_and_button(offer) -> tuple[dict, dict]:
    field, = offer.inputs()
    button, = offer.actions()
    return field, button


async def test_claim_and_share_answer_the_clicker_only_and_the_link_field_comes_in_the_personal_chat(teams):
    await teams.install_in_team()
    await teams.say("ola", "join", channel=TEAM)  # Ola joins in the team, never wrote to the bot personally
    content, message, _ = await teams.suggestion()
    mark = teams.connector.mark()
    assert "Saved for later" in await teams.click("ola", "claim", content, message_id=message)
    answer = await teams.click("ola", "share", content, message_id=message)
    assert "+10 points. You now have 10 points." in answer and "+5 points" in answer
    update, = await teams.connector.wait_for("update", since=mark)
    assert update.conversation_id == TEAM and update.activity_id == message
    assert "shared by 1 person" in update.text_of()
    assert update.activity["id"] == message
    opened, = await teams.connector.wait_for("create", since=mark)
    offer, = await teams.connector.wait_for("send", since=mark)
    assert offer.conversation_id == opened.answer["id"], "the link offer goes to Ola's personal chat"
    assert teams.connector.sends(mark, TEAM) == [], "nothing posted for everyone to see"
    field, button = link_field_and_button(offer)
    assert (field["type"], field["id"], field["isRequired"], field["style"]) == ("Input.Text", "link", True, "Url")
    assert "https://" in field["errorMessage"] and field["label"] == "Link to your post"
    assert (button["title"], button["verb"], button["style"]) == ("Save link", "link", "positive")
    linked = await teams.click("ola", "link", content, channel=None, message_id=offer.answer["id"],
                               values={"link": "https://www.linkedin.com/posts/ola-winter-routes"})
    assert "Link saved, +5 points. You now have 15 points." in linked
    assert "You have 15 points" in await teams.points("ola")


async def test_a_fallback_card_buttons_confirmation_stays_private(teams):
    await teams.install_in_team()
    await teams.join("ola")
    content, message, _ = await teams.suggestion()
    mark = teams.connector.mark()
    claimed = await teams.press("ola", {"verb": "claim", "target": content}, message_id=message)
    assert "Saved for later" in claimed.text_of()
    shared = await teams.press("ola", {"verb": "share", "target": content, "link": ""}, message_id=message)
    assert "Thanks for sharing “Winter routes”! +10 points. You now have 10 points." in shared.text_of()
    field, _ = link_field_and_button(shared)
    assert field["isRequired"] is True, "the link offer comes with its field"
    await teams.connector.quiet(mark, "send")
    assert teams.connector.sends(mark, TEAM) == [] and not [
        c for c in teams.connector.sends(mark) if c.conversation_id.startswith(TEAM)], "nothing in the channel"
    linked = await teams.press("ola", {"verb": "link", "target": content,
                                       "link": "https://www.linkedin.com/posts/ola-1"}, message_id=message)
    assert "Link saved, +5 points. You now have 15 points." in linked.text_of()


async def test_a_fallback_press_with_targeted_replies_on_answers_with_a_targeted_reply(start_teams):
    teams = await start_teams(TEAMS_TARGETED_REPLIES="true")
    await teams.install_in_team()
    await teams.join("ola")
    content, message, _ = await teams.suggestion()
    body = teams.submit("ola", {"verb": "share", "target": content}, message_id=message)
    reply = await teams.send(body)
    assert "+10 points" in reply.text_of()
    assert reply.query == {"isTargetedActivity": "true"} and reply.activity["recipient"]["id"] == OLA
    assert reply.activity["entities"] == [{"type": "activityTreatment", "treatment": "targeted"}]


async def test_list_too_large_for_one_teams_message_is_sent_as_several_that_fit(teams):
    polish = "Zażółć gęślą jaźń, ćma łódź — "
    for n in range(10):
        values = {"url": f"https://example.com/blog/long-{n}", "title": (f"{n} " + polish * 20)[:300],
                  "summary": (polish * 80)[:2000], "captions": "\n".join([(polish * 20)[:500]] * 5),
                  "tags": " ".join(f"tag{t}" for t in range(30)), "kind": "value"}
        assert "Added #" in await teams.click("ada", "add_content", values=values, channel=None)
    mark = teams.connector.mark()
    body = teams.channel_message("ada", "list")
    await teams.post(body, expect=202)
    replies = await teams.connector.quiet(mark, "send")
    assert all(r.ok for r in replies), [(r.status, r.size) for r in replies]
    assert len(replies) > 1 and max(r.size for r in replies) <= 28 * 1024
    assert all(r.activity_id == body["id"] for r in replies), "all in the thread of the command"
    titles = [c["body"][0]["text"] for r in replies for c in r.cards]
    assert [t.split(" ", 1)[0] for t in titles] == [f"[{n}" for n in range(9, -1, -1)], "all ten, newest first"
    assert "Latest content in the library (10)" in replies[0].text_of()


async def test_a_counted_reaction_shares_and_confirms_in_a_personal_chat_and_removing_it_takes_it_back(teams):
    await teams.install_in_team()
    content, message, _ = await teams.suggestion()
    await teams.say("ola", "join", channel=TEAM)  # Ola joins in the team, never wrote to the bot personally
    mark = teams.connector.mark()
    await teams.post(teams.reaction("ola", message, "heart"), expect=202)
    opened, = await teams.connector.wait_for("create", since=mark)
    assert opened.activity["members"] == [{"id": OLA}] and opened.activity["tenantId"]
    confirmation, = await teams.connector.wait_for("send", since=mark)
    assert confirmation.conversation_id == opened.answer["id"] and "+10 points" in confirmation.text_of()
    update, = await teams.connector.wait_for("update", since=mark)
    assert "shared by 1 person" in update.text_of()

    mark = teams.connector.mark()
    await teams.post(teams.reaction("ola", message, "heart", removed=True), expect=202)
    taken_back, = await teams.connector.wait_for("send", since=mark)
    assert "taken back" in taken_back.text_of() and "You now have 0 points" in taken_back.text_of()
    assert teams.connector.since(mark, "create") == [], "the personal chat is remembered"
    assert "You have 0 points" in await teams.points("ola")


async def test_reactions_that_do_not_count_or_on_other_messages_change_nothing(teams):
    await teams.install_in_team()
    content, message, _ = await teams.suggestion()
    mark = teams.connector.mark()
    await teams.post(teams.reaction("ola", message, "laugh"), expect=202)
    await teams.post(teams.reaction("ola", "1763000000000", "like"), expect=202)
    assert await teams.connector.quiet(mark, settle=0.3) == []
    assert "You have 0 points" in await teams.points("ola")


async def test_which_reactions_count_is_configurable(start_teams):
    teams = await start_teams(TEAMS_SHARE_REACTIONS="surprised")
    await teams.install_in_team()
    await teams.join("ola")
    content, message, _ = await teams.suggestion()
    await teams.post(teams.reaction("ola", message, "like"), expect=202)
    await teams.post(teams.reaction("ola", message, "surprised"), expect=202)
    assert "You have 10 points" in await teams.points("ola")


async def test_a_policy_question_in_a_channel_is_answered_in_its_thread(teams):
    body = teams.channel_message("ola", "can I share the public blog post about our office opening?")
    reply = await teams.send(body)
    assert reply.conversation_id == f"{TEAM};messageid={body['id']}"
    assert reply.text_of().strip()


async def test_a_nudge_is_a_proactive_personal_message_with_the_weeks_cards(teams):
    await teams.install_in_team()
    await teams.say("ola", "join")
    content, message, _ = await teams.suggestion()
    mark = teams.connector.mark()
    assert "Queued 1 reminder" in await teams.say("ada", "nudge now")
    nudge, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == personal_chat(OLA))
    assert nudge.activity_id is None and "Winter routes" in nudge.text_of()
    assert any(a.get("verb") == "stop_nudges" for a in nudge.actions())
    mark = teams.connector.mark()
    shared = await teams.click("ola", "share", content, channel=None, message_id=nudge.answer["id"])
    assert "+10 points" in shared and "Add the link" not in shared
    offer, = await teams.connector.wait_for("send", since=mark)
    assert offer.conversation_id == personal_chat(OLA) and "Add the link to your post" in offer.text_of()
    assert [a["verb"] for a in offer.actions()] == ["link"]
    stop = await teams.click("ola", "stop_nudges", channel=None)
    assert "no more reminders" in stop


async def test_an_admin_question_escalation_opens_a_personal_chat_with_the_admin(teams):
    await teams.install_in_team()
    await teams.say("ada", "stats", channel=TEAM)  # the admin was seen in the team only
    mark = teams.connector.mark()
    await teams.say("eve", "ask may I post a screenshot of the unreleased quantum toaster dashboard?")
    opened, = await teams.connector.wait_for("create", since=mark)
    assert opened.activity["members"] == [{"id": ADA}]
    dm, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == opened.answer["id"])
    assert "quantum toaster" in dm.text_of()
    assert any(i["id"] == "answer" for i in dm.inputs()), "the owner can answer in the card"
    assert EVE not in dm.path


async def test_the_answer_to_a_question_asked_in_a_channel_reaches_only_the_asker(teams):
    await teams.install_in_team()
    await teams.say("ada", "help")
    await teams.say("eve", "join", channel=TEAM)  # Eve is seen in the team, never wrote to the bot personally
    mark = teams.connector.mark()
    first = await teams.say("eve", "ask can I bring my dog to the office on Fridays?", channel=TEAM)
    assert "private message" in first
    card, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == personal_chat(ADA))
    ask_id = next(a for a in card.actions() if a.get("verb") == "answer_question")["data"]["target"]
    mark = teams.connector.mark()
    assert "Sent to" in await teams.say("ada", f"answer {ask_id} Yes, on calm Fridays.")
    opened, = await teams.connector.wait_for("create", since=mark)
    assert opened.activity["members"] == [{"id": EVE}]
    answer, = await teams.connector.wait_for("send", since=mark,
                                             where=lambda c: c.conversation_id == opened.answer["id"])
    assert "bring my dog" in answer.text_of() and "calm Fridays" in answer.text_of()
    await teams.connector.quiet(mark, settle=0.3)
    assert [c for c in teams.connector.since(mark, "send") if c.conversation_id.startswith(TEAM)] == []


async def test_the_whole_round_on_postgresql(start_teams):
    teams = await start_teams(backend="postgresql")
    await teams.install_in_team()
    content, message, _ = await teams.suggestion()
    await teams.say("ola", "join", channel=TEAM)
    await teams.say("basia", "join", channel=TEAM)
    click = teams.execute("ola", "share", content, message_id=message)
    assert "+10 points" in (await teams.post(click, expect=200)).json()["value"]
    assert "+10" not in (await teams.post(click, expect=200)).json()["value"]
    mark = teams.connector.mark()
    await teams.post(teams.reaction("basia", message), expect=202)
    await teams.connector.wait_for("create", since=mark)
    await teams.connector.wait_for("update", since=mark, where=lambda c: "shared by 2 people" in c.text_of())
    assert "You have 10 points" in await teams.points("ola")
