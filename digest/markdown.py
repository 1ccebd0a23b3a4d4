"""Markdown building blocks shared by every page the bot writes, and escaping of arXiv's text.

arXiv's text is untrusted: every title, name and abstract is escaped so it can neither change
the page's structure nor forge the README's block markers, and TeX shows as written.
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


def escape(text: str, limit: int | None = None) -> str:
    """Inline Markdown that shows `text` as written: marks that could open emphasis, code,
    links, HTML, entities, math or strike-through are backslash-escaped, and so is a start
    that could open a list or heading. Whitespace is collapsed; overlong text is cut."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = _INLINE_MARK.sub(r"\\\1", text)
    opener = _BLOCK_OPENER.match(text)
    if opener is None:
        return text
    marked = f"{opener[1]}\\{opener[2]}" if opener[1] else f"\\{opener[3]}"
    return marked + text[opener.end() :]


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
