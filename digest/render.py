"""Markdown for readers: the README's generated block, and the escaping every page shares.

arXiv's text is untrusted: every title, name and abstract is escaped so it can neither change
the page's structure nor forge the block markers, and TeX shows as written. Archive pages
(digest/archive.py) reuse the escaping; commit messages are plain text (digest/changes.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mdutils.mdutils import MdUtils

from digest.records import Entry, Paper

BLOCK_START = "<!-- digest:start -->"
BLOCK_END = "<!-- digest:end -->"
ARXIV_THANKS = "Thank you to arXiv for use of its open access interoperability."

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&$~|])")
_BLOCK_OPENER = re.compile(r"^(\d+)([.)])|^([-+#=])")
MAX_TITLE_CHARS = 400
MAX_ABSTRACT_CHARS = 4000
_STAMP = re.compile(r"List last changed: (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)")
_HEADING_LINK = re.compile(r"^### \[.*\]\(https://arxiv\.org/abs/(?P<id>\S+)v(?P<version>\d+)\)$")


class ReadmeError(Exception):
    """The README's generated block cannot be found unambiguously."""


@dataclass(frozen=True)
class Section:
    """One category's papers, newest first, as the README shows them."""

    name: str
    entries: tuple[Entry, ...]


def escape(text: str, limit: int | None = None) -> str:
    """Inline Markdown that shows `text` as written: marks that could open emphasis, code,
    links, HTML, entities, math or strike-through are backslash-escaped, and so is a start
    that could open a list or heading. Whitespace is collapsed; overlong text is cut."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_OPENER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def authors_line(authors: Sequence[str]) -> str:
    shown = ", ".join(authors[:3])
    return f"{shown} et al." if len(authors) > 3 else shown


def github_anchor(heading: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens,
    numbered when repeated."""
    kept = "".join(
        char for char in heading.lower() if char in " -_" or unicodedata.category(char)[0] in "LN"
    )
    slug = kept.replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


def sections_of(entries: Iterable[Entry], order: Sequence[str]) -> tuple[Section, ...]:
    """Group entries by category in config order, newest first, leaving empty ones out."""
    grouped: dict[str, list[Entry]] = {name: [] for name in order}
    for entry in entries:
        grouped[entry.decision.category].append(entry)
    return tuple(
        Section(name, tuple(sorted(items, key=_newest, reverse=True)))
        for name, items in grouped.items()
        if items
    )


def _newest(entry: Entry) -> tuple[datetime, str]:
    return entry.paper.published, entry.paper.arxiv_id


def render_block(
    *,
    title: str,
    description: str,
    sections: Sequence[Section],
    window_days: int,
    changed_at: datetime,
) -> str:
    """The generated README block, markers included, in the look the community knows."""
    md = MdUtils(file_name="")
    md.new_header(level=1, title=escape(title), add_table_of_contents="n")
    md.new_paragraph(_freshness(sections, window_days, changed_at))
    md.new_paragraph(escape(description))
    if not sections:
        md.new_paragraph(f"No papers were submitted in the last {window_days} days.")
    else:
        md.new_paragraph(_contents(sections))
    for index, section in enumerate(sections):
        if index:
            md.new_paragraph("---")
        md.new_header(level=2, title=escape(section.name), add_table_of_contents="n")
        for entry in section.entries:
            _paper(md, entry.paper)
    md.new_paragraph(f"<sub>{ARXIV_THANKS}</sub>")
    body = "\n\n".join(line for line in md.get_md_text().splitlines() if line.strip())
    return f"{BLOCK_START}\n{body}\n{BLOCK_END}"


def _freshness(sections: Sequence[Section], window_days: int, changed_at: datetime) -> str:
    papers = [entry.paper for section in sections for entry in section.entries]
    parts = [
        "**Automated Daily Update**",
        f"List last changed: {changed_at:%Y-%m-%d %H:%M} UTC",
    ]
    if papers:
        newest = max(paper.published for paper in papers)
        parts.append(f"Newest paper submitted: {newest:%Y-%m-%d}")
    parts.append(f"{len(papers)} papers from the last {window_days} days")
    return " | ".join(parts)


def _contents(sections: Sequence[Section]) -> str:
    seen: dict[str, int] = {}
    anchors = {section.name: github_anchor(section.name, seen) for section in sections}
    links = [
        f"[{escape(section.name)} ({len(section.entries)})](#{anchors[section.name]})"
        for section in sections
    ]
    return "**Contents:** " + " · ".join(links)


def _paper(md: MdUtils, paper: Paper) -> None:
    md.new_header(
        level=3,
        title=md.new_inline_link(
            link=paper.abs_url, text=escape(paper.title, MAX_TITLE_CHARS) or paper.versioned_id
        ),
        add_table_of_contents="n",
    )
    dates = f"**{paper.published:%Y-%m-%d}**"
    if paper.version > 1:
        dates += f" · v{paper.version} of {paper.updated:%Y-%m-%d}"
    md.new_paragraph(f"{dates} | *{escape(authors_line(paper.authors))}*")
    md.new_paragraph(f"> {escape(paper.abstract, MAX_ABSTRACT_CHARS) or '(no abstract)'}")


def tidy(markdown: str) -> str:
    """mdutils' output with one blank line between blocks and before every heading."""
    lines: list[str] = []
    for line in markdown.strip().splitlines():
        if line.startswith("#") and lines and lines[-1]:
            lines.append("")
        if line.strip() or (lines and lines[-1]):
            lines.append(line.rstrip())
    return "\n".join(lines)


def previous_stamp(block: str) -> datetime | None:
    """When the block now on the page says its list last changed."""
    match = _STAMP.search(block)
    if match is None:
        return None
    return datetime.strptime(match[1] + " +0000", "%Y-%m-%d %H:%M UTC %z")


def listed_ids(block: str) -> frozenset[str]:
    """The arXiv ids (without version) the block now on the page lists."""
    return frozenset(
        match["id"] for line in block.splitlines() if (match := _HEADING_LINK.match(line))
    )


def split_readme(text: str) -> tuple[str, str, str]:
    """(before, block, after) of a README; a README without markers gets the block on top."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == BLOCK_START]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == BLOCK_END]
    if not starts and not ends:
        return "", "", text
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ReadmeError(
            f"the README must hold exactly one '{BLOCK_START}' line followed by one "
            f"'{BLOCK_END}' line; restore them around the generated part"
        )
    before = "".join(lines[: starts[0]])
    block = "".join(lines[starts[0] : ends[0] + 1]).rstrip("\r\n")
    after = "".join(lines[ends[0] + 1 :])
    return before, block, after


def replace_block(text: str, block: str) -> str:
    before, _, after = split_readme(text)
    after = after if after.startswith("\n") or not after else "\n" + after
    return f"{before}{block}\n{after}"
