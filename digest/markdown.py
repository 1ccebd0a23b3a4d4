"""Markdown building blocks shared by every page the bot writes, and escaping of arXiv's text.

arXiv's text is untrusted: every title, name and abstract is escaped so it can neither change
the page's structure nor forge the README's block markers, and TeX shows as written; a web
address written out in it is a link to itself, or text, never a link with escapes in its target.
The blocks come from mdutils' tools (Header, TextUtils, MDList): its document object rebuilds
the whole text on every addition, too slow for a busy field's page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from mdutils.tools.Header import Header, HeaderStyle
from mdutils.tools.MDList import MDList
from mdutils.tools.TextUtils import TextUtils

# Each mark that could open emphasis, code, a link, HTML, an entity, math or strike-through.
_INLINE_MARK = re.compile(r"([\\`*_\[\]<>&$~|])")
_BLOCK_OPENER = re.compile(r"(\d+)([.)])|([-+#=])")
# A bare web address where GitHub's autolink extension finds one (a scheme not after a letter,
# www. after a space or `*_~(`), up to whitespace, a control character, angle brackets, a double
# quote or a backtick.
_URL = re.compile(
    r"(?:(?<![A-Za-z])(?i:https?|ftp)://|(?<![^\s*_~(])www\.)[^\s\x00-\x1f\x7f<>\"`]*"
)
_URL_HOST = re.compile(r"(?:(?i:https?|ftp)://|www\.)[^\W_]")
# Punctuation that ends a sentence rather than an address, dropped from its end as GitHub does.
_URL_TRAILING = frozenset(".,;:!?*_~'")
# What a link would show or follow otherwise than written (an entity; a backslash escape, in a
# www. address's target) or GitHub might still read as math or a table cell's end.
_URL_UNSAFE = re.compile(r"[$|]|&#?[0-9A-Za-z]+;|^www\..*\\")
# Where GitHub's autolink extension starts an address (a scheme's colon, the dot after www):
# escaped in an address left as text, so that GitHub does not link it or a part of it.
_URL_TRIGGER = re.compile(r":|(?<=www)\.")


def escape(text: str, limit: int | None = None, *, links: bool = False) -> str:
    """Inline Markdown that shows `text` as written: marks that could open emphasis, code,
    links, HTML, entities, math or strike-through are backslash-escaped, and so is a start
    that could open a list or heading. Whitespace is collapsed; overlong text is cut.

    GitHub would link a bare web address itself, the escapes' backslashes in its target. With
    `links`, each address is a link that shows it as written and goes there; one cut short, one
    no link shows as written, and every one without `links` is plain text (as text inside a
    link's brackets must be: a link cannot hold another)."""
    text = " ".join(text.split())
    kept, tail = text, ""
    if limit is not None and len(text) > limit:
        kept, tail = text[: limit - 1].rstrip(), "…"
    pieces: list[str] = []
    done = 0
    # Most texts hold no address, and scanning for one would double the cost of escaping them.
    found = _URL.finditer(text) if "://" in text or "www." in text else ()
    for match in found:
        if match.start() >= len(kept):
            break
        pieces.append(_escaped_marks(kept[done : match.start()]))
        url = _without_trailing(match[0])
        if links and match.end() <= len(kept) and _linkable(url):
            pieces.append(_address(url))
            done = match.start() + len(url)
        else:
            done = min(match.end(), len(kept))
            shown = _escaped_marks(kept[match.start() : done])
            pieces.append(_URL_TRIGGER.sub(r"\\\g<0>", shown))
    pieces.append(_escaped_marks(kept[done:] + tail))
    text = "".join(pieces)
    opener = _BLOCK_OPENER.match(text)
    if opener is None:
        return text
    marked = f"{opener[1]}\\{opener[2]}" if opener[1] else f"\\{opener[3]}"
    return marked + text[opener.end() :]


def _escaped_marks(text: str) -> str:
    return _INLINE_MARK.sub(r"\\\1", text)


def _linkable(url: str) -> bool:
    return _URL_HOST.match(url) is not None and _URL_UNSAFE.search(url) is None


def _address(url: str) -> str:
    """A link that shows `url` as written and goes there: an autolink, or as GitHub links a www.
    address (an autolink needs a scheme), to http://."""
    if url.startswith("www."):
        return link(_escaped_marks(url), f"<http://{url}>")
    return f"<{url}>"


def _without_trailing(url: str) -> str:
    """The address without the punctuation after it, and without a closing bracket that only
    closes one the text opened before it: "(see https://x.org/a_(b))." ends at "(b)"."""
    while url:
        last = url[-1]
        opening = {")": "(", "]": "["}.get(last)
        unbalanced = opening is not None and url.count(last) > url.count(opening)
        if last not in _URL_TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def day(moment: datetime) -> str:
    """The day alone, as every page shows dates: 2026-02-05."""
    return moment.date().isoformat()


def heading(level: int, text: str) -> str:
    return str(Header(level=level, title=text, style=HeaderStyle.ATX)).strip()


def link(text: str, url: str) -> str:
    return str(TextUtils.text_external_link(text, url))


def bold(text: str) -> str:
    return str(TextUtils.bold(text))


def italics(text: str) -> str:
    return str(TextUtils.italics(text))


def bullets(items: Sequence[str]) -> str:
    return str(MDList(list(items)).get_md()).rstrip("\n")


def blocks(*parts: str) -> str:
    """Markdown blocks separated by one blank line; empty parts are left out."""
    return "\n\n".join(part for part in parts if part)


def authors_line(authors: Sequence[str]) -> str:
    shown = ", ".join(authors[:3])
    return f"{shown} et al." if len(authors) > 3 else shown


# What GitHub keeps of a heading for its id (html-pipeline's TableOfContentsFilter drops
# [^\p{Word}\- ], and Ruby's \p{Word} is letters, marks, decimal digits and connectors): an
# emoji's variation selector U+FE0F is a mark, so "👁️ Applications" keeps it.
_ANCHOR_CATEGORIES = frozenset(["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Pc"])


def github_anchor(text: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, all but word characters, hyphens and spaces
    dropped, spaces to hyphens, numbered when repeated."""
    kept = "".join(
        char
        for char in text.lower()
        if char in " -" or unicodedata.category(char) in _ANCHOR_CATEGORIES
    )
    slug = kept.replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"
