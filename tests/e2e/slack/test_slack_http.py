"""The door: signatures, timestamps, malformed bodies, Slack switched off, secrets kept out of logs."""
import json
import time
from urllib.parse import urlencode

import httpx

from tests.e2e.slack.conftest import (
    ADMIN, APP_TOKEN, BOT_TOKEN, CHANNEL, OLA, SIGNING_SECRET, payload, sign,
)


async def test_url_verification_is_answered_with_the_challenge(slack):
    body = payload("url_verification")
    response = await slack.post(json.dumps(body).encode(), "application/json")
    assert response.status_code == 200 and response.json() == {"challenge": body["challenge"]}


async def test_a_bad_signature_is_refused_with_401_and_nothing_happens(slack):
    mark = slack.api.mark()
    body = json.dumps(slack.event("event_message_im", text="points")).encode()
    forged = sign(body, secret="not-the-signing-secret")
    response = await slack.post(body, "application/json", headers=forged, signed=False)
    assert response.status_code == 401
    response = await slack.post(body, "application/json", signed=False)
    assert response.status_code == 401
    tampered = {**sign(body)}
    response = await slack.post(body.replace(b"points", b"digest now"), "application/json", headers=tampered,
                                signed=False)
    assert response.status_code == 401
    await slack.api.quiet(0.3)
    assert slack.api.since(mark) == []


async def test_a_bad_signature_is_logged_without_the_request_body(slack):
    body = json.dumps(slack.event("event_message_im", text="my-private-words-in-a-forged-body")).encode()
    response = await slack.post(body, "application/json", headers=sign(body, secret="wrong"), signed=False)
    assert response.status_code == 401
    await slack.api.quiet(0.3)
    log = slack.server.log()
    assert "Invalid request signature detected" in log
    assert "my-private-words" not in log and "event_callback" not in log


async def test_a_stale_timestamp_is_refused_even_with_a_good_signature(slack):
    body = json.dumps(slack.event("event_message_im", text="points")).encode()
    old = sign(body, timestamp=int(time.time()) - 301)
    response = await slack.post(body, "application/json", headers=old, signed=False)
    assert response.status_code == 401


async def test_malformed_json_and_form_bodies_get_4xx_and_the_server_keeps_going(slack):
    for body, content_type in [
        (b'{"type": "event_callback", "event": ', "application/json"),
        (b"{not json at all", "application/json"),
        (urlencode({"payload": "{broken"}).encode(), "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ]:
        response = await slack.post(body, content_type)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
        unsigned = await slack.post(body, content_type, signed=False)
        assert unsigned.status_code == 401
    odd = [
        {"type": "event_callback", "event_id": "EvODD1", "event": "a string"},
        {"type": "event_callback", "event_id": "EvODD2", "event": {"type": "reaction_added"}},
        {"type": "block_actions", "user": {"id": OLA}, "actions": []},
        {"type": "view_submission", "user": {"id": OLA}, "view": {"callback_id": "add_content"}},
    ]
    for body in odd:
        response = await slack.post(json.dumps(body).encode(), "application/json")
        assert response.status_code < 500, (body, response.status_code)
        form = urlencode({"payload": json.dumps(body)}).encode()
        response = await slack.post(form, "application/x-www-form-urlencoded")
        assert response.status_code < 500, (body, response.status_code)
    assert "You have 0 points" in await slack.say(OLA, "points")


async def test_slack_is_off_without_its_settings_and_serve_says_so(serve):
    server = await serve()
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.url}/slack/events", content=b"{}")
        health = await http.get(f"{server.url}/healthz")
    assert response.status_code == 404
    assert "slack" not in health.json()["platforms"]
    assert "Slack is off" in server.log()


async def test_slack_is_on_and_listed_in_health(slack):
    health = await slack.http.get(f"{slack.server.url}/healthz")
    assert "slack" in health.json()["platforms"]
    assert "Slack is on: HTTP at POST /slack/events" in slack.server.log()


async def test_every_web_api_call_goes_to_slack_api_url_with_the_bot_token(slack):
    await slack.say(ADMIN, "add https://example.com/blog/x X")
    await slack.say(ADMIN, "digest now")
    await slack.api.wait_for("chat.postMessage")
    assert slack.api.calls and all(c.authorized for c in slack.api.calls if c.method != "response_url")
    assert {"auth.test", "users.info", "chat.postMessage"} <= {c.method for c in slack.api.calls}


async def test_no_token_or_secret_ever_reaches_the_log(start_slack):
    slack = await start_slack(LOG_LEVEL="DEBUG", SLACK_APP_TOKEN=APP_TOKEN)
    await slack.api.wait_for("socket.connect")
    await slack.say(ADMIN, "add https://example.com/blog/y Y")
    await slack.say(ADMIN, "digest now")
    await slack.api.wait_for("chat.postMessage")
    slack.api.fail("chat.postMessage", error="invalid_auth")
    await slack.dm(OLA, "points")
    bad = json.dumps(slack.event("event_message_im", text="x")).encode()
    await slack.post(bad, "application/json", headers=sign(bad, secret="wrong"), signed=False)
    await slack.api.quiet(0.3)
    log = slack.server.log()
    assert "DEBUG" in log and "Slack is on" in log
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, "SeCrEtBoTtOkEn", "aPpToKeNsEcReT", "secret-ticket"):
        assert secret not in log, secret
    assert CHANNEL  # the log may name channels and users; never credentials
