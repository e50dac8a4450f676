"""Canonical URLs without campaign tracking."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_")
TRACKING_KEYS = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref_src", "cmpid", "ncid", "ocid"}


def clean_url(url: str | None) -> str | None:
    """The URL less its tracking parameters (utm_*, fbclid, ...); None stays None.

    Only absolute http(s) URLs are touched; a relative or odd value is returned as it came."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS]
    return urlunsplit(parts._replace(query=urlencode(kept)))
