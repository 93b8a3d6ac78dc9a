"""URLs people paste: normalised so one article is one library entry, and checked for safety."""
from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import idna

from bot.errors import UserFacingError

TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = {"fbclid", "gclid", "mc_cid", "mc_eid", "trk"}
LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/?url="


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")


class BadHost(ValueError):
    pass


def _ipv4_number(part: str) -> int:
    """One part of a numeric host as browsers read it: 0x… hex, 0… octal, else decimal."""
    if part[:2].lower() == "0x":
        digits, base = part[2:] or "0", 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    try:
        return int(digits, base)
    except ValueError:
        raise BadHost(part) from None


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a host "ending in a number" stands for (WHATWG URL: `127.1`, `0177.0.0.1`,
    `0x7f.0.0.1`, `2130706433` are all 127.0.0.1); None for a name. BadHost if it cannot be one."""
    parts = host.split(".")
    last = parts[-1]
    if not (last.isdigit() or (last[:2].lower() == "0x" and all(c in "0123456789abcdef" for c in last[2:].lower()))):
        return None
    if len(parts) > 4 or any(not p for p in parts):
        raise BadHost(host)
    numbers = [_ipv4_number(p) for p in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise BadHost(host)
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def canonical_host(host: str) -> str:
    """One spelling per host: lower case, IDN as punycode (`bücher.de` and `xn--bcher-kva.de` are
    one), numeric IPv4 forms as dotted decimal. BadHost if it is no valid host."""
    host = unquote(host).strip().strip("[]").rstrip(".")  # browsers read %31 in a host as 1
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except idna.IDNAError:
            raise BadHost(host) from None
    host = host.lower()
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise BadHost(host) from None
    numeric = _numeric_ipv4(host)
    return str(numeric) if numeric is not None else host


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, NAT64, Teredo)."""
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo:
        found.extend(ip.teredo)
    if ip in _NAT64 or (ip in _COMPATIBLE and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public_host(host: str) -> bool:
    """The one public-address check: False for localhost, private, loopback, link-local and reserved
    addresses in any spelling (numeric IPv4 forms, IPv4 inside IPv6), bare names and invalid hosts."""
    try:
        host = canonical_host(host)
    except BadHost:
        return False
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    if isinstance(ip, ipaddress.IPv6Address) and not all(v4.is_global for v4 in _embedded_ipv4(ip)):
        return False
    return ip.is_global


def normalize_url(raw: str) -> str:
    """Canonical form: lower-case scheme and host, no default port, fragment, tracking
    parameters or trailing slash. Raises `UserFacingError` for anything but a public http(s) URL."""
    raw = (raw or "").strip().strip("<>")
    if "|" in raw:  # chat clients send <url|label>
        raw = raw.split("|", 1)[0]
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UserFacingError("error.bad_url", url=raw[:200])
    try:
        host = canonical_host(parts.hostname)
    except BadHost:
        raise UserFacingError("error.bad_url", url=raw[:200]) from None
    if not is_public_host(host):
        raise UserFacingError("error.private_url", url=raw[:200])
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise UserFacingError("error.bad_url", url=raw[:200]) from None
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS]
    path = parts.path.rstrip("/") or ""
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def linkedin_share_url(url: str) -> str:
    return LINKEDIN_SHARE + quote(url, safe="")
