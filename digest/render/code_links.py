"""Code repositories a paper names in its own abstract or comment, as safe https links.

The links come from arXiv's text only, never from an outside lookup service. The text is
untrusted, so the pattern is strict: a known code host, then path segments made only of
characters that need no escaping in a Markdown link (letters, digits, `_.-`). Anything else
ends the link, so a hostile abstract cannot smuggle brackets, quotes or HTML into a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
_PREFIX_CHARS = len("https://www.")
# Every host's last label, after its dot: a literal "." lets `re` skip ahead fast.
_TOP_LEVEL = re.compile(
    r"\.(?i:" + "|".join(sorted({host.rsplit(".", 1)[1] for host in CODE_HOSTS})) + ")"
)
_WINDOW_CHARS = max(map(len, CODE_HOSTS)) + 40  # most repository paths end within it

_CODE_URL = re.compile(
    r"(?<![\w.@/:-])(?:https?://)?(?:www\.)?"
    rf"(?P<host>{'|'.join(re.escape(host) for host in CODE_HOSTS)})"
    r"(?P<path>(?:/[A-Za-z0-9_.-]+)+)",
    re.IGNORECASE,
)


def code_links(*texts: str | None) -> tuple[str, ...]:
    """Up to MAX_CODE_LINKS distinct https URLs of code hosts named in `texts`, in order."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _matches(text or ""):
            path = match["path"].rstrip("./")
            if path.count("/") < 2 and match["host"].lower() != "huggingface.co":
                continue  # github.com/owner alone is a profile, not a repository
            if not path or len(path) > _MAX_PATH_CHARS:
                continue
            url = f"https://{match['host'].lower()}{path}"
            found.setdefault(url.lower().removesuffix(".git"), url)
    return tuple(found.values())[:MAX_CODE_LINKS]


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The pattern's matches in `text`, as one scan from its start finds them, but searched only
    where a host is named: the pattern's optional start made a whole scan of an abstract 0.1 ms."""
    if not _TOP_LEVEL.search(text):
        return  # most abstracts name no host; this costs a fifth of lower-casing them
    lowered = text.lower()
    hosts = sorted(i for host in CODE_HOSTS for i in _positions(lowered, host))
    if len(lowered) != len(text):  # a letter lowered to two: positions would not line up
        yield from _CODE_URL.finditer(text) if hosts else ()
        return
    done = 0
    for host in hosts:
        # A match starts at most a scheme and "www." before its host; a path that reaches the
        # window's end may go on, and is read again whole.
        begin, end = max(host - _PREFIX_CHARS, done), host + _WINDOW_CHARS
        match = _CODE_URL.search(text, begin, end)
        if match is not None and match.end() == end:
            match = _CODE_URL.search(text, begin)
        if match is not None and match.start("host") == host:
            done = match.end()
            yield match


def _positions(text: str, part: str) -> Iterator[int]:
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)
