"""URLs people paste: normalised so one article is one library entry, and checked for safety."""
from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from bot.errors import UserFacingError

TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = {"fbclid", "gclid", "mc_cid", "mc_eid", "trk"}
LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/?url="


def is_public_host(host: str) -> bool:
    """False for localhost, private, loopback, link-local and reserved addresses, and bare names."""
    host = host.strip("[]").lower().rstrip(".")
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "." in host
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
    host = parts.hostname.lower()
    if not is_public_host(host):
        raise UserFacingError("error.private_url", url=raw[:200])
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
