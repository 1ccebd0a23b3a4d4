"""Render every output of a run: the day pages, the list outputs (feed.xml), the README block.

The run's files come back as text (or None for a file to remove), in the order they are to be
written, archive first and README last, so an interrupted run is repaired by the next one; the
only file this stage reads is the README's current text (readme.read_readme), once, at the
start of the run. A run without news changes nothing, not even a date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from urllib.parse import quote

import msgspec

from digest.archive.page import DayPage, render_parts
from digest.config.settings import Config
from digest.layout import Layout, RepositoryPages
from digest.records import Entry
from digest.render.block import BlockSpec, render_block
from digest.render.message import News, commit_message
from digest.render.outputs import LIST_OUTPUTS, Listing
from digest.render.readme import (
    ReadmeUpdate,
    block_room,
    freshness_line,
    previous_stamp,
    split_readme,
)

__all__ = [
    "News",
    "ReadmeUpdate",
    "Rendered",
    "commit_message",
    "declared_paths",
    "render_outputs",
]


class Rendered(msgspec.Struct, frozen=True):
    """A run's files, config-relative path to new text (None: remove it), in writing order;
    the README's new block, travelling whole to the publisher so that a README edited meanwhile
    gets it on top of that edit; and the freshness line readers will see after the run."""

    files: Mapping[str, str | None]
    readme: ReadmeUpdate | None
    freshness: str


def render_outputs(
    config: Config,
    layout: Layout,
    *,
    web: RepositoryPages | None = None,
    now: datetime,
    day_pages: Sequence[DayPage],
    replaced: Mapping[date, tuple[str, ...]],
    day_files: Mapping[date, tuple[str, ...]],
    shown: Sequence[Entry],
    readme_text: str,
) -> Rendered:
    """Render the rewritten `day_pages`, each replacing every file of its day (`replaced`),
    then the README block and the list outputs, which change together and only when the list
    does. `day_files` holds the digest's own files of each day, which the README links."""
    files: dict[str, str | None] = {}
    files_now = dict(day_files)
    for page in day_pages:
        written = _page_files(config, layout, page)
        files |= written
        files |= {path: None for path in replaced.get(page.day, ()) if path not in written}
        files_now[page.day] = tuple(path for path, text in written.items() if text is not None)
    listing = Listing(config, layout, web, now, tuple(shown), files_now)
    before, old_block, after = split_readme(readme_text, config.readme_path)
    room = block_room(config.readme_path, before + after, config.display.max_page_bytes)
    block = render_block(_block_spec(listing, room), shown)
    stamp = previous_stamp(old_block)
    if stamp is not None and block.stamped(stamp) == old_block:
        return Rendered(files, None, freshness_line(old_block))
    readme = ReadmeUpdate(config.readme_path, block.stamped(now))
    for output in LIST_OUTPUTS:
        files[output.path(config)] = output.render(listing)
    files[config.readme_path] = readme.apply(readme_text)
    return Rendered(files, readme, freshness_line(readme.block))


def declared_paths(config: Config) -> tuple[str, ...]:
    """Every file the outputs own (config-relative; the archive's as a pattern)."""
    lists = (output.path(config) for output in LIST_OUTPUTS)
    return (f"{config.archive_dir}/*/*.md", *lists, config.readme_path)


def _page_files(config: Config, layout: Layout, page: DayPage) -> dict[str, str | None]:
    """The texts of a day's parts, keyed by path; an emptied day has none."""
    if not page.new and not page.updated:
        return {}
    texts = render_parts(page, config.category_order, config.display.max_page_bytes)
    return {layout.page(page.day, number): text for number, text in enumerate(texts, start=1)}


def _block_spec(listing: Listing, room: int) -> BlockSpec:
    config, layout = listing.config, listing.layout
    return BlockSpec(
        title=config.title,
        description=config.description,
        window_days=config.window_days,
        order=config.category_order,
        display=config.display,
        max_bytes=room,
        day_links={
            day: tuple(layout.link_from_readme(path) for path in paths)
            for day, paths in listing.day_files.items()
        },
        feed_link=_feed_link(listing),
    )


def _feed_link(listing: Listing) -> str:
    """The feed's raw address when the run knows it: GitHub shows a relative link's target as
    an HTML page, which a feed reader cannot subscribe to."""
    layout, web = listing.layout, listing.web
    raw = web.raw(layout.repo_path(layout.feed)) if web else ""
    return raw or quote(layout.link_from_readme(listing.config.feed.path))
