"""Socket Mode: no public URL; events, commands and clicks arrive over a WebSocket whose address
comes from apps.connections.open on SLACK_API_URL, and each envelope is acknowledged."""
import json

import httpx

from tests.e2e.slack.conftest import ADMIN, APP_TOKEN, BOT_TOKEN, OLA, payload, slack_env


async def _socket_bot(serve, fake_slack, **extra):
    env = slack_env(fake_slack, SLACK_APP_TOKEN=APP_TOKEN, **extra)
    server = await serve(env=env)
    await fake_slack.wait_for("socket.connect")
    return server


async def _acked(api, envelope_id):
    acks = await api.wait_for("socket.ack", where=lambda c: c.params.get("envelope_id") == envelope_id)
    return acks[0].params


async def test_socket_mode_connects_with_the_app_token_and_answers_a_mention(serve, fake_slack):
    server = await _socket_bot(serve, fake_slack)
    opened, = fake_slack.of("apps.connections.open")
    assert opened.authorized, "apps.connections.open is called with the app-level token"
    assert "Socket Mode" in server.log()
    mark = fake_slack.mark()
    envelope = payload("event_app_mention")
    envelope["event"]["text"] = "<@UBOT> points"
    envelope_id = await fake_slack.socket_send("events_api", envelope)
    await _acked(fake_slack, envelope_id)
    reply, = await fake_slack.wait_for("chat.postEphemeral", since=mark)
    assert reply.params["user"] == OLA and "You have 0 points" in reply.text_of()


async def test_a_redelivered_envelope_is_handled_once(serve, fake_slack):
    await _socket_bot(serve, fake_slack)
    envelope = payload("event_message_im")
    envelope["event"]["text"] = "join"
    mark = fake_slack.mark()
    first = await fake_slack.socket_send("events_api", envelope)
    await _acked(fake_slack, first)
    await fake_slack.wait_for("chat.postMessage", since=mark)
    again = await fake_slack.socket_send("events_api", envelope, retry_attempt=1)
    await _acked(fake_slack, again)
    await fake_slack.quiet(0.4)
    replies = fake_slack.since(mark, "chat.postMessage")
    assert len(replies) == 1 and "Welcome aboard" in replies[0].text_of()


async def test_slash_command_and_button_click_over_the_socket(serve, fake_slack):
    await _socket_bot(serve, fake_slack)
    command = payload("command_advocacy")
    command.update(text="add https://example.com/blog/socket Socket post", response_url=fake_slack.response_url("cmd"))
    envelope_id = await fake_slack.socket_send("slash_commands", command, accepts_response_payload=True)
    await _acked(fake_slack, envelope_id)
    answer, = await fake_slack.wait_for("response_url", where=lambda c: c.path.endswith("/cmd"))
    assert "Added #1" in answer.text_of()

    click = payload("block_actions_message")
    click["actions"][0].update(action_id="claim", value="1")
    click["response_url"] = fake_slack.response_url("click")
    envelope_id = await fake_slack.socket_send("interactive", click, accepts_response_payload=True)
    await _acked(fake_slack, envelope_id)
    answer, = await fake_slack.wait_for("response_url", where=lambda c: c.path.endswith("/click"))
    assert "Type `join`" in answer.text_of()  # answered over the socket: a claim needs joining first

    submission = payload("view_submission_add_content")
    submission["view"]["state"]["values"]["url"]["url"]["value"] = "ftp://nope"
    envelope_id = await fake_slack.socket_send("interactive", submission, accepts_response_payload=True)
    ack = await _acked(fake_slack, envelope_id)
    assert ack["payload"]["response_action"] == "errors" and "url" in ack["payload"]["errors"]


async def test_socket_mode_without_a_signing_secret_serves_no_http_endpoint(serve, fake_slack):
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": fake_slack.api_url,
           "ADVOCACY_ADMINS": ADMIN}
    server = await serve(env=env)
    await fake_slack.wait_for("socket.connect")
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.url}/slack/events", content=json.dumps(payload("url_verification")))
    assert response.status_code == 404
    assert "Slack is on: Socket Mode" in server.log()
    for secret in (BOT_TOKEN, APP_TOKEN, "secret-ticket"):
        assert secret not in server.log()


async def test_a_failing_connections_open_is_retried(serve, fake_slack):
    fake_slack.fail("apps.connections.open", status=503, times=2)
    await _socket_bot(serve, fake_slack)
    assert [c.status for c in fake_slack.of("apps.connections.open")] == [503, 503, 200]
