"""The archive: one Markdown page per day on which papers arrived, the bot's only memory.

Each page's YAML front matter (python-frontmatter) holds the full records of the papers that day
brought; its body lists them for people. A busy day's page is split into parts
(2026-02-05.md, 2026-02-05-2.md, ...) so every part stays under the byte budget GitHub renders.
Pages are only ever added to, so the history stays as it was written.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from types import MappingProxyType

import msgspec

from digest.archive.page import (
    DayPage,
    checked,
    read_front_matter,
    read_page,
    render_parts,
)
from digest.layout import Layout
from digest.records import Known, timestamp

_PAGE_NAME = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<part>[1-9]\d*))?\.md$")
_YEAR_NAME = re.compile(r"^\d{4}$")
# How many of the newest pages a run reads back to find its own digest's last one.
_HISTORY_PAGES = 60

log = logging.getLogger(__name__)


class History(msgspec.Struct, frozen=True):
    """What the page names and the newest page say about past runs, read before planning.

    `ignored` lists pages dated after the run's date (a typo or a clock error): they are not
    trusted as the last run, or catch-up after an outage would be skipped.
    """

    last_run: datetime | None
    started: date | None
    ignored: tuple[str, ...]
    query: str = ""
    read: Mapping[Path, DayPage] = msgspec.field(default_factory=dict)
    """The pages parsed to find this, so the load does not parse them again."""


class ArchiveState(msgspec.Struct, frozen=True):
    """What the archive knows: the latest record of every paper on the pages read."""

    papers: Mapping[str, Known]
    pages: Mapping[date, DayPage]
    since: date
    taken: Mapping[date, int] = msgspec.field(default_factory=dict)
    """Per day, the last part number another query's pages use: this digest's pages of that day
    are numbered after them, so the other field's pages stay as they were written."""

    def versions(self) -> dict[str, int]:
        """The version held of each paper, by arXiv id."""
        return {arxiv_id: item.paper.version for arxiv_id, item in self.papers.items()}


def read_history(layout: Layout, today: date, query: str = "") -> History:
    """The last run and the digest's first day, from the newest page this digest (`query`)
    wrote; pages dated after `today` are ignored and named. When the query changed (a fork
    following another field), the old query's pages are history, not this digest's memory:
    with none of the current query among the newest pages, this is a first run. Only the
    folders of the years it reads are listed, so a run does not grow with the archive's age."""
    root = layout.disk_path(layout.archive)
    ignored = tuple(str(path) for _, _, path in _page_files(root, today + timedelta(days=1)))
    for name in ignored:
        log.warning("ignored archive page %s: it is dated after the run's date %s", name, today)
    read: dict[Path, DayPage] = {}
    for path in itertools.islice(_newest_first(root, today), _HISTORY_PAGES):
        page = read[path] = read_page(path)
        if not _same_digest(page.query, query):
            continue
        # Pages record the digest's first day; older pages did not: the first page stands in.
        started = page.started or _first_day(root)
        return History(page.last_run, started, ignored, query, MappingProxyType(read))
    if read:
        log.info(
            "no recent archive page was written for this query: this run starts a new digest "
            "for it; the other pages stay as they are"
        )
    return History(None, None, ignored, query, MappingProxyType(read))


def _same_digest(page_query: object, query: str) -> bool:
    """Whether a page belongs to the digest of `query`: pages that record no query (written
    before pages recorded it) belong to every digest."""
    return not query or not page_query or page_query == query


def _first_day(root: Path) -> date:
    """The oldest page's day (the archive holds at least one page)."""
    return next(_page_files(root, date.min))[0]


def load_archive(
    layout: Layout,
    since: date,
    until: date,
    rules: str = "",
    query: str = "",
    read: Mapping[Path, DayPage] = MappingProxyType({}),
) -> ArchiveState:
    """Read the pages dated from `since` to `until`: every paper first submitted since then is
    on one of them, because a paper arrives no earlier than its submission. Decisions made under
    the `rules` fingerprint come back with their papers. Pages a digest of another `query`
    wrote are history, not memory: they are left out (pages that record no query are kept).
    Pages already `read` (History.read) are not parsed again."""
    parts: dict[date, list[DayPage]] = {}
    taken: dict[date, int] = {}
    for day, number, path in _page_files(layout.disk_path(layout.archive), since):
        page = (read.get(path) or read_page(path)) if day <= until else None
        if page is not None and _same_digest(page.query, query):
            parts.setdefault(day, []).append(page)
        elif page is not None:
            taken[day] = max(taken.get(day, 0), number)
    pages = {day: _joined(day_parts) for day, day_parts in parts.items()}
    papers: dict[str, Known] = {}
    for page in pages.values():
        for entry in (*page.new, *page.updated):
            current = papers.get(entry.paper.arxiv_id)
            if entry.paper.is_newer_than(current.paper if current else None):
                arrived = entry.arrived if current is None else current.arrived
                decision = entry.decision if rules and page.rules == rules else None
                papers[entry.paper.arxiv_id] = Known(entry.paper, arrived, decision)
    return ArchiveState(
        MappingProxyType(papers), MappingProxyType(pages), since, MappingProxyType(taken)
    )


def last_news_day(
    layout: Layout,
    state: ArchiveState,
    started: date | None,
    query: str = "",
    today: date | None = None,
) -> date | None:
    """The last day a run brought this digest (`query`) a new paper: `today` when this run
    did, else the newest such run recorded on the pages (a first run files papers under their
    submission days, but they arrived on the day it ran), or None when it never had one.

    The pages the run loaded answer it when they hold news; older pages are read newest first,
    back to the digest's first day `started` only, so a long-dead digest costs one pass at most.
    """
    if today is not None:
        return today
    runs = [page.last_run.date() for page in state.pages.values() if page.new]
    if runs:
        return max(runs)
    if started is None:
        return None
    pages = _page_files(layout.disk_path(layout.archive), started)
    older = [path for day, _, path in pages if day < state.since]  # the rest were loaded
    for path in reversed(older):
        meta = read_front_matter(path)
        if not _same_digest(meta.get("query"), query):
            continue
        if meta.get("new"):
            return checked(path, partial(timestamp, meta.get("last_run"), "last_run")).date()
    return None


def _joined(parts: Sequence[DayPage]) -> DayPage:
    """One day's page from its parts, in order; the last part's settings are the page's."""
    return DayPage(
        day=parts[0].day,
        last_run=max(part.last_run for part in parts),
        new=tuple(entry for part in parts for entry in part.new),
        updated=tuple(entry for part in parts for entry in part.updated),
        query=parts[-1].query,
        rules=parts[-1].rules,
        started=parts[-1].started,
    )


def _page_files(root: Path, since: date) -> Iterator[tuple[date, int, Path]]:
    """(day, part, path) of every page from `since` on, in date order, a year folder at a time."""
    for year_dir in _year_folders(root):
        if int(year_dir.name) >= since.year:
            yield from _pages_in(year_dir, since)


def _newest_first(root: Path, until: date) -> Iterator[Path]:
    """Every page dated up to `until`, newest first (a day's last part first)."""
    for year_dir in reversed(_year_folders(root)):
        if int(year_dir.name) <= until.year:
            yield from (path for day, _, path in reversed(_pages_in(year_dir)) if day <= until)


def _year_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if d.is_dir() and _YEAR_NAME.match(d.name))


def _pages_in(year_dir: Path, since: date = date.min) -> list[tuple[date, int, Path]]:
    found = []
    for path in year_dir.iterdir():
        match = _PAGE_NAME.match(path.name)
        if match is None:
            continue
        day = checked(path, partial(date.fromisoformat, match["day"]))
        if day >= since:
            found.append((day, int(match["part"] or 1), path))
    return sorted(found)


def add_to_page(previous: DayPage | None, page: DayPage) -> DayPage:
    """A second run on the same day adds to that day's page instead of replacing it."""
    return page if previous is None else _joined([previous, page])


def page_files(
    page: DayPage, layout: Layout, order: Sequence[str], max_bytes: int, first_file: int = 1
) -> dict[str, str]:
    """The text of every part of a day's page, keyed by config-relative path; the parts are
    numbered from `first_file` (after another query's pages of that day)."""
    texts = render_parts(page, order, max_bytes, first_file)
    return {
        layout.page(page.day, number): text for number, text in enumerate(texts, start=first_file)
    }
