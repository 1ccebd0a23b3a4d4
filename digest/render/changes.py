"""Decide what a run changes: the files to write and the commit message that announces them.

Nothing here does I/O: it compares the freshly rendered digest with what is on disk, so a run
without news changes nothing, not even a date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from urllib.parse import quote

import msgspec

from digest.archive.page import DayPage
from digest.archive.store import add_to_page, page_files
from digest.config.settings import Config
from digest.layout import Layout
from digest.records import Entry
from digest.render.block import Block, BlockSpec, render_block
from digest.render.feed import FeedSpec, render_feed
from digest.render.readme import (
    freshness_line,
    listed_ids,
    previous_stamp,
    replace_block,
    split_readme,
)


class Changes(msgspec.Struct, frozen=True):
    """Everything a run produces; `files` (config-relative paths) is empty when there is no news.

    `readme_block` is the new block when the README changes, so a README edited elsewhere
    meanwhile can get the same block on top of that edit.
    """

    files: Mapping[str, str]
    readme_block: str | None
    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    dropped: int
    shown: tuple[Entry, ...]
    block: Block
    freshness: str = ""
    """The block's freshness line as readers will see it after this run."""


def plan_changes(
    config: Config,
    layout: Layout,
    *,
    now: datetime,
    window: Sequence[Entry],
    new: Sequence[Entry],
    updated: Sequence[Entry],
    readme_text: str,
    pages: Mapping[date, DayPage],
    started: date | None = None,
    taken: Mapping[date, int] = MappingProxyType({}),
) -> Changes:
    """Files to write (archive pages first, then the feed, README last) and what they hold.

    The feed changes with the README's list and only then: both show the same papers."""
    shown = tuple(e for e in window if e.decision.relevant or not config.relevance.drop_irrelevant)
    files = _archive_files(config, layout, now, new, updated, pages, started, taken)
    _, old_block, _ = split_readme(readme_text, config.readme_path)
    block = render_block(_spec(config, layout, shown, taken), shown)
    stamp = previous_stamp(old_block)
    readme_block = None
    if stamp is None or block.stamped(stamp) != old_block:
        readme_block = block.stamped(now)
        files[config.feed.path] = render_feed(_feed_spec(config), shown)
        files[config.readme_path] = replace_block(readme_text, readme_block, config.readme_path)
    in_window = {entry.paper.arxiv_id for entry in window}
    return Changes(
        files=files,
        readme_block=readme_block,
        new=tuple(new),
        updated=tuple(updated),
        dropped=len(listed_ids(old_block) - in_window),
        shown=shown,
        block=block,
        freshness=freshness_line(readme_block or old_block),
    )


def _spec(
    config: Config, layout: Layout, shown: Sequence[Entry], taken: Mapping[date, int]
) -> BlockSpec:
    days = {entry.arrived for entry in shown}
    return BlockSpec(
        title=config.title,
        description=config.description,
        window_days=config.window_days,
        order=config.category_order,
        display=config.display,
        day_links={
            day: layout.link_from_readme(layout.page(day, taken.get(day, 0) + 1)) for day in days
        },
        feed_link=quote(layout.link_from_readme(config.feed.path)),
    )


def _feed_spec(config: Config) -> FeedSpec:
    return FeedSpec(
        title=config.title,
        description=config.description,
        query=config.query,
        max_entries=config.feed.max_entries,
        max_bytes=config.display.max_page_bytes,
    )


def _archive_files(
    config: Config,
    layout: Layout,
    now: datetime,
    new: Sequence[Entry],
    updated: Sequence[Entry],
    pages: Mapping[date, DayPage],
    started: date | None,
    taken: Mapping[date, int],
) -> dict[str, str]:
    """Each new paper goes on its arrival day's page, each revision on today's; every page
    records the query and topic settings it was made with, and the digest's first day."""
    by_day: dict[date, tuple[list[Entry], list[Entry]]] = {}
    for entry in new:
        by_day.setdefault(entry.arrived, ([], []))[0].append(entry)
    for entry in updated:
        by_day.setdefault(now.date(), ([], []))[1].append(entry)
    files: dict[str, str] = {}
    for day, (arrived, revised) in sorted(by_day.items()):
        page = DayPage(
            day, now, tuple(arrived), tuple(revised), config.query, config.rules_key, started
        )
        page = add_to_page(pages.get(day), page)
        first_file = taken.get(day, 0) + 1
        budget = config.display.max_page_bytes
        files |= page_files(page, layout, config.category_order, budget, first_file)
    return files
