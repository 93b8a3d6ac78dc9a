"""Slack settings, read from the same environment as the rest of the bot."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_EMOJI = "white_check_mark"
DEFAULT_MESSAGES_PER_SECOND = 20.0


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    share_emoji: str = DEFAULT_EMOJI
    messages_per_second: float = DEFAULT_MESSAGES_PER_SECOND
    rate_scale: float = 1.0

    @property
    def enabled(self) -> bool:
        """On with a bot token and a way to receive requests: signed HTTP, or Socket Mode."""
        return bool(self.bot_token and (self.signing_secret or self.app_token))

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.bot_token, self.signing_secret, self.app_token) if s)


def load_slack_settings(env: Mapping[str, str]) -> SlackSettings:
    api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("SLACK_API_URL", "an http(s) URL such as https://slack.com/api/", api_url)
    if not api_url.endswith("/"):
        api_url += "/"
    emoji = env.get("ADVOCACY_SHARE_EMOJI", "").strip().strip(":") or DEFAULT_EMOJI
    if any(ch.isspace() or ch == ":" for ch in emoji):
        raise ConfigError("ADVOCACY_SHARE_EMOJI", "an emoji name such as white_check_mark", emoji)
    app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN", "an app-level token starting with xapp-")  # never echo a token
    raw_rate = env.get("SLACK_MESSAGES_PER_SECOND", "").strip()
    try:
        rate = float(raw_rate) if raw_rate else DEFAULT_MESSAGES_PER_SECOND
    except ValueError:
        rate = -1.0
    if not 0.1 <= rate <= 1000:
        raise ConfigError("SLACK_MESSAGES_PER_SECOND", "a number of messages a second between 0.1 and 1000", raw_rate)
    raw_scale = env.get("SLACK_RATE_SCALE", "").strip()
    try:
        scale = float(raw_scale) if raw_scale else 1.0
    except ValueError:
        scale = -1.0
    if not 0.01 <= scale <= 1000:
        raise ConfigError("SLACK_RATE_SCALE", "a factor between 0.01 and 1000 (1 against the real Slack)", raw_scale)
    return SlackSettings(
        bot_token=env.get("SLACK_BOT_TOKEN", "").strip() or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip() or None,
        app_token=app_token,
        api_url=api_url,
        share_emoji=emoji,
        messages_per_second=rate,
        rate_scale=scale,
    )
