"""No settings object shows a secret when printed or logged (repr, str, a failed value)."""
import pytest

from bot.config import Environment, load_settings
from bot.errors import ConfigError
from handlers.slack.config import SlackSettings, load_slack_settings
from handlers.teams.config import TeamsSettings, load_teams_settings

SECRETS = {
    "DATABASE_URL": "postgresql://advocacy:Db-PaSsWoRd-42@db.example.com/advocacy",
    "SLACK_BOT_TOKEN": "xoxb-1-2-BoT-sEcReT",
    "SLACK_SIGNING_SECRET": "SiGnInG-sEcReT",
    "SLACK_APP_TOKEN": "xapp-1-ApP-sEcReT",
    "MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001",
    "MICROSOFT_APP_PASSWORD": "TeAmS~pAsSwOrD",
    "MICROSOFT_APP_TENANT_ID": "00000000-0000-0000-0000-000000000002",
}
HIDDEN = ("Db-PaSsWoRd-42", "BoT-sEcReT", "SiGnInG-sEcReT", "ApP-sEcReT", "TeAmS~pAsSwOrD")


def _shown(obj) -> str:
    return f"{obj!r}\n{obj}"


def test_no_settings_object_prints_a_secret():
    objects = [load_settings(SECRETS), Environment.read(SECRETS), load_slack_settings(SECRETS),
               load_teams_settings(SECRETS), SlackSettings(bot_token="xoxb-1-2-BoT-sEcReT"),
               TeamsSettings(password="TeAmS~pAsSwOrD", app_id="a", tenant_id="t")]
    for obj in objects:
        for secret in HIDDEN:
            assert secret not in _shown(obj), (type(obj).__name__, secret)


def test_the_secrets_still_reach_the_adapters():
    slack, teams = load_slack_settings(SECRETS), load_teams_settings(SECRETS)
    assert slack.enabled and slack.socket_mode and teams.has_credentials
    assert set(slack.secrets) == {SECRETS[name] for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                                                            "SLACK_APP_TOKEN")}
    assert teams.secrets == (SECRETS["MICROSOFT_APP_PASSWORD"],)
    assert load_settings(SECRETS).database_url.endswith(":Db-PaSsWoRd-42@db.example.com/advocacy")


@pytest.mark.parametrize("load, env, variable", [
    (load_slack_settings, {"SLACK_APP_TOKEN": "xoxb-wrong-kind-ApP-sEcReT"}, "SLACK_APP_TOKEN"),
    (load_teams_settings, {"MICROSOFT_APP_PASSWORD": "TeAmS~pAsSwOrD"}, "MICROSOFT_APP_ID"),
    (load_settings, {"DATABASE_URL": "mysql://advocacy:Db-PaSsWoRd-42@db/advocacy"}, "DATABASE_URL"),
])
def test_a_bad_value_never_echoes_a_secret(load, env, variable):
    with pytest.raises(ConfigError) as err:
        load(env)
    assert err.value.variable == variable and str(err.value).startswith(f"{variable}: expected ")
    assert not any(secret in str(err.value) for secret in HIDDEN)
    assert "\n" not in str(err.value)
