"""POST /slack/events: every Slack request over HTTP (Events API, slash command, interactivity).

Bolt checks the signature and timestamp (401 otherwise). Bodies Bolt cannot read (not UTF-8,
broken JSON, a shape it takes for granted) get a 400 if signed and a 401 if not, never a 500:
a 500 would make Slack retry a request that can never succeed. An event the database could not
keep (`SlackListeners.keep_event`) is answered 503: Slack sends it again.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)

PATH = "/slack/events"
MAX_AGE = 60 * 5  # seconds: Slack's replay window

def events_endpoint(bolt: AsyncApp, signing_secret: str) -> Handler:
    async def slack_events(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]  # a multidict, read as the mapping it is
            if not readable(bolt_request.body):
                raise ValueError("unexpected shape")
            response = await bolt.async_dispatch(bolt_request)
            if response.status == 500:  # Bolt could not read it (our listeners acknowledge first)
                raise ValueError("Bolt failed on this request")
            return await to_aiohttp_response(response)
        except Exception as exc:  # not UTF-8, JSON that does not parse, a shape Bolt cannot read
            if not _signed(signing_secret, raw, request.headers):
                return web.json_response({"error": "invalid request"}, status=401)
            log.warning("a signed Slack request could not be read (%s)", type(exc).__name__)
            return web.json_response({"error": "malformed request"}, status=400)

    return slack_events


SHAPES: dict[str, tuple[type, ...]] = {
    "event": (dict,), "actions": (list,), "view": (dict,), "user": (dict, str), "container": (dict,),
    "channel": (dict, str), "state": (dict,), "message": (dict,), "team": (dict, str), "authorizations": (list,),
}


def readable(body: object) -> bool:
    """The shapes Bolt takes for granted (it answers 500 otherwise, and Slack would retry)."""
    if not isinstance(body, dict):
        return False
    for key, kinds in SHAPES.items():
        if key in body and body[key] is not None and not isinstance(body[key], kinds):
            return False
    kind = body.get("type")
    if kind == "block_actions" and not (body.get("actions") and isinstance(body.get("user"), dict)):
        return False
    if kind in ("view_submission", "view_closed") and not (isinstance(body.get("view"), dict)
                                                          and isinstance(body.get("user"), dict)):
        return False
    if kind == "event_callback" and not isinstance(body.get("event"), dict):
        return False
    return all(isinstance(a, dict) for a in body.get("actions") or [])


def _signed(secret: str, raw: bytes, headers: Mapping[str, str]) -> bool:
    """Slack's signature over the raw bytes (also for bodies Bolt cannot read), 5-minute window."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    try:
        if abs(time.time() - int(timestamp)) > MAX_AGE:
            return False
    except ValueError:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", signature)


