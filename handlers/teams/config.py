"""Teams settings, read from the same environment as the rest of the bot.

Three modes: credentials (`MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TENANT_ID`
all set: every request to /api/messages must carry a valid Bot Framework token), anonymous (all
three empty and `ADVOCACY_DEV=1`: the Bot Framework Emulator, no token checked or sent), or off.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import ConfigError

CREDENTIALS = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")
DEFAULT_REACTIONS = frozenset({"like", "heart"})
_REACTION = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str | None = None
    password: str | None = None
    tenant_id: str | None = None
    dev: bool = False
    share_reactions: frozenset[str] = DEFAULT_REACTIONS
    targeted_replies: bool = False

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id and self.password and self.tenant_id)

    @property
    def anonymous(self) -> bool:
        """The Emulator: no credentials at all, allowed only in development."""
        return not self.has_credentials and self.dev

    @property
    def enabled(self) -> bool:
        return self.has_credentials or self.anonymous

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password,) if s)


def _reactions(raw: str) -> frozenset[str]:
    names = frozenset(part.strip().lower() for part in raw.replace(" ", ",").split(",") if part.strip())
    if not names or not all(_REACTION.match(name) for name in names):
        raise ConfigError("TEAMS_SHARE_REACTIONS", "reaction names separated by commas, such as like,heart",
                          raw)
    return names


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(name, "true or false", raw)


def load_teams_settings(env: Mapping[str, str], dev: bool = False) -> TeamsSettings:
    values = {name: env.get(name, "").strip() for name in CREDENTIALS}
    given = [name for name, value in values.items() if value]
    if given and len(given) < len(CREDENTIALS):
        missing = next(name for name in CREDENTIALS if not values[name])
        # never echo a value: the password may be among them
        raise ConfigError(missing, f"set together with {', '.join(given)} (all three, or none for the Emulator)")
    raw_reactions = env.get("TEAMS_SHARE_REACTIONS", "").strip()
    return TeamsSettings(
        app_id=values["MICROSOFT_APP_ID"] or None,
        password=values["MICROSOFT_APP_PASSWORD"] or None,
        tenant_id=values["MICROSOFT_APP_TENANT_ID"] or None,
        dev=dev,
        share_reactions=_reactions(raw_reactions) if raw_reactions else DEFAULT_REACTIONS,
        targeted_replies=_flag(env, "TEAMS_TARGETED_REPLIES"),
    )
