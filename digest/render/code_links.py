"""Code repositories a paper names in its own abstract or comment, as safe https links.

The links come from arXiv's text only, never from an outside lookup service. The text is
untrusted, so the pattern is strict: a known code host, then path segments made only of
characters that need no escaping in a Markdown link (letters, digits, `_.-`). Anything else
ends the link, so a hostile abstract cannot smuggle brackets, quotes or HTML into a URL.
"""

from __future__ import annotations

import re

CODE_HOSTS = (
    "github.com",
    "gitlab.com",
    "huggingface.co",
    "bitbucket.org",
    "codeberg.org",
    "sourceforge.net",
    "gitee.com",
)
MAX_CODE_LINKS = 3
# Longer paths are not real repository addresses; dropping them keeps one paper's line short.
_MAX_PATH_CHARS = 120
# Scheme and host in any case; the path case-sensitively, so that no non-ASCII letter (a
# dotted capital I, the Kelvin sign) can pass for a Latin one.
_CODE_URL = re.compile(
    r"(?<![\w.@/:-])(?ai:(?:https?://)?(?:www\.)?"
    rf"(?P<host>{'|'.join(re.escape(host) for host in CODE_HOSTS)}))"
    r"(?P<path>(?:/[A-Za-z0-9_.-]+)+)"
)


def code_links(*texts: str | None) -> tuple[str, ...]:
    """Up to MAX_CODE_LINKS distinct https URLs of code hosts named in `texts`, in order."""
    found: dict[str, str] = {}
    for text in texts:
        if not text or not any(host in text.lower() for host in CODE_HOSTS):
            continue  # most abstracts name no code host; the full pattern is slow to run
        for match in _CODE_URL.finditer(text):
            path = match["path"].rstrip("./")
            if path.count("/") < 2 and match["host"].lower() != "huggingface.co":
                continue  # github.com/owner alone is a profile, not a repository
            if not path or len(path) > _MAX_PATH_CHARS:
                continue
            url = f"https://{match['host'].lower()}{path}"
            found.setdefault(url.lower().removesuffix(".git"), url)
    return tuple(found.values())[:MAX_CODE_LINKS]
