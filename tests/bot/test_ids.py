"""Ids belong to one platform: a bare configured id applies only where its shape fits."""
import re

import pytest

import handlers
from bot.config import load_settings
from bot.errors import ConfigError
from bot.ids import qualify
from bot.models import Actor
from bot.services.members import configured_role


def configured(**env):
    return handlers.qualify(load_settings(env))


def test_bare_slack_and_teams_ids_apply_only_to_their_own_platform():
    settings = configured(ADVOCACY_ADMINS="U012ABCDEF, 29:1AdaAdmin", ADVOCACY_EDITORS="W0EDITOR",
                          ADVOCACY_POLICY_OWNERS="29:1Owner")
    assert settings.admins == {"slack:U012ABCDEF", "teams:29:1AdaAdmin"}
    assert settings.editors == {"slack:W0EDITOR"} and settings.policy_owners == {"teams:29:1Owner"}


def test_a_teams_sender_presenting_a_slack_admin_id_is_not_an_admin():
    settings = configured(ADVOCACY_ADMINS="U012ABCDEF")
    assert configured_role(settings, Actor("slack", "U012ABCDEF", "Ada")) == "admin"
    assert configured_role(settings, Actor("teams", "U012ABCDEF", "Mallory")) is None


def test_a_bare_slack_channel_is_no_teams_channel():
    settings = configured(ADVOCACY_CHANNEL="C0123GENERAL")
    assert settings.channel_for("slack") == "C0123GENERAL"
    assert settings.channel_for("teams") is None
    teams = configured(ADVOCACY_CHANNEL="19:abc123@thread.tacv2")
    assert teams.channel_for("teams") == "19:abc123@thread.tacv2" and teams.channel_for("slack") is None
    both = configured(ADVOCACY_CHANNEL="slack=C1X,teams=19:abc@thread.tacv2")
    assert both.channel_for("slack") == "C1X" and both.channel_for("teams") == "19:abc@thread.tacv2"


@pytest.mark.parametrize("raw", ["admin", "u012abcdef", "ola"])
def test_anything_else_such_as_lower_case_admin_is_a_shell_name(raw):
    settings = configured(ADVOCACY_ADMINS=raw)
    assert settings.admins == {f"shell:{raw}"}
    assert configured_role(settings, Actor("shell", raw, raw)) == "admin"
    assert configured_role(settings, Actor("slack", raw, raw)) is None


def test_platform_colon_id_is_taken_as_written():
    assert configured(ADVOCACY_ADMINS="teams:U0ODDTEAMSID, slack:weird").admins == {"teams:U0ODDTEAMSID",
                                                                                     "slack:weird"}


def test_an_id_that_fits_two_shapes_stops_start_up_asking_for_platform_id():
    shapes = {"alpha": re.compile(r"X\w+"), "beta": re.compile(r"\w+1")}
    with pytest.raises(ConfigError) as err:
        qualify(load_settings({"ADVOCACY_POLICY_OWNERS": "XY1"}), shapes, "shell")
    assert err.value.variable == "ADVOCACY_POLICY_OWNERS"
    assert "platform:id" in str(err.value) and "alpha or beta" in str(err.value)
    assert qualify(load_settings({"ADVOCACY_POLICY_OWNERS": "beta:XY1"}), shapes, "shell").policy_owners == {
        "beta:XY1"}


def test_every_served_platform_declares_its_id_shape():
    assert set(handlers.id_shapes()) == set(handlers.served_platforms()) == {"slack", "teams"}
