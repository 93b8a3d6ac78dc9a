"""Typed settings read from the environment. A bad value stops start-up naming the variable."""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from bot.errors import ConfigError
from bot.ids import LIST_VARIABLES, member_ids
from bot.schedule import BadSpec, ScheduleConfig, Weekly, Window, Workdays, country_of_zone, parse_time, workdays
from storage.db import DEFAULT_URL, BadDatabaseUrl, normalize_url, redact

LANGUAGES = ("en", "pl")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class PointsRules:
    """The one place points are decided."""

    shared: int = 10
    link_bonus: int = 5


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    admins: frozenset[str] = frozenset()
    editors: frozenset[str] = frozenset()
    policy_owners: frozenset[str] = frozenset()
    channel: str | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Warsaw"))
    language: str = "en"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 3978
    points: PointsRules = PointsRules()
    digest_size: int = 3
    load_demo: bool = True
    dev_mode: bool = False
    schedule: ScheduleConfig = ScheduleConfig()
    outbox_lease: float = 60.0
    country: str | None = "PL"
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def lists(self) -> list[tuple[str, str, frozenset[str]]]:
        """(variable, field, ids) of every configured list of people (see `bot.ids`)."""
        return [(variable, field, getattr(self, field)) for variable, field in LIST_VARIABLES.items()]

    def listed(self, field: str, platform: str, user_id: str) -> bool:
        """Whether `platform:user_id` is in the list `field` (admins, editors, policy_owners)."""
        return member_ids(platform, user_id) in getattr(self, field)

    @property
    def workdays(self) -> Workdays:
        """Working days of the program: weekdays minus `country`'s public holidays."""
        return workdays(self.country)

    def channel_for(self, platform: str) -> str | None:
        """`ADVOCACY_CHANNEL` as `platform=id,…` (a bare id is tied to its platform by `bot.ids`)."""
        if not self.channel or "=" not in self.channel:
            return None
        for pair in self.channel.split(","):
            name, _, value = pair.partition("=")
            if name.strip() == platform and value.strip():
                return value.strip()
        return None


def _ids(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"a whole number between {low} and {high}", raw) from None
    if not low <= value <= high:
        raise ConfigError(name, f"a whole number between {low} and {high}", raw)
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(name, "true or false", raw)


def _spec(env: Mapping[str, str], name: str, parse, default, expected: str):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except BadSpec:
        raise ConfigError(name, expected, raw) from None


def _schedule(env: Mapping[str, str]) -> ScheduleConfig:
    base = ScheduleConfig()
    return ScheduleConfig(
        digest=_spec(env, "ADVOCACY_DIGEST_SCHEDULE", Weekly.parse, base.digest, 'a day and a time such as "mon 09:00"'),
        nudge_at=_spec(env, "ADVOCACY_NUDGE_TIME", parse_time, base.nudge_at, "a time such as 10:00"),
        working_hours=_spec(env, "ADVOCACY_WORKING_HOURS", Window.parse, base.working_hours,
                            "hours such as 09:00-18:00"),
        nudges_per_week=_int(env, "ADVOCACY_NUDGES_PER_WEEK", 1, 0, 7),
        monthly_at=_spec(env, "ADVOCACY_MONTHLY_TIME", parse_time, base.monthly_at, "a time such as 09:00"),
        monthly_wins=_bool(env, "ADVOCACY_MONTHLY_WINS", False),
        enabled=_bool(env, "ADVOCACY_SCHEDULER", True),
    )


def _country(env: Mapping[str, str], zone: str) -> str | None:
    """`ADVOCACY_COUNTRY` (ISO code, or `none` for weekends only), else the time zone's country."""
    raw = env.get("ADVOCACY_COUNTRY", "").strip().upper()
    if not raw:
        return country_of_zone(zone)
    if raw in ("NONE", "-"):
        return None
    if raw not in holidays.list_supported_countries():
        raise ConfigError("ADVOCACY_COUNTRY", "a country code such as PL, DE or US (or none)", raw)
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    try:
        url = normalize_url(env.get("DATABASE_URL") or DEFAULT_URL)
    except BadDatabaseUrl as exc:
        raise ConfigError("DATABASE_URL", str(exc), redact(env.get("DATABASE_URL", ""))) from None
    tz_name = env.get("ADVOCACY_TIMEZONE", "").strip() or "Europe/Warsaw"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("ADVOCACY_TIMEZONE", "an IANA time zone such as Europe/Warsaw", tz_name) from None
    country = _country(env, tz_name)
    language = env.get("ADVOCACY_LANGUAGE", "").strip().lower() or "en"
    if language not in LANGUAGES:
        raise ConfigError("ADVOCACY_LANGUAGE", "one of " + ", ".join(LANGUAGES), language)
    level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", "one of " + ", ".join(LOG_LEVELS), level)
    return Settings(
        database_url=url,
        admins=_ids(env.get("ADVOCACY_ADMINS", "")),
        editors=_ids(env.get("ADVOCACY_EDITORS", "")),
        policy_owners=_ids(env.get("ADVOCACY_POLICY_OWNERS", "")),
        channel=env.get("ADVOCACY_CHANNEL", "").strip() or None,
        timezone=tz,
        language=language,
        log_level=level,
        host=env.get("HOST", "").strip() or "127.0.0.1",
        port=_int(env, "PORT", 3978, 1, 65535),
        points=PointsRules(
            shared=_int(env, "ADVOCACY_POINTS_SHARED", 10, 0, 10_000),
            link_bonus=_int(env, "ADVOCACY_POINTS_LINK", 5, 0, 10_000),
        ),
        digest_size=_int(env, "ADVOCACY_DIGEST_SIZE", 3, 1, 10),
        load_demo=_bool(env, "ADVOCACY_DEMO", True),
        dev_mode=_bool(env, "ADVOCACY_DEV", False),
        schedule=_schedule(env),
        outbox_lease=float(_int(env, "ADVOCACY_OUTBOX_LEASE", 60, 1, 3600)),
        country=country,
        env=env,
    )


QUIET_LOGGERS = ("apscheduler", "bm25s", "alembic.runtime.migration")


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if settings.log_level != "DEBUG":
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
