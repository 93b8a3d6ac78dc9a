"""Which platform a configured id belongs to. A bare id in `ADVOCACY_CHANNEL`, `ADVOCACY_ADMINS`,
`ADVOCACY_EDITORS` or `ADVOCACY_POLICY_OWNERS` applies only to the platform whose id shape it has
(each adapter declares its `ID_SHAPE`); an id no shape fits is a name on the `otherwise` platform
(the shell's `admin`); one that fits two shapes stops start-up asking for `platform:id`. After
`qualify`, every list holds `platform:id` and every channel `platform=id`: nothing applies across
platforms."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:  # bot.config imports this module
    from bot.config import Settings

Shapes = Mapping[str, re.Pattern[str]]

LIST_VARIABLES = {"ADVOCACY_ADMINS": "admins", "ADVOCACY_EDITORS": "editors",
                  "ADVOCACY_POLICY_OWNERS": "policy_owners"}


def platform_of(raw: str, shapes: Shapes, otherwise: str, variable: str) -> tuple[str, str]:
    """(platform, id) for one configured id, bare or written `platform:id`."""
    prefix, sep, rest = raw.partition(":")
    if sep and rest and (prefix in shapes or prefix == otherwise):
        return prefix, rest
    fits = sorted(platform for platform, shape in shapes.items() if shape.fullmatch(raw))
    if len(fits) > 1:
        raise ConfigError(variable, f"platform:id for {raw!r}, which could be an id on {' or '.join(fits)}",
                          raw)
    return (fits[0] if fits else otherwise), raw


def qualify(settings: Settings, shapes: Shapes, otherwise: str) -> Settings:
    """The settings with every configured id tied to its one platform."""
    tied = {
        field: frozenset(":".join(platform_of(raw, shapes, otherwise, variable)) for raw in values)
        for variable, field, values in settings.lists()
    }
    channel = settings.channel
    if channel:
        pairs = ([pair.split("=", 1) for pair in channel.split(",") if pair.strip()] if "=" in channel
                 else [list(platform_of(channel, shapes, otherwise, "ADVOCACY_CHANNEL"))])
        channel = ",".join(f"{name.strip()}={value.strip()}" for name, value in pairs)
    return replace(settings, channel=channel, admins=tied["admins"], editors=tied["editors"],
                   policy_owners=tied["policy_owners"])


def member_ids(platform: str, user_id: str) -> str:
    """How a configured list names this person: `platform:id`."""
    return f"{platform}:{user_id}"
