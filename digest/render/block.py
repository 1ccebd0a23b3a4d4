"""The README's generated block: every paper of the window, on a page GitHub renders.

GitHub renders a README only up to 512 KB, so the block is laid out under a byte budget: the
newest arrivals in full, older ones in one line each, and when even that does not fit, the
oldest arrivals are left to their arrival day's archive page, linked at the end with counts.
No paper is left out silently: the block says how many papers are where.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from datetime import date, datetime
from typing import NamedTuple

import msgspec

from digest.config.settings import DisplaySettings
from digest.markdown import blocks, escape, github_anchor, heading
from digest.markdown import link as md_link
from digest.records import Entry
from digest.render.items import brief_item, full_item
from digest.render.readme import BLOCK_END, BLOCK_START
from digest.words import counted

ARXIV_THANKS = "Thank you to arXiv for use of its open access interoperability."
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
    max_bytes: int
    """What the block may take: the page budget less the README's hand-written part."""
    day_links: Mapping[date, tuple[str, ...]]
    """Link targets of each arrival day's archive page, one per part."""
    feed_link: str | None = None


def render_block(spec: BlockSpec, entries: Sequence[Entry]) -> Block:
    """The block for `entries` (newest arrival first), fitted under the byte budget.

    The latest papers, marked 🆕, are those of the newest arrival day: they stay marked until
    the next run with news, so a quiet day renders the same block.
    """
    budget = spec.max_bytes - _RESERVE_BYTES
    newest_days = sorted({e.arrived for e in entries}, reverse=True)
    latest = {e.paper.arxiv_id for e in entries if e.arrived in newest_days[:1]}
    by_id = {e.paper.arxiv_id: e for e in entries}
    shown_days = set(newest_days[: spec.display.full_days])
    in_full = {key for key, e in by_id.items() if e.arrived in shown_days}

    # Items are made when the layout first asks for them: a busy window's oldest papers never
    # reach the README, and making thousands of items for nothing would dominate its rendering.
    @functools.cache
    def full(key: str) -> str:
        return full_item(by_id[key], spec.display.abstracts, key in latest)

    @functools.cache
    def linked(key: str) -> str:
        return brief_item(by_id[key], key in latest, links=True)

    @functools.cache
    def plain(key: str) -> str:
        return brief_item(by_id[key], key in latest, links=False)

    while True:
        levels, brief = _fit(entries, _FullItems(in_full, full), (linked, plain), budget)
        template = _layout(spec, entries, levels, full, brief, latest)
        if len(template.encode("utf-8")) <= spec.max_bytes or budget <= 0:
            return Block(template, levels)
        budget -= max(len(template.encode("utf-8")) - spec.max_bytes, 1_000)


class _FullItems(NamedTuple):
    """The papers that may be shown in full, and how to make an item in full."""

    keys: Set[str]
    make: Callable[[str], str]


def _fit(
    entries: Sequence[Entry],
    full: _FullItems,
    briefs: tuple[Callable[[str], str], Callable[[str], str]],
    budget: int,
) -> tuple[dict[str, str], Callable[[str], str]]:
    """One-line items carry PDF and code links unless that would leave papers to the archive
    pages; then every one-line item goes without them. Without links is tried first: when even
    that leaves papers out, the longer lines would too, and a busy window's thousands of lines
    with links are never made."""
    linked, plain = briefs
    without = _levels(entries, full, plain, budget)
    if ELSEWHERE in without.values():
        return without, plain
    levels = _levels(entries, full, linked, budget)
    if ELSEWHERE not in levels.values():
        return levels, linked
    return without, plain


def _levels(
    entries: Sequence[Entry], full: _FullItems, brief: Callable[[str], str], budget: int
) -> dict[str, str]:
    """How each paper is shown, newest first: in full (only papers of the newest arrival days,
    `full.keys`), in one line, or left to its archive page. When every paper fits in one line,
    as many of the newest as the rest leaves room for are in full and none is left out; when
    not, papers in full take at most half the budget and the one-line items the rest."""
    keys = [entry.paper.arxiv_id for entry in entries]
    candidates = [key for key in keys if key in full.keys]  # a prefix: newest arrivals first
    spare = budget - _total_up_to(map(brief, keys), budget + 1)
    if spare >= 0:
        in_full = 0
        for key in candidates:
            spare -= _size(full.make(key)) - _size(brief(key))
            if spare < 0:
                break
            in_full += 1
        return {key: FULL if index < in_full else BRIEF for index, key in enumerate(keys)}
    levels: dict[str, str] = {}
    used = 0
    for key in candidates:
        size = _size(full.make(key))
        if used + size > budget // 2:
            break
        used += size
        levels[key] = FULL
    for key in keys[len(levels) :]:
        size = _size(brief(key))
        if used + size > budget:
            break
        used += size
        levels[key] = BRIEF
    levels.update((key, ELSEWHERE) for key in keys[len(levels) :])
    return levels


def _total_up_to(items: Iterable[str], limit: int) -> int:
    """The items' size, counted until it reaches `limit`."""
    total = 0
    for item in items:
        total += _size(item)
        if total >= limit:
            break
    return total


def _size(text: str) -> int:
    return len(text.encode("utf-8")) + 2


def _layout(
    spec: BlockSpec,
    entries: Sequence[Entry],
    levels: Mapping[str, str],
    full: Callable[[str], str],
    brief: Callable[[str], str],
    latest: Set[str],
) -> str:
    grouped: dict[str, list[Entry]] = {name: [] for name in spec.order}
    for entry in entries:
        grouped.setdefault(entry.decision.category, []).append(entry)
    sections = [(name, items) for name, items in grouped.items() if items]
    description = escape(spec.description, links=True)
    parts = [heading(1, escape(spec.title)), _freshness(spec, entries), description]
    if not entries:
        parts.append(f"No papers were added in the last {counted(spec.window_days, 'day')}.")
    else:
        parts += [_contents(sections, latest), _where(levels)]
    for index, (name, items) in enumerate(sections):
        parts += ["---" if index else "", heading(2, escape(name))]
        parts += [full(e.paper.arxiv_id) for e in items if levels[e.paper.arxiv_id] == FULL]
        parts.append(
            "\n".join(brief(e.paper.arxiv_id) for e in items if levels[e.paper.arxiv_id] == BRIEF)
        )
        parts.append(_elsewhere_note(sum(levels[e.paper.arxiv_id] == ELSEWHERE for e in items)))
    parts += [_day_links(spec, entries), f"<sub>{ARXIV_THANKS}</sub>"]
    return f"{BLOCK_START}\n{blocks(*parts)}\n{BLOCK_END}"


def _freshness(spec: BlockSpec, entries: Sequence[Entry]) -> str:
    parts = ["**Automated Daily Update**", f"List last changed: {_STAMP_SLOT}"]
    if entries:
        parts.append(f"Newest arrival: {max(e.arrived for e in entries):%Y-%m-%d}")
    count = len(entries)
    parts.append(f"{counted(count, 'paper')} added in the last {counted(spec.window_days, 'day')}")
    if spec.feed_link is not None:
        parts.append(md_link("Atom feed", spec.feed_link))
    return " | ".join(parts)


def _contents(sections: Sequence[tuple[str, Sequence[Entry]]], latest: Set[str]) -> str:
    """Each topic with its count, and how many of them are of the newest arrival day."""
    seen: dict[str, int] = {}
    links = []
    for name, items in sections:
        fresh = sum(1 for e in items if e.paper.arxiv_id in latest)
        count = f"{len(items)}, {fresh} new" if fresh else f"{len(items)}"
        links.append(md_link(f"{escape(name)} ({count})", f"#{github_anchor(name, seen)}"))
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
    return (
        f"*…and {counted(count, 'earlier paper')} in this topic, on the archive pages linked at "
        "the end.*"
    )


def _day_links(spec: BlockSpec, entries: Sequence[Entry]) -> str:
    """Every arrival day's archive page, each part linked, so a paper not shown here is one
    click away."""
    counts: dict[date, int] = {}
    for entry in entries:
        counts[entry.arrived] = counts.get(entry.arrived, 0) + 1
    links = [
        _day_link(day, count, spec.day_links[day])
        for day, count in sorted(counts.items(), reverse=True)
        if spec.day_links.get(day)
    ]
    return "**Archive by arrival day:** " + " · ".join(links) if links else ""


def _day_link(day: date, count: int, parts: Sequence[str]) -> str:
    first = md_link(f"{day:%Y-%m-%d} ({count})", parts[0])
    if len(parts) == 1:
        return first
    more = ", ".join(md_link(f"part {n}", target) for n, target in enumerate(parts[1:], 2))
    return f"{first} ({more})"
