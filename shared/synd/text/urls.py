"""URLs from untrusted documents: canonical URLs without campaign tracking, and the one check
that every URL leaving the core passes (`safe_http_url`)."""
from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_")
TRACKING_KEYS = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref_src", "cmpid", "ncid", "ocid"}

# Browsers and CDNs take far longer URLs, but a canonical, licence or image URL past this is junk or an attack.
MAX_URL_LENGTH = 2048
# Never in a URL as written: white space, controls (C0, DEL, C1), bidi marks, overrides and isolates,
# zero-width and other invisible characters that can hide where a link goes, noncharacters, lone
# surrogates, and the characters that end an HTML attribute or a tag (RFC 3986 does not allow them
# unencoded either). ZWNJ and ZWJ may stay in a path (Persian words need them), never in a host.
_NEVER_IN_URL = re.compile("[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f"
                           "\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\uffff\ud800-\udfff"
                           "\"<>\\\\`]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_MAX_HOST = 253


def clean_url(url: str | None) -> str | None:
    """The URL less its tracking parameters (utm_*, fbclid, ...); None stays None.

    Only absolute http(s) URLs are touched; a relative or odd value is returned as it came
    (`safe_http_url` decides later whether it may leave the core). A value that is not even
    a URL (`http://[::1`, `http://[zz]/`: urlsplit raises ValueError on them) is returned as it came too.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme not in ("http", "https") or not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def safe_http_url(value: object) -> str | None:
    """`value` (stripped) when it is an absolute http(s) URL that is safe to link; None otherwise.

    Safe means: scheme http or https; a host (a DNS name whose IDNA form has valid labels, or an
    IP address); no user name or password (`https://bank.example@evil.example/`); a valid port; no
    white space, control, bidi or invisible format character, nor a quote or angle bracket anywhere;
    at most MAX_URL_LENGTH characters. A non-ASCII path (an IRI, as Persian sites link) is kept.
    """
    if not isinstance(value, str):
        return None
    url = value.strip(" \t\r\n")
    if not url or len(url) > MAX_URL_LENGTH or _NEVER_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a bad IPv6 literal or a port that is not a number below 65536
        return None
    if parts.scheme.lower() not in ("http", "https") or not port_ok:
        return None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return None
    return url if _is_host(parts.hostname) else None


def _is_host(host: str | None) -> bool:
    """A DNS name whose IDNA (punycode) form is letters, digits and hyphens, or an IP address."""
    if not host or any(unicodedata.category(ch)[0] in "CZ" for ch in host):
        return False  # IDNA 2003 would map a ZWNJ or ZWJ to nothing: "pay\u200cpal.example" is not paypal
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return False
    labels = ascii_host.rstrip(".").split(".")
    return len(ascii_host) <= _MAX_HOST and all(_LABEL.fullmatch(label) for label in labels)
