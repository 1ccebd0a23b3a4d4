"""DIGEST_NOTIFY: the Apprise URLs a run pushes to, and the one word each may be named by.

The URLs carry tokens and passwords, so nothing the bot says ever quotes one: a service is named
by its kind (the URL's scheme, such as "json" or "mailto") and, when there are several, its
place in the list. Reading the variable needs no Apprise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

VARIABLE = "DIGEST_NOTIFY"

# Whitespace separates URLs; so does a comma right before the next URL's scheme. Other commas
# stay: Apprise URLs use them inside, as in mailto://…?to=a@example.org,b@example.org
_SEPARATOR = re.compile(r"\s+|,+(?=[A-Za-z][A-Za-z0-9+.-]{0,31}://)")
_KIND = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31})://")


def notify_urls(env: Mapping[str, str]) -> tuple[str, ...]:
    """The URLs in DIGEST_NOTIFY, in order; none when it is unset or blank."""
    pieces = _SEPARATOR.split(env.get(VARIABLE, ""))
    return tuple(url for piece in pieces if (url := piece.strip(",")))


def service_kind(url: str) -> str | None:
    """The URL's scheme, which names the service and holds no secret; None without one."""
    match = _KIND.match(url)
    return match[1].lower() if match else None


def service_name(urls: tuple[str, ...], position: int, service: str = "") -> str:
    """How the bot names the URL at `position` (from 0): its kind, the service Apprise found
    behind a plain https:// webhook URL, and its place if there are several."""
    kind = service_kind(urls[position]) or "an entry without scheme://"
    if service and kind in ("http", "https"):
        kind = f"{kind} ({service})"
    return f"{kind} (URL {position + 1} of {len(urls)})" if len(urls) > 1 else kind
