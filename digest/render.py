"""The README's generated block: every paper of the window, on a page GitHub renders.

GitHub renders a README only up to 512 KB, so the block is laid out under a byte budget: the
newest arrivals in full, older ones in one line each, and when even that does not fit, the
oldest arrivals are left to their arrival day's archive page, linked at the end with counts.
No paper is left out silently: the block says how many papers are where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import msgspec

from digest.config import AbstractDisplay, DisplaySettings
from digest.markdown import authors_line, blocks, bold, escape, github_anchor, heading, italics
from digest.markdown import link as md_link
from digest.readme import BLOCK_END, BLOCK_START
from digest.records import Entry

ARXIV_THANKS = "Thank you to arXiv for use of its open access interoperability."
MAX_TITLE_CHARS = 400
MAX_ABSTRACT_CHARS = 4000
STAMP_FORMAT = "%Y-%m-%d %H:%M UTC"
# Stands in for the time of the change, so the block is rendered once and stamped after.
_STAMP_SLOT = "\x00stamp\x00"
# Room kept for what the budget does not count item by item: notes, links, headings.
_RESERVE_BYTES = 6_000

FULL, BRIEF, ELSEWHERE = "full", "brief", "elsewhere"


class Block(msgspec.Struct, frozen=True):
    """The block's text with the time of the change still to fill in, and what went where."""

    template: str
    levels: Mapping[str, str]

    def stamped(self, moment: datetime) -> str:
        return self.template.replace(_STAMP_SLOT, f"{moment:{STAMP_FORMAT}}")


class BlockSpec(msgspec.Struct, frozen=True):
    """Everything about the digest that the block shows besides its papers."""

    title: str
    description: str
    window_days: int
    order: Sequence[str]
    display: DisplaySettings
    day_links: Mapping[date, str]
    feed_link: str | None = None


def render_block(spec: BlockSpec, entries: Sequence[Entry]) -> Block:
    """The block for `entries` (newest arrival first), fitted under the byte budget."""
    budget = spec.display.max_page_bytes - _RESERVE_BYTES
    newest_days = sorted({e.arrived for e in entries}, reverse=True)[: spec.display.full_days]
    full = {
        e.paper.arxiv_id: _full_item(e, spec.display.abstracts)
        for e in entries
        if e.arrived in newest_days
    }
    brief = {e.paper.arxiv_id: _brief_item(e) for e in entries}
    while True:
        levels = _levels(entries, full, brief, budget)
        template = _layout(spec, entries, levels, full, brief)
        if len(template.encode("utf-8")) <= spec.display.max_page_bytes or budget <= 0:
            return Block(template, levels)
        budget -= max(len(template.encode("utf-8")) - spec.display.max_page_bytes, 1_000)


def _levels(
    entries: Sequence[Entry], full: Mapping[str, str], brief: Mapping[str, str], budget: int
) -> dict[str, str]:
    """Newest first: full while the full share lasts (`full` holds the papers of the newest
    arrival days), then one line, then elsewhere."""
    candidates = [e for e in entries if e.paper.arxiv_id in full]
    brief_need = sum(_size(brief[e.paper.arxiv_id]) for e in entries[len(candidates) :])
    full_room = budget - min(budget // 2, brief_need)
    levels: dict[str, str] = {}
    used = 0
    level = FULL
    for entry in entries:
        key = entry.paper.arxiv_id
        if level == FULL and (key not in full or used + _size(full[key]) > full_room):
            level = BRIEF
        if level == BRIEF and used + _size(brief[key]) > budget:
            level = ELSEWHERE
        used += _size(full[key]) if level == FULL else _size(brief[key]) if level == BRIEF else 0
        levels[key] = level
    return levels


def _size(text: str) -> int:
    return len(text.encode("utf-8")) + 2


def _layout(
    spec: BlockSpec,
    entries: Sequence[Entry],
    levels: Mapping[str, str],
    full: Mapping[str, str],
    brief: Mapping[str, str],
) -> str:
    grouped: dict[str, list[Entry]] = {name: [] for name in spec.order}
    for entry in entries:
        grouped.setdefault(entry.decision.category, []).append(entry)
    sections = [(name, items) for name, items in grouped.items() if items]
    parts = [heading(1, escape(spec.title)), _freshness(spec, entries), escape(spec.description)]
    if not entries:
        parts.append(f"No papers were added in the last {spec.window_days} days.")
    else:
        parts += [_contents(sections), _where(levels)]
    for index, (name, items) in enumerate(sections):
        parts += ["---" if index else "", heading(2, escape(name))]
        parts += [full[e.paper.arxiv_id] for e in items if levels[e.paper.arxiv_id] == FULL]
        parts.append(
            "\n".join(brief[e.paper.arxiv_id] for e in items if levels[e.paper.arxiv_id] == BRIEF)
        )
        parts.append(_elsewhere_note(sum(levels[e.paper.arxiv_id] == ELSEWHERE for e in items)))
    parts += [_day_links(spec, entries), f"<sub>{ARXIV_THANKS}</sub>"]
    return f"{BLOCK_START}\n{blocks(*parts)}\n{BLOCK_END}"


def _freshness(spec: BlockSpec, entries: Sequence[Entry]) -> str:
    parts = ["**Automated Daily Update**", f"List last changed: {_STAMP_SLOT}"]
    if entries:
        parts.append(f"Newest arrival: {max(e.arrived for e in entries):%Y-%m-%d}")
    count = len(entries)
    parts.append(
        f"{count} paper{'' if count == 1 else 's'} added in the last {spec.window_days} days"
    )
    if spec.feed_link is not None:
        parts.append(md_link("Atom feed", spec.feed_link))
    return " | ".join(parts)


def _contents(sections: Sequence[tuple[str, Sequence[Entry]]]) -> str:
    seen: dict[str, int] = {}
    links = [
        md_link(f"{escape(name)} ({len(items)})", f"#{github_anchor(name, seen)}")
        for name, items in sections
    ]
    return "**Contents:** " + " · ".join(links)


def _where(levels: Mapping[str, str]) -> str:
    """Say how many papers are where, unless every paper is shown in full."""
    counts = {
        level: sum(1 for value in levels.values() if value == level)
        for level in (FULL, BRIEF, ELSEWHERE)
    }
    if counts[BRIEF] == 0 and counts[ELSEWHERE] == 0:
        return ""
    said = f"Shown here: {counts[FULL]} newest in full, {counts[BRIEF]} older in one line each"
    if counts[ELSEWHERE]:
        said += (
            f"; the {counts[ELSEWHERE]} earliest arrivals are listed on their arrival day's "
            "archive page (links at the end)"
        )
    return f"*{said}.*"


def _elsewhere_note(count: int) -> str:
    if not count:
        return ""
    noun = "paper" if count == 1 else "papers"
    return f"*…and {count} earlier {noun} in this topic, on the archive pages linked at the end.*"


def _day_links(spec: BlockSpec, entries: Sequence[Entry]) -> str:
    counts: dict[date, int] = {}
    for entry in entries:
        counts[entry.arrived] = counts.get(entry.arrived, 0) + 1
    links = [
        md_link(f"{day:%Y-%m-%d} ({count})", spec.day_links[day])
        for day, count in sorted(counts.items(), reverse=True)
        if day in spec.day_links
    ]
    return "**Archive by arrival day:** " + " · ".join(links) if links else ""


def _full_item(entry: Entry, abstracts: AbstractDisplay) -> str:
    paper = entry.paper
    title = md_link(escape(paper.title, MAX_TITLE_CHARS) or paper.versioned_id, paper.abs_url)
    dates = bold(f"{paper.published:%Y-%m-%d}")
    if paper.version > 1:
        dates += f" · v{paper.version}, revised {paper.updated:%Y-%m-%d}"
    authors = escape(authors_line(paper.authors))
    byline = f"{dates} | {italics(authors)}" if authors else dates
    abstract = escape(paper.abstract, MAX_ABSTRACT_CHARS) or "(no abstract)"
    if abstracts is AbstractDisplay.NONE:
        return blocks(heading(3, title), byline)
    if abstracts is AbstractDisplay.FOLDED:
        folded = f"<details><summary>Abstract</summary>\n\n{abstract}\n\n</details>"
        return blocks(heading(3, title), byline, folded)
    return blocks(heading(3, title), byline, f"> {abstract}")


def _brief_item(entry: Entry) -> str:
    paper = entry.paper
    title = md_link(escape(paper.title, 200) or paper.versioned_id, paper.abs_url)
    line = f"- {title} · {bold(f'{paper.published:%Y-%m-%d}')}"
    if paper.version > 1:
        line += f" · v{paper.version}"
    authors = escape(authors_line(paper.authors))
    return f"{line} · {italics(authors)}" if authors else line
