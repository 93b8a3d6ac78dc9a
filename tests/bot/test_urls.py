import pytest

from bot.errors import UserFacingError
from bot.urls import is_public_host, normalize_url


@pytest.mark.parametrize("raw", [
    "https://Example.com/blog/post/",
    "HTTPS://example.com/blog/post?utm_source=slack&utm_medium=chat",
    "https://example.com:443/blog/post#section",
    "<https://example.com/blog/post|Our post>",
])
def test_the_same_article_normalizes_to_one_url(raw):
    assert normalize_url(raw) == "https://example.com/blog/post"


def test_meaningful_query_parameters_are_kept():
    assert normalize_url("https://example.com/a?id=7&utm_campaign=x") == "https://example.com/a?id=7"


@pytest.mark.parametrize("raw", ["ftp://example.com/file", "javascript:alert(1)", "example.com", "https://", ""])
def test_non_http_urls_are_refused(raw):
    with pytest.raises(UserFacingError) as err:
        normalize_url(raw)
    assert err.value.key == "error.bad_url"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254",
                                  "[::1]", "intranet", "printer.local"])
def test_private_hosts_are_not_public(host):
    assert not is_public_host(host)
    with pytest.raises(UserFacingError):
        normalize_url(f"http://{host}/x")


def test_public_hosts_are_public():
    assert is_public_host("www.linkedin.com")
    assert is_public_host("8.8.8.8")
