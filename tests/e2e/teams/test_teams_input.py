"""Bad, odd and repeated input: nothing breaks, nothing happens twice, nobody gains rights."""
import json

from tests.e2e.teams.conftest import TEAM, payload


async def test_bodies_that_are_not_activities_get_400_and_no_answer(teams):
    good = teams.dm("ola", "points")
    broken = {
        "not JSON": b"{\"type\": \"message\",",
        "not UTF-8": b"\xff\xfe{}",
        "a list": b"[1, 2]",
        "a string": b"\"message\"",
        "no type": {k: v for k, v in good.items() if k != "type"},
        "empty type": {**good, "type": ""},
        "no conversation": {k: v for k, v in good.items() if k != "conversation"},
        "no conversation id": {**good, "conversation": {"conversationType": "personal"}},
        "conversation a string": {**good, "conversation": "a:1"},
        "no sender": {k: v for k, v in good.items() if k != "from"},
        "no serviceUrl": {k: v for k, v in good.items() if k != "serviceUrl"},
        "serviceUrl not a URL": {**good, "serviceUrl": "file:///etc/passwd"},
        "text a number": {**good, "text": 42},
        "channelData a string": {**good, "channelData": "tenant"},
        "entities an object": {**good, "entities": {"type": "mention"}},
        "reactions an object": {**good, "type": "messageReaction", "reactionsAdded": {"type": "like"}},
        "timestamp nonsense": {**good, "timestamp": "yesterday-ish"},
    }
    for name, body in broken.items():
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = await teams.post(None, raw=raw)
        assert response.status_code == 400, (name, response.status_code, response.text)
        assert "error" in response.json()
    assert teams.connector.calls == []
    assert "Traceback" not in teams.server.log()


async def test_activities_the_bot_does_not_use_are_accepted_and_ignored(teams):
    for kind in ("typing", "event", "messageUpdate", "messageDelete", "endOfConversation", "somethingNew"):
        await teams.post(teams.activity("message_personal", "ola", type=kind, text=None), expect=202)
    other_invoke = teams.activity("invoke_action_execute", "ola", name="task/fetch")
    assert (await teams.post(other_invoke)).status_code == 501
    assert teams.connector.since(0, "send") == []


async def test_unknown_or_malformed_card_actions_answer_that_the_button_is_no_longer_valid(teams):
    await teams.join("ola")
    assert "no longer valid" in await teams.click("ola", "launch_missiles", "1")
    odd = teams.execute("ola", "claim", "1")
    odd["value"] = {"action": "not an object"}
    answer = (await teams.post(odd, expect=200)).json()
    assert "no longer valid" in answer["value"]
    odd["id"] += "x"
    odd["value"] = None
    assert "no longer valid" in (await teams.post(odd, expect=200)).json()["value"]
    submitted = await teams.press("ola", {"verb": "format_disk", "target": "1"})
    assert "no longer valid" in submitted.text_of()
    no_verb = await teams.press("ola", {"link": "https://example.com"})
    assert "no longer valid" in no_verb.text_of()
    assert "There is no content #999" in await teams.click("ola", "claim", "999")
    assert "There is no content" in await teams.click("ola", "share", "'; DROP TABLE shares; --")


async def test_a_40000_character_message_is_refused_politely(teams):
    reply = await teams.say("ola", "a" * 40_000)
    assert "40000 characters long; the limit is 3000" in reply
    assert len(reply) < 500


async def test_emoji_polish_diacritics_and_right_to_left_text_survive_the_round_trip(teams):
    await teams.install_in_team()
    await teams.join("ola")
    title = "Zażółć gęślą jaźń 🚀 — مرحبا بالعالم"
    added = await teams.say("ada", f"add https://example.com/zazolc {title}")
    assert title in added
    content_id = added.split("#", 1)[1].split()[0]
    mark = teams.connector.mark()
    await teams.say("ada", "digest now", channel=TEAM)
    post, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == TEAM and c.cards)
    assert post.cards[0]["body"][0]["text"] == f"[{title}](https://example.com/zazolc)"
    assert post.activity["summary"] == title
    polish = await teams.say("basia", "punkty")
    assert "punkt" in polish
    rtl = await teams.say("ola", "مرحبا كيف حالك")
    assert rtl.strip()
    emoji = await teams.click("ola", "claim", content_id)
    assert "Zażółć gęślą jaźń 🚀" in emoji


async def test_a_non_admins_forged_admin_card_submit_is_refused_on_the_server(teams):
    forged = {"url": "https://evil.example/steal", "title": "Forged content", "kind": "value"}
    answer = await teams.click("eve", "add_content", values=forged)
    assert "Only program admins can do that" in answer
    submitted = await teams.press("eve", {"verb": "add_content", **forged})
    assert "Only program admins can do that" in submitted.text_of()
    assert "Forged content" not in await teams.say("ada", "list")
    assert "Only program admins" in await teams.say("eve", "digest now")
    assert "Added #" in await teams.click("ada", "add_content", values={**forged, "url": "https://example.com/ok",
                                                                         "title": "Admin content"})


async def test_a_redelivered_message_is_answered_once(teams):
    body = teams.dm("ola", "join")
    first = await teams.send(body)
    mark = teams.connector.mark()
    await teams.post(body, expect=202)
    assert await teams.connector.quiet(mark, settle=0.3) == []
    assert "Welcome aboard" in first.text_of()


async def test_a_redelivered_or_double_clicked_share_counts_once(teams):
    await teams.install_in_team()
    await teams.join("ola")
    content, message, _ = await teams.suggestion()
    click = teams.execute("ola", "share", content, message_id=message)
    first = (await teams.post(click, expect=200)).json()["value"]
    again = (await teams.post(click, expect=200)).json()["value"]   # the same invoke, redelivered
    assert "+10 points" in first and "+10" not in again
    double = await teams.click("ola", "share", content, message_id=message)  # a second click
    assert "counted once" in double
    submit = teams.submit("ola", {"verb": "share", "target": content}, message_id=message)
    await teams.post(submit, expect=202)
    mark = teams.connector.mark()
    await teams.post(submit, expect=202)
    assert teams.connector.since(mark, "send") == []
    assert "You have 10 points" in await teams.points("ola")


async def test_a_redelivered_reaction_counts_once(teams):
    await teams.install_in_team()
    await teams.join("ola")
    content, message, _ = await teams.suggestion()
    reaction = teams.reaction("ola", message)
    mark = teams.connector.mark()
    await teams.post(reaction, expect=202)
    await teams.post(reaction, expect=202)
    await teams.connector.wait_for("send", since=mark)
    await teams.connector.quiet(mark, settle=0.3)
    assert len(teams.connector.sends(mark)) == 1
    assert "You have 10 points" in await teams.points("ola")


async def test_the_same_activity_id_in_two_conversations_is_two_messages(teams):
    one = teams.dm("ola", "points")
    two = teams.dm("basia", "points")
    two["id"] = one["id"]
    assert await teams.send(one) is not None
    assert await teams.send(two) is not None


async def test_a_mention_without_its_entity_and_html_entities_still_read_as_the_command(teams):
    body = teams.channel_message("ola", "points", mention=False)
    body["text"] = "<at>Advocacy</at>&nbsp;points"
    reply = await teams.send(body)
    assert "You have 0 points" in reply.text_of()
    body = teams.dm("ola", "add https://example.com/?a=1&amp;b=2 AT&amp;T story")
    assert "Only program admins" in (await teams.send(body)).text_of()


async def test_a_sample_payload_from_the_emulator_without_teams_fields_works(teams):
    body = payload("message_personal")
    body.update(serviceUrl=teams.connector.service_url, channelId="emulator", id="emu-1", text="help")
    body["conversation"] = {"id": "emulator-conversation-1"}
    body.pop("channelData")
    body.pop("entities")
    reply = await teams.send(body)
    assert "join" in reply.text_of()
