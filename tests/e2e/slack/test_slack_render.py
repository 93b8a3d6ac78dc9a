"""Block Kit rendering and payload translation, checked in-process against slack_sdk's own
validators (they mirror Slack's documented limits), so no reply is ever rejected for its size."""
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.models import Button, Card, Message, TextInput
from handlers.slack import render, translate
from bot.i18n import LANGUAGES


def valid(blocks: list[dict]) -> list[dict]:
    for block in Block.parse_all(blocks):
        block.validate_json()
    return blocks


def card(n: int = 0, **kw) -> Card:
    base = dict(title=f"Post {n}", body="Body", url=f"https://example.com/{n}", quote="Caption",
                buttons=(Button("Share on LinkedIn", url="https://www.linkedin.com/x"),
                         Button("Save for later", verb="claim", target=str(n)),
                         Button("✅ I posted it", verb="share", target=str(n), style="primary")),
                inputs=(TextInput("link", "Link to your post"),), footer=f"#{n}")
    return Card(**{**base, **kw})


def test_forty_thousand_characters_become_valid_sections():
    blocks = render.message_blocks(Message("ż" * 40_000 + "\n" + "x" * 10))
    assert len(blocks) <= render.TEXT_CHUNKS and all(len(b["text"]["text"]) <= 3000 for b in valid(blocks))
    assert blocks[-1]["text"]["text"].endswith("…")
    assert len(render.fallback_text(Message("y" * 40_000))) <= 3000


def test_many_cards_stay_within_fifty_blocks_and_say_how_many_more():
    blocks = valid(render.message_blocks(Message("Library:", cards=tuple(card(i) for i in range(40)))))
    assert len(blocks) <= 50
    assert "more" in blocks[-1]["elements"][0]["text"]


def test_long_labels_values_and_urls_are_cut_or_dropped():
    huge = card(1, title="T" * 5000, body="B" * 5000, buttons=(
        Button("L" * 300, verb="claim", target="9" * 3000),
        Button("Link", url="https://example.com/" + "u" * 4000),
        Button("Again", verb="claim", target="1"),
    ), fields=tuple((f"k{i}", "v" * 3000) for i in range(15)))
    blocks = valid(render.card_blocks(huge, 0))
    actions = next(b for b in blocks if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == ["claim", "claim#2"]
    assert len(actions[0]["text"]["text"]) <= 75 and len(actions[0]["value"]) <= 2000
    section = blocks[0]
    assert len(section["text"]["text"]) <= 3000 and len(section["fields"]) == 10


def test_text_is_escaped_so_nobody_is_pinged_and_links_stay_links():
    blocks = render.message_blocks(Message("<!channel> & <@U1> *bold*", cards=(card(2, title="A <b> & c"),)))
    assert blocks[0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U1&gt; *bold*"
    assert "*<https://example.com/2|A &lt;b&gt; &amp; c>*" in blocks[1]["text"]["text"]


def test_inputs_are_drawn_in_private_answers_only():
    with_inputs = render.message_blocks(Message(cards=(card(),)), inputs=True)
    without = render.message_blocks(Message(cards=(card(),)), inputs=False)
    assert [b["block_id"] for b in with_inputs if b["type"] == "input"] == ["c0/in/link"]
    assert not [b for b in without if b["type"] == "input"]


def test_a_suggestion_title_is_not_drawn_twice_but_notifies():
    message = Message("Post 0", cards=(card(),))
    assert render.fallback_text(message) == "Post 0"
    assert render.message_blocks(message)[0]["block_id"] == "c0/s"


def test_views_are_valid_in_both_languages():
    big = Message("Home", cards=tuple(card(i) for i in range(60)))
    View(**render.home_view(big, notice="Done")).validate_json()
    assert len(render.home_view(big)["blocks"]) <= 100
    for lang in LANGUAGES:
        View(**render.add_content_modal(lang, {"channel": "C1"})).validate_json()
        View(**render.link_modal(lang, Message("Thanks!"), TextInput("link", "Link"), {"target": "1"})).validate_json()
        View(**render.result_modal(lang, Message("Added"))).validate_json()
    assert render.add_content_modal("pl", {})["title"]["text"] == "Dodaj treść"
    assert render.add_content_modal("en", {})["blocks"][0]["label"]["text"] == "Link (URL)"


def test_empty_messages_say_nothing():
    assert render.is_empty(Message()) and render.is_empty(None) and not render.is_empty(Message("x"))


def test_slack_text_is_read_as_typed():
    clean = translate.clean_text
    assert clean("<@UBOT> add <https://example.com/a?b=1&amp;c=2|example.com/a> Title", strip_mention=True) == \
        "add https://example.com/a?b=1&c=2 Title"
    assert clean("use <#C123|general> &lt;3 <@U9|ola> <!here>") == "use #general <3 @ola @here"
    assert clean("<@UBOT>") == "@UBOT" and clean("<@UBOT>", strip_mention=True) == ""
    assert clean("Zażółć 🎉 שלום") == "Zażółć 🎉 שלום"


def test_typed_values_are_read_from_the_clicked_card_only():
    state = {"values": {"c0/in/link": {"link": {"type": "plain_text_input", "value": "https://a"}},
                        "c1/in/link": {"link": {"type": "plain_text_input", "value": "https://b"}},
                        "kind": {"kind": {"type": "radio_buttons", "selected_option": {"value": "promotional"}}}}}
    assert translate.input_values(state, translate.card_prefix("c1/a")) == {"link": "https://b"}
    assert translate.input_values(state)["kind"] == "promotional"
    assert translate.input_values(None) == {}


def test_conversations_and_refs():
    assert translate.conversation("D123").kind == "direct"
    assert translate.conversation("C1", name="general").name == "#general"
    assert translate.conversation("C1", name="directmessage").kind == "direct"
    assert translate.split_ref(translate.message_ref("C1", "17.0001")) == ("C1", "17.0001")
