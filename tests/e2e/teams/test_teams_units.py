"""The adapter's pure parts, without a server: translation, rendering, error mapping, redaction."""
import logging
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import ClaimsIdentity

from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.models import Address, Button, Card, ConversationKind, Message
from handlers.teams import render, translate
from handlers.teams.app import problem, service_url_matches
from handlers.teams.config import load_teams_settings
from handlers.teams.connector import ConnectorError, retry_after_seconds
from handlers.teams.gateway import delivery_error
from handlers.teams.redact import RedactTeamsSecrets
from tests.e2e.teams.conftest import PASSWORD, TEAM, payload

DM = Address("teams", "29:ola", ConversationKind.DIRECT, "Ola")
CHANNEL = Address("teams", TEAM, ConversationKind.CHANNEL, "Marketing › General")


def activity(name: str, **fields) -> Activity:
    body = payload(name)
    body.update(fields)
    return Activity.model_validate(body)


def test_a_channel_message_is_a_channel_conversation_without_the_thread_and_the_mention():
    message = activity("message_channel_mention", text="<at>Advocacy</at> use&nbsp;this channel &amp; more")
    incoming = translate.from_message(message)
    assert incoming.conversation.id == TEAM and incoming.conversation.kind == ConversationKind.CHANNEL
    assert incoming.text == "use this channel & more"
    assert incoming.actor.timezone == "Europe/Warsaw" and incoming.actor.locale == "en-US"
    assert incoming.conversation.name == "General"


def test_a_personal_message_is_addressed_by_the_members_id():
    incoming = translate.from_message(activity("message_personal"))
    assert incoming.conversation.kind == ConversationKind.DIRECT
    assert incoming.conversation.id == incoming.actor.user_id and incoming.actor.user_id.startswith("29:")


def test_a_channel_created_event_does_not_lend_its_name_to_the_general_channel():
    update = payload("conversation_update_members_added")
    update["channelData"].update(eventType="channelCreated", channel={"id": "19:new@thread.tacv2", "name": "New"})
    assert translate.channel_name(Activity.model_validate(update)) == "Marketing › General"


def test_redelivery_keys_include_the_conversation():
    one = activity("message_personal")
    two = activity("message_personal", conversation={"id": "a:other", "conversationType": "personal"})
    assert translate.event_id(one) != translate.event_id(two)
    assert translate.event_id(one) == translate.event_id(activity("message_personal"))


def test_bad_time_zones_are_dropped():
    odd = activity("message_personal", localTimezone="Mars/Olympus_Mons", entities=[])
    assert translate.actor(odd).timezone is None


def test_card_data_becomes_an_action_and_odd_data_an_unknown_one():
    assert translate.action_from({"verb": "share", "target": 7, "link": "https://x.y", "n": {"deep": 1}}).values == \
        {"link": "https://x.y"}
    assert translate.action_from("junk").verb == ""
    assert translate.action_from({"verb": ["claim"]}).verb == ""


def test_the_core_markup_becomes_teams_markdown_and_cards_degrade_to_text():
    assert render.markdown("*Bold* and _it_\nnext line") == "**Bold** and _it_\n\nnext line"
    message = Message("Thanks *Ola*", cards=(Card("Add the link for +5", body="Paste it"),))
    assert render.flat_text(message) == "Thanks Ola Add the link for +5 Paste it"


def test_a_suggestion_message_shows_its_title_once_and_at_most_six_actions():
    buttons = tuple(Button(f"b{i}", verb="claim", target=str(i)) for i in range(9))
    body = render.message_body(Message("Title", cards=(Card("Title", buttons=buttons),)))
    assert "text" not in body and body["summary"] == "Title"
    assert len(body["attachments"][0]["content"]["actions"]) == 6
    unsafe = render.action(Button("x", url="javascript:alert(1)"))
    assert unsafe is None


def long_cards(text: str, count: int = 10) -> tuple[Card, ...]:
    """Cards at the lengths the add form allows (title 300, summary 2000, a 500-character caption)."""
    return tuple(Card(title=(f"{n} " + text * 20)[:300], body=(text * 80)[:2000], url=f"https://example.com/{n}",
                      quote="Suggested caption: " + (text * 20)[:500],
                      footer="No. 7 · " + " ".join(f"#tag{t}" for t in range(30)),
                      buttons=(Button("Save for later", verb="claim", target=str(n)),
                               Button("✅ I posted it", verb="share", target=str(n), style="primary")))
                 for n in range(count))


@pytest.mark.parametrize("text", ["Plain words for a summary. ", "Zażółć gęślą jaźń, ćma łódź 🚀 — "])
def test_a_list_too_large_for_one_teams_message_is_split_into_messages_that_fit(text):
    message = Message("Latest content in the library (10):", cards=long_cards(text))
    assert render.size(render.message_bodies(message, limit=10**9)[0]) > 28 * 1024, "one message would not fit"
    bodies = render.message_bodies(message)
    assert len(bodies) > 1 and all(render.size(body) <= render.MESSAGE_BYTES for body in bodies)
    assert bodies[0]["text"].startswith("Latest content") and all("text" not in b for b in bodies[1:])
    shown = [a["content"] for body in bodies for a in body["attachments"]]
    assert [card["body"][0]["text"] for card in shown] == [
        render.adaptive_card(card)["body"][0]["text"] for card in message.cards], "all, whole, in order"


def test_a_card_too_large_for_a_message_alone_is_trimmed_and_small_messages_stay_one():
    huge = Card("Facts", fields=tuple((f"field {n}", "ż" * 3000) for n in range(20)), body="ą" * 3000)
    body, = render.message_bodies(Message("", cards=(huge,)))
    assert render.size(body) <= render.MESSAGE_BYTES and body["attachments"][0]["content"]["body"][0]["text"] == "Facts"
    small = Message("hi", cards=tuple(Card(f"c{n}") for n in range(12)))
    first, second = render.message_bodies(small)
    assert len(first["attachments"]) == 10 and len(second["attachments"]) == 2, "at most ten cards a message"
    assert render.message_bodies(Message("x" * 20_000))[0]["text"] == "x" * (render.TEXT_LIMIT - 1) + "…"


def test_a_required_link_field_and_a_primary_button_render_as_teams_understands_them():
    from bot.models import TextInput
    field = TextInput("link", "Link to your post", "https://…", required=True, kind="url",
                      error_message="Paste the whole link")
    assert render.text_input(field) == {"type": "Input.Text", "id": "link", "label": "Link to your post",
                                        "isRequired": True, "maxLength": render.INPUT_MAX, "placeholder": "https://…",
                                        "style": "Url", "errorMessage": "Paste the whole link"}
    optional = render.text_input(TextInput("answer", "Your answer"))
    assert optional["isRequired"] is False and "style" not in optional and "errorMessage" not in optional
    primary = render.action(Button("Save link", verb="link", target="7", style="primary"))
    assert primary["style"] == "positive" and primary["fallback"]["style"] == "positive"
    assert "style" not in render.action(Button("Save for later", verb="claim", target="7"))


def test_activities_without_what_a_turn_needs_are_named():
    good = payload("message_personal")
    assert problem(good) is None
    assert problem({**good, "serviceUrl": "ftp://x"}) == "the activity has no usable serviceUrl"
    assert problem({**good, "from": {}}) == "the activity has no from.id"
    assert problem([good]) is not None


def test_a_token_for_another_service_url_is_refused():
    act = activity("message_personal")
    assert service_url_matches(ClaimsIdentity(), act)
    assert service_url_matches(ClaimsIdentity({"serviceurl": "https://SMBA.trafficmanager.net/emea/"}), act)
    assert not service_url_matches(ClaimsIdentity({"serviceurl": "https://evil.example/"}), act)


@pytest.mark.parametrize("status, address, op, kind, permanent", [
    (403, DM, "post", RecipientUnreachable, True),
    (404, DM, "post", RecipientUnreachable, True),
    (403, CHANNEL, "post", NotInChannel, True),
    (404, CHANNEL, "update", DeliveryError, True),
    (400, CHANNEL, "post", DeliveryError, True),
    (401, CHANNEL, "post", DeliveryError, False),
    (429, CHANNEL, "post", DeliveryError, False),
    (502, DM, "post", DeliveryError, False),
    (0, DM, "post", DeliveryError, False),
])
def test_connector_failures_map_to_the_cores_delivery_errors(status, address, op, kind, permanent):
    error = delivery_error(ConnectorError(status, op, retry_after=7.0 if status == 429 else None), address, op)
    assert type(error) is kind and error.permanent is permanent
    if status == 429:
        assert error.retry_after == 7.0 and error.reason == "ratelimited"


def test_retry_after_is_read_as_seconds_or_a_date():
    assert retry_after_seconds("3") == 3.0 and retry_after_seconds("0.25") == 0.25
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 31
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_the_password_and_bearer_tokens_are_masked_in_log_records():
    flt = RedactTeamsSecrets((PASSWORD,))
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "login with %s failed; Authorization: Bearer %s",
                               (PASSWORD, "eyJhbGciOiJSUzI1NiJ9.payload.signature"), None)
    flt.filter(record)
    assert PASSWORD not in record.getMessage() and "eyJhbGci" not in record.getMessage()


def test_half_configured_credentials_name_the_missing_variable():
    from bot.errors import ConfigError
    with pytest.raises(ConfigError) as caught:
        load_teams_settings({"MICROSOFT_APP_ID": "x", "MICROSOFT_APP_TENANT_ID": "t"})
    assert caught.value.variable == "MICROSOFT_APP_PASSWORD"
    assert not load_teams_settings({}).enabled and load_teams_settings({}, dev=True).anonymous
    assert load_teams_settings({"TEAMS_SHARE_REACTIONS": "Like, heart"}).share_reactions == {"like", "heart"}
    with pytest.raises(ConfigError):
        load_teams_settings({"TEAMS_SHARE_REACTIONS": "thumbs up!"})
