"""Slack settings, read from the same environment as the rest of the bot (`bot.config.FromEnvironment`)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.config import FromEnvironment, parsed, reveal, variable

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_EMOJI = "white_check_mark"
DEFAULT_MESSAGES_PER_SECOND = 20.0


def _api_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(raw)
    return raw if raw.endswith("/") else raw + "/"


def _emoji(raw: str) -> str:
    name = raw.strip(":") or DEFAULT_EMOJI
    if any(ch.isspace() or ch == ":" for ch in name):
        raise ValueError(raw)
    return name


def _app_token(raw: str) -> str:
    if not raw.startswith("xapp-"):
        raise ValueError("not an app-level token")  # never the token itself
    return raw


class SlackSettings(FromEnvironment):
    bot_token: SecretStr | None = variable("SLACK_BOT_TOKEN", None, "a bot token starting with xoxb-")
    signing_secret: SecretStr | None = variable("SLACK_SIGNING_SECRET", None, "the app's signing secret")
    app_token: Annotated[SecretStr | None, parsed(_app_token)] = variable(
        "SLACK_APP_TOKEN", None, "an app-level token starting with xapp-")
    api_url: Annotated[str, parsed(_api_url)] = variable("SLACK_API_URL", DEFAULT_API_URL,
                                                         "an http(s) URL such as https://slack.com/api/")
    share_emoji: Annotated[str, parsed(_emoji)] = variable("ADVOCACY_SHARE_EMOJI", DEFAULT_EMOJI,
                                                           "an emoji name such as white_check_mark")
    messages_per_second: float = variable("SLACK_MESSAGES_PER_SECOND", DEFAULT_MESSAGES_PER_SECOND,
                                          "a number of messages a second between 0.1 and 1000", ge=0.1, le=1000)
    rate_scale: float = variable("SLACK_RATE_SCALE", 1.0, "a factor between 0.01 and 1000 (1 against the real Slack)",
                                 ge=0.01, le=1000)

    @property
    def enabled(self) -> bool:
        """On with a bot token and a way to receive requests: signed HTTP, or Socket Mode."""
        return bool(self.bot_token and (self.signing_secret or self.app_token))

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(filter(None, map(reveal, (self.bot_token, self.signing_secret, self.app_token))))


def load_slack_settings(env: Mapping[str, str]) -> SlackSettings:
    return SlackSettings.read(env)
