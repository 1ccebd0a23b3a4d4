"""The list outputs: files that show the README's list in another form, as registered kinds.

Each kind declares the one file it writes (from config.yml) and renders it from the same
`Listing` as the README block; it is rewritten exactly when the README's list changes. Adding a
kind (a JSON Feed, say) is one module with a class like `AtomFeed`, its entry in `LIST_OUTPUTS`,
its setting in config.yml's schema and defaults, and a line in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Protocol

import msgspec

from digest.config.settings import Config
from digest.layout import Layout, RepositoryPages
from digest.records import Entry
from digest.render.feed import FeedSpec, render_feed


class Listing(msgspec.Struct, frozen=True):
    """What the README block and every list output show: the digest's settings, where its files
    are (and their pages on GitHub, when known), the run's time, the papers listed (newest
    arrival first) and each arrival day's archive files."""

    config: Config
    layout: Layout
    web: RepositoryPages | None
    now: datetime
    shown: tuple[Entry, ...]
    day_files: Mapping[date, tuple[str, ...]]


class ListOutput(Protocol):
    """A file that shows the list: where it goes, and its text."""

    def path(self, config: Config) -> str:
        """Its config-relative path."""
        ...

    def render(self, listing: Listing) -> str:
        """Its whole text, within its size limit."""
        ...


class AtomFeed:
    """feed.xml: the listed papers for feed readers (see digest/render/feed.py)."""

    def path(self, config: Config) -> str:
        return config.feed.path

    def render(self, listing: Listing) -> str:
        config, layout, web = listing.config, listing.layout, listing.web
        spec = FeedSpec(
            title=config.title,
            description=config.description,
            query=config.query,
            max_entries=config.feed.max_entries,
            max_bytes=config.feed.max_bytes,
            home_url=web.file(layout.repo_path(layout.readme)) if web else "",
            self_url=web.raw(layout.repo_path(layout.feed)) if web else "",
        )
        return render_feed(spec, listing.shown)


LIST_OUTPUTS: tuple[ListOutput, ...] = (AtomFeed(),)
