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


@pytest.mark.parametrize("host", ["0177.0.0.1", "0x7f.0.0.1", "127.1", "2130706433", "0x7f000001", "017700000001",
                                  "0xA9.0xFE.0xA9.0xFE", "10.0x1", "%31%32%37.0.0.1", "１２７.０.０.１",
                                  "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::a00:1]",
                                  "[2002:c0a8:1::]", "0300.0250.0.1"])
def test_every_numeric_spelling_of_a_private_address_is_refused(host):
    assert not is_public_host(host)
    with pytest.raises(UserFacingError) as err:
        normalize_url(f"http://{host}/x")
    assert err.value.key in ("error.private_url", "error.bad_url")


@pytest.mark.parametrize("host", ["256.0.0.1", "1.2.3.4.5", "1..2.3", "08.0.0.1"])
def test_a_host_ending_in_a_number_that_is_no_address_is_refused(host):
    assert not is_public_host(host)


def test_a_public_address_in_a_numeric_spelling_becomes_dotted_decimal():
    assert normalize_url("http://0x08080808/a") == "http://8.8.8.8/a"
    assert normalize_url("http://134744072/a") == normalize_url("http://8.8.8.8/a")
    assert is_public_host("[2606:4700:4700::1111]")


def test_unicode_and_punycode_spellings_of_a_domain_are_one_library_item():
    assert normalize_url("https://Bücher.example/katalog") == "https://xn--bcher-kva.example/katalog"
    assert normalize_url("https://xn--bcher-kva.example/katalog") == "https://xn--bcher-kva.example/katalog"
    assert normalize_url("https://żółw.pl/") == normalize_url("https://XN--W-UGA1V8H.pl")
