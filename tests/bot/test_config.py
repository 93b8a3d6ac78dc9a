import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def test_defaults_need_no_setup():
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.port == 3978 and settings.host == "127.0.0.1"
    assert settings.language == "en"


@pytest.mark.parametrize("given, expected", [
    ("sqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
    ("postgres://u:p@db:5432/adv", "postgresql+asyncpg://u:p@db:5432/adv"),
    ("postgresql://u@db/adv?sslmode=require", "postgresql+asyncpg://u@db/adv?ssl=require"),
    ("postgresql+asyncpg://u@db/adv", "postgresql+asyncpg://u@db/adv"),
])
def test_database_urls_people_write_get_an_async_driver(given, expected):
    assert load_settings({"DATABASE_URL": given}).database_url == expected


@pytest.mark.parametrize("name, value", [
    ("DATABASE_URL", "mysql://x"), ("ADVOCACY_TIMEZONE", "Mars/Olympus"), ("ADVOCACY_LANGUAGE", "de"),
    ("LOG_LEVEL", "LOUD"), ("PORT", "99999"), ("PORT", "abc"), ("ADVOCACY_POINTS_SHARED", "-1"),
    ("ADVOCACY_DEMO", "maybe"), ("ADVOCACY_COUNTRY", "Narnia"),
])
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError) as err:
        load_settings({name: value})
    assert err.value.variable == name
    assert name in str(err.value)


def test_admins_are_a_comma_separated_list():
    assert load_settings({"ADVOCACY_ADMINS": "U1, U2,,slack:U3"}).admins == {"U1", "U2", "slack:U3"}


def test_a_bare_channel_belongs_to_no_platform_until_its_shape_ties_it_to_one():
    assert load_settings({"ADVOCACY_CHANNEL": "C1"}).channel_for("slack") is None


def test_channel_can_be_set_per_platform():
    settings = load_settings({"ADVOCACY_CHANNEL": "alpha=C1,beta=19:abc@thread"})
    assert settings.channel_for("alpha") == "C1"
    assert settings.channel_for("beta") == "19:abc@thread"
    assert settings.channel_for("gamma") is None


def test_the_holiday_country_follows_the_time_zone_unless_set():
    assert load_settings({}).country == "PL"
    assert load_settings({"ADVOCACY_TIMEZONE": "America/New_York"}).country == "US"
    assert load_settings({"ADVOCACY_TIMEZONE": "UTC"}).country is None
    assert load_settings({"ADVOCACY_COUNTRY": "de"}).country == "DE"
    assert load_settings({"ADVOCACY_COUNTRY": "none"}).country is None


def test_a_database_url_of_another_kind_says_which_forms_work_once_and_hides_its_password():
    with pytest.raises(ConfigError) as err:
        load_settings({"DATABASE_URL": "mysql://app:s3cret@db/advocacy"})
    message = str(err.value)
    assert message.startswith("DATABASE_URL: expected sqlite:///") and "expected expected" not in message
    assert "s3cret" not in message and "mysql://app:***@db/advocacy" in message
