"""Teams settings, read from the same environment as the rest of the bot (`bot.config.FromEnvironment`).

Three modes: credentials (`MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TENANT_ID`
all set: every request to /api/messages must carry a valid Bot Framework token), anonymous (all
three empty and `ADVOCACY_DEV=1`: the Bot Framework Emulator, no token checked or sent), or off.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import SecretStr, model_validator

from bot.config import FromEnvironment, flag, parsed, reveal, variable
from bot.errors import ConfigError

CREDENTIALS = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")
DEFAULT_REACTIONS = frozenset({"like", "heart"})
_REACTION = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def _reactions(raw: str) -> frozenset[str]:
    names = frozenset(part.strip().lower() for part in raw.replace(" ", ",").split(",") if part.strip())
    if not names or not all(_REACTION.match(name) for name in names):
        raise ValueError(raw)
    return names


class TeamsSettings(FromEnvironment):
    app_id: str | None = variable("MICROSOFT_APP_ID", None, "the bot's Microsoft app id")
    password: SecretStr | None = variable("MICROSOFT_APP_PASSWORD", None, "the bot's client secret")
    tenant_id: str | None = variable("MICROSOFT_APP_TENANT_ID", None, "the bot's Microsoft Entra tenant id")
    dev: bool = flag("ADVOCACY_DEV", False)
    share_reactions: Annotated[frozenset[str], parsed(_reactions)] = variable(
        "TEAMS_SHARE_REACTIONS", DEFAULT_REACTIONS, "reaction names separated by commas, such as like,heart")
    targeted_replies: bool = flag("TEAMS_TARGETED_REPLIES", False)

    @model_validator(mode="after")
    def _all_credentials_or_none(self) -> TeamsSettings:
        values = dict(zip(CREDENTIALS, (self.app_id, self.password, self.tenant_id), strict=True))
        given = [name for name, value in values.items() if value]
        if given and len(given) < len(CREDENTIALS):
            missing = next(name for name in CREDENTIALS if not values[name])
            # never echo a value: the password may be among them
            raise ConfigError(missing, f"set together with {', '.join(given)} (all three, or none for the Emulator)")
        return self

    @property
    def has_credentials(self) -> bool:
        return self.credentials is not None

    @property
    def credentials(self) -> tuple[str, str, str] | None:
        """(app id, password, tenant id) when all three are set, for the one call that sends them."""
        password = reveal(self.password)
        if self.app_id and password and self.tenant_id:
            return self.app_id, password, self.tenant_id
        return None

    @property
    def anonymous(self) -> bool:
        """The Emulator: no credentials at all, allowed only in development."""
        return not self.has_credentials and self.dev

    @property
    def enabled(self) -> bool:
        return self.has_credentials or self.anonymous

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(filter(None, [reveal(self.password)]))


def load_teams_settings(env: Mapping[str, str], dev: bool = False) -> TeamsSettings:
    """`dev` is the core's `ADVOCACY_DEV` (`Settings.dev_mode`)."""
    return TeamsSettings.read(env, dev=dev)
