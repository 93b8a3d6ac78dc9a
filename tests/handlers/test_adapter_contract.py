"""Every adapter keeps the contract in bot/ports.py: declared capabilities, the core's markup
through bot/markup.py, and one rendering for an immediate answer and a queued send."""
from pathlib import Path
from types import SimpleNamespace

import pytest
from microsoft_agents.activity import Activity

from bot.models import Address, Button, Card, Message, TextInput
from bot.ports import METHODS, Capability, check_gateway
from handlers.shell.render import ButtonBoard, render_message
from handlers.shell.session import ShellGateway
from handlers.slack import render as slack_render
from handlers.slack.gateway import SlackGateway
from handlers.slack.reply import Responder
from handlers.slack.translate import Where
from handlers.teams import render as teams_render
from handlers.teams.gateway import TeamsGateway
from handlers.teams.listeners import TeamsAgent
from tests.e2e.teams.conftest import TEAM, payload
from tests.fakes.gateway import RecordingGateway

ROOT = Path(__file__).resolve().parents[2]
GATEWAYS = {
    "slack": lambda: SlackGateway(client=None, responder=None),
    "teams": lambda: TeamsGateway(connector=None, refs=None),
    "shell": lambda: ShellGateway(ButtonBoard(), print),
    "fake": RecordingGateway,
}
MESSAGE = Message("*Stats* for _this week_: type `stats` & <see>", cards=(
    Card("Post & more", body="A *good* read", url="https://example.com/p", quote="_Caption_",
         buttons=(Button("Save for later", verb="claim", target="7"),), inputs=(TextInput("link", "Link"),),
         footer="No. 7"),))


@pytest.mark.parametrize("name", GATEWAYS)
def test_each_gateway_declares_exactly_the_capabilities_it_has(name):
    gateway = check_gateway(GATEWAYS[name]())
    for capability, method in METHODS.items():
        has = callable(getattr(gateway, method, None))
        assert has == (capability in gateway.capabilities), f"{name}: {capability.name} / {method}"


async def test_a_gateway_that_breaks_the_contract_is_refused_when_it_is_added(app):
    class Undeclared:
        platform = "x"

        async def post(self, address, message, key=None):
            return ""

    class Boasting(Undeclared):
        capabilities = Capability.FIND_SENT

    with pytest.raises(TypeError, match="declare its capabilities"):
        app.add_gateway(Undeclared())
    with pytest.raises(TypeError, match="FIND_SENT but has no `find_sent`"):
        app.add_gateway(Boasting())
    assert "x" not in app.gateways


def test_every_renderer_reads_the_core_markup_through_one_module():
    renderers = sorted((ROOT / "handlers").glob("*/render.py"))
    assert {p.parent.name for p in renderers} == {"shell", "slack", "teams"}
    for path in renderers:
        source = path.read_text(encoding="utf-8")
        assert "from bot import markup" in source and "re.compile" not in source, path


def test_each_platform_shows_the_core_markup_its_own_way():
    text = "*Stats* for _this week_: type `stats` & <see>"
    assert slack_render.marked(text) == "*Stats* for _this week_: type `stats` &amp; &lt;see&gt;"
    assert teams_render.markdown(text) == "**Stats** for _this week_: type `stats` & <see>"
    assert teams_render.plain(text) == "Stats for this week: type stats & <see>"
    assert render_message(Message(text), ButtonBoard()) == "Stats for this week: type `stats` & <see>"


class SlackCalls:
    def __init__(self):
        self.posts = []

    async def chat_postMessage(self, **kwargs):
        self.posts.append(kwargs)
        return {"ok": True, "channel": kwargs["channel"], "ts": "1700000000.000100"}


async def test_slack_renders_an_answer_and_a_queued_send_alike():
    client = SlackCalls()
    await Responder(client, session=None).reply(Where("C1", "U1"), MESSAGE)
    await SlackGateway(client, responder=None).post(Address("slack", "C1"), MESSAGE, key="k1")
    answer, queued = ({k: v for k, v in post.items() if k not in ("metadata", "thread_ts")} for post in client.posts)
    assert answer == queued and answer["unfurl_media"] is False
    assert answer["blocks"][0]["text"]["text"] == "*Stats* for _this week_: type `stats` &amp; &lt;see&gt;"


class TeamsCalls:
    def __init__(self):
        self.sent = []

    async def send(self, service_url, conversation_id, body, *, reply_to=None, targeted=False):
        self.sent.append(body)
        return f"a{len(self.sent)}"


class OneChannel:
    def __init__(self, ref):
        self.ref = ref

    async def get(self, kind, key):
        return self.ref


async def test_teams_renders_an_answer_and_a_queued_send_alike():
    activity = Activity.model_validate(payload("message_channel_mention"))
    connector = TeamsCalls()
    ref = {"serviceUrl": activity.service_url, "conversation": {"id": TEAM}}
    gateway = TeamsGateway(connector, OneChannel(ref))
    agent = TeamsAgent(SimpleNamespace(db=SimpleNamespace(is_sqlite=True)), SimpleNamespace(targeted_replies=False),
                       connector, OneChannel(ref), gateway)
    await agent.reply(SimpleNamespace(activity=activity), MESSAGE)
    await gateway.post(Address("teams", TEAM), MESSAGE)
    drawn = ("type", "text", "textFormat", "summary", "attachments", "attachmentLayout")
    answer, queued = ({k: body[k] for k in drawn if k in body} for body in connector.sent)
    assert answer == queued and answer["text"].startswith("**Stats** for _this week_")
