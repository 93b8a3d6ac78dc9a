"""Typed settings read from the environment with pydantic-settings.

Each variable is one field of a `FromEnvironment` model, named by its alias; its `description` says
what it expects. A bad value stops start-up with one line naming the variable and that (a
`ConfigError`), never echoing a secret (secrets are `SecretStr`). `Settings` is what the bot uses:
built from `Environment`, structured (points, schedule), and a plain value (`dataclasses.replace`).
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Self, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError
from bot.ids import LIST_VARIABLES, member_ids
from bot.schedule import ScheduleConfig, Weekly, Window, Workdays, country_of_zone, parse_time, workdays
from storage.db import DEFAULT_URL, URL_FORMS, normalize_url, redact

LANGUAGES = ("en", "pl")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


# -- reading the environment --------------------------------------------------------------------------

_GIVEN: ContextVar[Mapping[str, str] | None] = ContextVar("advocacy_environment", default=None)


class _GivenEnvironment(EnvSettingsSource):
    """The environment `FromEnvironment.read` was given (os.environ, or a test's dict), each value
    stripped; an empty one counts as unset, so its default applies. Outside `read`, none: a model
    built in code (`Model(field=…)`) takes only what it is given."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name: value.strip() for name, value in (_GIVEN.get() or {}).items() if value and value.strip()}


class FromEnvironment(BaseSettings):
    """Settings read from environment variables: each field's alias is its variable."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="forbid", frozen=True, populate_by_name=True,
                                      arbitrary_types_allowed=True, enable_decoding=False, validate_default=False,
                                      hide_input_in_errors=True)

    def __init__(self, **values: Any):
        try:
            super().__init__(**values)
        except ValidationError as exc:
            error = self._config_error(exc)
            if error is None:  # not a variable's value: a mistake in code (an unknown field)
                raise
            raise error from None

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _GivenEnvironment(settings_cls, case_sensitive=True)

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None, **values: Any) -> Self:
        """The settings `env` (default: the process environment) gives, `values` taking precedence."""
        with given(os.environ if env is None else env):
            return cls(**values)

    @classmethod
    def shown(cls, variable: str, raw: str) -> str | None:
        """How a bad value may appear in the start-up message (None: not at all)."""
        return raw

    @classmethod
    def _config_error(cls, exc: ValidationError) -> ConfigError | None:
        """A pydantic error as the one line people get: the variable, what it expects, what it got."""
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        info = next((f for key, f in cls.model_fields.items() if name in (key, f.alias)), None)
        if info is None:
            return None
        variable = info.alias or name
        raw = error.get("input")
        secret = SecretStr in (info.annotation, *getattr(info.annotation, "__args__", ()))
        got = cls.shown(variable, str(raw)) if isinstance(raw, str) and not secret else None
        return ConfigError(variable, info.description or error["msg"], got)


@contextmanager
def given(env: Mapping[str, str]) -> Iterator[None]:
    token = _GIVEN.set(env)
    try:
        yield
    finally:
        _GIVEN.reset(token)


@overload
def reveal(secret: SecretStr) -> str: ...
@overload
def reveal(secret: SecretStr | None) -> str | None: ...
def reveal(secret: SecretStr | None) -> str | None:
    """A secret's text, for the one call that sends it."""
    return secret.get_secret_value() if secret is not None else None


def parsed(parse: Callable[[str], Any]) -> BeforeValidator:
    """A field whose variable is parsed by `parse` (a ValueError is a bad value)."""
    return BeforeValidator(lambda raw: parse(raw) if isinstance(raw, str) else raw)


def variable(name: str, default: Any, expected: str, **constraints: Any) -> Any:
    """The field read from environment variable `name`; `expected` is said when its value is bad."""
    return Field(default, alias=name, description=expected, **constraints)


def whole(name: str, default: int, low: int, high: int) -> Any:
    return variable(name, default, f"a whole number between {low} and {high}", ge=low, le=high)


def flag(name: str, default: bool) -> Any:
    return variable(name, default, "true or false")


# -- what the bot uses ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PointsRules:
    """The one place points are decided."""

    shared: int = 10
    link_bonus: int = 5


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default=DEFAULT_URL, repr=False)  # may hold a password
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
    inbox_backlog: int = 1000
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


# -- the variables -------------------------------------------------------------------------------------

def _ids(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _zone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(raw) from None


NO_COUNTRY = "-"


def _country(raw: str) -> str:
    code = raw.upper()
    if code in ("NONE", NO_COUNTRY):
        return NO_COUNTRY
    if code not in holidays.list_supported_countries():
        raise ValueError(raw)
    return code


_DEFAULT = Settings()
_SCHEDULE = ScheduleConfig()
Ids = Annotated[frozenset[str], parsed(_ids)]


class Environment(FromEnvironment):
    """Every variable of the core, as the environment gives it (`settings()` makes the `Settings`)."""

    database_url: Annotated[str, parsed(normalize_url)] = variable("DATABASE_URL", _DEFAULT.database_url,
                                                                   URL_FORMS, repr=False)
    admins: Ids = variable("ADVOCACY_ADMINS", _DEFAULT.admins, "user ids separated by commas")
    editors: Ids = variable("ADVOCACY_EDITORS", _DEFAULT.editors, "user ids separated by commas")
    policy_owners: Ids = variable("ADVOCACY_POLICY_OWNERS", _DEFAULT.policy_owners, "user ids separated by commas")
    channel: str | None = variable("ADVOCACY_CHANNEL", _DEFAULT.channel, "a channel id, or platform=id,…")
    timezone: Annotated[ZoneInfo, parsed(_zone)] = variable("ADVOCACY_TIMEZONE", _DEFAULT.timezone,
                                                            "an IANA time zone such as Europe/Warsaw")
    country: Annotated[str, parsed(_country)] = variable("ADVOCACY_COUNTRY", "",
                                                         "a country code such as PL, DE or US (or none)")
    # Literal of a tuple constant: pydantic checks it at run time, mypy wants the words spelled out
    language: Annotated[Literal[LANGUAGES], parsed(str.lower)] = variable(  # type: ignore[valid-type]
        "ADVOCACY_LANGUAGE", _DEFAULT.language, "one of " + ", ".join(LANGUAGES))
    log_level: Annotated[Literal[LOG_LEVELS], parsed(str.upper)] = variable(  # type: ignore[valid-type]
        "LOG_LEVEL", _DEFAULT.log_level, "one of " + ", ".join(LOG_LEVELS))
    host: str = variable("HOST", _DEFAULT.host, "a host name or address to listen on")
    port: int = whole("PORT", _DEFAULT.port, 1, 65535)
    points_shared: int = whole("ADVOCACY_POINTS_SHARED", _DEFAULT.points.shared, 0, 10_000)
    points_link: int = whole("ADVOCACY_POINTS_LINK", _DEFAULT.points.link_bonus, 0, 10_000)
    digest_size: int = whole("ADVOCACY_DIGEST_SIZE", _DEFAULT.digest_size, 1, 10)
    load_demo: bool = flag("ADVOCACY_DEMO", _DEFAULT.load_demo)
    dev_mode: bool = flag("ADVOCACY_DEV", _DEFAULT.dev_mode)
    digest: Annotated[Weekly, parsed(Weekly.parse)] = variable(
        "ADVOCACY_DIGEST_SCHEDULE", _SCHEDULE.digest, 'a day and a time such as "mon 09:00"')
    nudge_at: Annotated[Any, parsed(parse_time)] = variable("ADVOCACY_NUDGE_TIME", _SCHEDULE.nudge_at,
                                                            "a time such as 10:00")
    working_hours: Annotated[Window, parsed(Window.parse)] = variable(
        "ADVOCACY_WORKING_HOURS", _SCHEDULE.working_hours, "hours such as 09:00-18:00")
    nudges_per_week: int = whole("ADVOCACY_NUDGES_PER_WEEK", _SCHEDULE.nudges_per_week, 0, 7)
    monthly_at: Annotated[Any, parsed(parse_time)] = variable("ADVOCACY_MONTHLY_TIME", _SCHEDULE.monthly_at,
                                                              "a time such as 09:00")
    monthly_wins: bool = flag("ADVOCACY_MONTHLY_WINS", _SCHEDULE.monthly_wins)
    scheduler: bool = flag("ADVOCACY_SCHEDULER", _SCHEDULE.enabled)
    outbox_lease: int = whole("ADVOCACY_OUTBOX_LEASE", int(_DEFAULT.outbox_lease), 1, 3600)
    inbox_backlog: int = whole("ADVOCACY_INBOX_BACKLOG", _DEFAULT.inbox_backlog, 1, 10_000_000)

    @classmethod
    def shown(cls, variable: str, raw: str) -> str | None:
        return redact(raw) if variable == "DATABASE_URL" else raw

    def settings(self, env: Mapping[str, str]) -> Settings:
        if not self.country:
            country = country_of_zone(self.timezone.key)
        else:
            country = None if self.country == NO_COUNTRY else self.country
        return Settings(
            database_url=self.database_url, admins=self.admins, editors=self.editors,
            policy_owners=self.policy_owners, channel=self.channel, timezone=self.timezone,
            language=self.language, log_level=self.log_level, host=self.host, port=self.port,
            points=PointsRules(shared=self.points_shared, link_bonus=self.points_link),
            digest_size=self.digest_size, load_demo=self.load_demo, dev_mode=self.dev_mode,
            schedule=ScheduleConfig(digest=self.digest, nudge_at=self.nudge_at, working_hours=self.working_hours,
                                    nudges_per_week=self.nudges_per_week, monthly_at=self.monthly_at,
                                    monthly_wins=self.monthly_wins, enabled=self.scheduler),
            outbox_lease=float(self.outbox_lease), inbox_backlog=self.inbox_backlog, country=country, env=env,
        )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    return Environment.read(env).settings(env)


QUIET_LOGGERS = ("apscheduler", "bm25s", "alembic.runtime.migration")


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if settings.log_level != "DEBUG":
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
