"""/api/messages as the internet sees it: the token check, Teams on and off, and the app password."""
import base64
import json
import subprocess
import sys
import time

import httpx
from sqlalchemy import func, select

from storage.db import Database
from storage.models import InboundEvent, Member, PlatformRef
from tests.conftest import ROOT
from tests.e2e.teams.conftest import APP_ID, OLA, PASSWORD, TENANT, Teams


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forged_token(kid: str | None = "forged-key", alg: str = "RS256") -> str:
    header = {"alg": alg, "typ": "JWT", **({"kid": kid} if kid else {})}
    now = int(time.time())
    claims = {"aud": APP_ID, "iss": "https://api.botframework.com", "serviceurl": "http://127.0.0.1/",
              "nbf": now - 10, "exp": now + 3600}
    return f"{_b64(header)}.{_b64(claims)}." + base64.urlsafe_b64encode(b"\x01" * 256).rstrip(b"=").decode()


async def _counts(server) -> tuple[int, int, int]:
    db = Database(server.database_url)
    try:
        async with db.transaction() as session:
            return tuple([await session.scalar(select(func.count()).select_from(table))  # type: ignore[return-value]
                          for table in (Member, InboundEvent, PlatformRef)])
    finally:
        await db.dispose()


def auth_env() -> dict[str, str]:
    return {"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": PASSWORD, "MICROSOFT_APP_TENANT_ID": TENANT,
            "ADVOCACY_DEV": "0", "LOG_LEVEL": "DEBUG"}


async def test_with_an_app_id_a_request_without_a_valid_token_gets_401_and_changes_nothing(start_teams):
    teams: Teams = await start_teams(**auth_env())
    body = teams.dm("ola", "join")
    attempts = {
        "no header": {},
        "junk bearer": {"Authorization": "Bearer not.a.jwt"},
        "not bearer": {"Authorization": "Basic b2xhOm9sYQ=="},
        "forged RS256": {"Authorization": "Bearer " + forged_token()},
        "no kid": {"Authorization": "Bearer " + forged_token(kid=None)},
        "alg none": {"Authorization": "Bearer " + forged_token(kid=None, alg="none")},
        "the password as a token": {"Authorization": "Bearer " + PASSWORD},
    }
    for name, headers in attempts.items():
        response = await teams.post(body, headers=headers)
        assert response.status_code == 401, (name, response.status_code, response.text)
    broken = await teams.post(None, raw=b"{not json", headers={"Authorization": "Bearer x.y.z"})
    assert broken.status_code == 401, "the token is checked before the body is read"
    assert teams.connector.calls == []
    assert await _counts(teams.server) == (0, 0, 0)


async def test_the_token_check_guards_api_messages_only_and_the_password_is_never_logged(start_teams):
    teams: Teams = await start_teams(**auth_env())
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{teams.server.url}/healthz")).status_code == 200
        slack = await http.post(f"{teams.server.url}/slack/events", json={"type": "url_verification"})
        assert slack.status_code != 401
    await teams.post(teams.dm("ola", "join"), headers={"Authorization": "Bearer " + PASSWORD})
    log = teams.server.log()
    assert "Teams is on: POST /api/messages, Bot Framework token required" in log
    assert PASSWORD not in log and PASSWORD[:12] not in log
    assert "DEBUG" in log, "checked at the most talkative log level"


async def test_local_anonymous_mode_is_announced_at_start(teams):
    assert "LOCAL ANONYMOUS MODE" in teams.server.log()
    assert "never run it like this in production" in teams.server.log()


async def test_anonymous_mode_refuses_an_activity_naming_a_service_url_off_this_machine(teams):
    for elsewhere in ("https://smba.trafficmanager.net/emea/", "http://10.0.0.5:3978/", "http://127.1/",
                      "http://attacker.example/"):
        body = teams.dm("ola", "join")
        body["serviceUrl"] = elsewhere
        refused = await teams.post(body)
        assert refused.status_code == 403 and "loopback" in refused.json()["error"]
    assert teams.connector.calls == [] and await _counts(teams.server) == (0, 0, 0)
    await teams.send(teams.dm("ola", "join"))  # the fake connector, on 127.0.0.1, is served


async def test_without_credentials_and_without_dev_mode_teams_is_off_and_serve_says_so(serve, fake_connector):
    server = await serve(env={"ADVOCACY_DEV": "0"})
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.url}/api/messages", json={"type": "message"})
    assert response.status_code in (404, 405)
    assert "Teams is off: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID" in server.log()


def test_half_the_credentials_stop_start_up_naming_what_is_missing_without_echoing_the_password(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "ADVOCACY_DEMO": "false",
           "ADVOCACY_SCHEDULER": "false", "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": PASSWORD}
    result = subprocess.run([sys.executable, "-m", "entry.cli", "serve", "--port", "0"], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "MICROSOFT_APP_TENANT_ID" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout


async def test_targeted_replies_keep_private_answers_in_a_channel_to_the_asker(start_teams):
    teams: Teams = await start_teams(TEAMS_TARGETED_REPLIES="true")
    assert "private replies as targeted messages" in teams.server.log()
    reply = await teams.send(teams.channel_message("ola", "points"))
    assert reply.query == {"isTargetedActivity": "true"}
    assert reply.activity["recipient"]["id"] == OLA
    assert any(e.get("type") == "activityTreatment" for e in reply.activity.get("entities", []))
    public = await teams.send(teams.channel_message("ada", "use this channel"))
    assert public.query == {}, "an answer meant for the channel stays visible to everyone"
