"""The archive: one Markdown page per day on which papers arrived, the bot's only memory.

Each page's front matter (python-frontmatter) holds the full records of the papers that day
brought, and the query, topic settings and first day of the digest that wrote it; its body lists
them for people. A busy day's page is split into parts (2026-02-05.md, 2026-02-05-2.md, ...).

A run reads the archive once: every page from the farthest day it may need on, plus, when those
hold none of it, the newest pages that say when the digest last ran and last had news.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from types import MappingProxyType

import msgspec

from digest.archive.page import DayPage, checked, read_page
from digest.layout import Layout
from digest.records import Known

_PAGE_NAME = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<part>[1-9]\d*))?\.md$")
_YEAR_NAME = re.compile(r"^\d{4}$")
# How many pages older than the reach a run reads, newest first, to find its last run or news.
_OLDER_PAGES = 60

log = logging.getLogger(__name__)


class DayFiles(msgspec.Struct, frozen=True):
    """Every file of one day, in part order (config-relative paths), and what each says."""

    day: date
    paths: tuple[str, ...]
    pages: tuple[DayPage, ...]


class Archive(msgspec.Struct, frozen=True):
    """What the archive says, read once per run.

    `query` is the query of the digest that wrote the newest pages ('' for pages written before
    pages recorded it, None for an empty archive); the last run that wrote a page `last_run`,
    the first day `started` and the newest arrival day `last_news` are that digest's. `days`
    holds every page dated from `read_from` to the run's date (pages dated after it, a typo or
    a clock error, are left out with a warning).
    """

    query: str | None
    last_run: datetime | None
    started: date | None
    last_news: date | None
    read_from: date
    days: Mapping[date, DayFiles]

    def own_files(self, query: str) -> dict[date, tuple[str, ...]]:
        """Each day's files written for `query`."""
        own = {}
        for day, files in self.days.items():
            pairs = zip(files.paths, files.pages, strict=True)
            paths = tuple(path for path, page in pairs if page.query == query)
            if paths:
                own[day] = paths
        return own

    def papers(self, query: str | None = None) -> Mapping[str, Known]:
        """The newest record of every paper on the pages read, with the day it first arrived;
        only the pages of `query` when given. Decisions come back with their rules' key."""
        papers: dict[str, Known] = {}
        for files in self.days.values():
            for page in files.pages:
                if query is not None and page.query != query:
                    continue
                for entry in (*page.new, *page.updated):
                    current = papers.get(entry.paper.arxiv_id)
                    if entry.paper.is_newer_than(current.paper if current else None):
                        arrived = entry.arrived if current is None else current.arrived
                        papers[entry.paper.arxiv_id] = Known(
                            entry.paper, arrived, entry.decision, page.rules
                        )
                    elif current is not None and entry.arrived < current.arrived:
                        papers[entry.paper.arxiv_id] = Known(
                            current.paper, entry.arrived, current.decision, current.rules
                        )
        return MappingProxyType(papers)


def read_archive(layout: Layout, today: date, reach: Callable[[datetime | None], date]) -> Archive:
    """Read the pages a run needs: every page from `reach(the newest page's last run)` to
    `today`, and as many older ones as it takes to know when the newest digest last ran, when it
    started and when it last had news (the pages' `news_on`).
    Only the year folders holding those pages are listed, so a run does not grow with the
    archive's age."""
    root = layout.disk_path(layout.archive)
    years = _year_folders(root)
    read: dict[Path, DayPage] = {}

    def page_at(path: Path) -> DayPage:
        if path not in read:
            read[path] = read_page(path)
        return read[path]

    newest = next(
        (
            path
            for year in reversed(years)
            if int(year.name) <= today.year
            for day, _, path in reversed(_pages_in(year))
            if day <= today
        ),
        None,
    )
    read_from = reach(page_at(newest).last_run if newest else None)
    recent = [
        item
        for year in years
        if int(year.name) >= read_from.year
        for item in _pages_in(year)
        if item[0] >= read_from
    ]
    for day, _, path in recent:
        if day > today:
            log.warning("ignored archive page %s: it is dated after the run's date %s", path, today)
    days = _days(layout, [item for item in recent if item[0] <= today], page_at)
    pages = sorted(
        (page for day in days.values() for page in day.pages), key=lambda p: (p.last_run, p.day)
    )
    older = (
        page_at(path)
        for year in reversed(years)
        if int(year.name) <= read_from.year
        for day, _, path in reversed(_pages_in(year))
        if day < read_from
    )
    history = _History.of(pages, older, lambda: _oldest_day(years))
    return Archive(
        query=history.query,
        last_run=history.last_run,
        started=history.started,
        last_news=history.last_news,
        read_from=read_from,
        days=MappingProxyType(days),
    )


class _History(msgspec.Struct, frozen=True):
    query: str | None
    last_run: datetime | None
    started: date | None
    last_news: date | None

    @classmethod
    def of(
        cls,
        recent: list[DayPage],
        older: Iterator[DayPage],
        oldest: Callable[[], date],
    ) -> _History:
        """The newest digest's facts from the recent pages (oldest run first), reading older
        pages newest first only while a fact is still missing."""
        pages = list(recent)
        wanted = _OLDER_PAGES
        while wanted and not _settled(pages):
            page = next(older, None)
            if page is None:
                break
            pages.insert(0, page)
            wanted -= 1
        if not pages:
            return cls(None, None, None, None)
        newest = pages[-1]
        own = [page for page in pages if page.query == newest.query]
        recorded = [page.started for page in own if page.started is not None]
        news = [page.news_on for page in own if page.news_on is not None]
        return cls(
            query=newest.query,
            last_run=max(page.last_run for page in own),
            # Pages record the digest's first day; older pages did not: the first page stands in.
            started=min(recorded) if recorded else oldest(),
            last_news=max(news) if news else None,
        )


def _settled(pages: list[DayPage]) -> bool:
    """Whether the pages read say when the newest digest last had news (and so everything)."""
    if not pages:
        return False
    newest = max(pages, key=lambda p: (p.last_run, p.day))
    return any(page.news_on and page.query == newest.query for page in pages)


def _days(
    layout: Layout, found: list[tuple[date, int, Path]], page_at: Callable[[Path], DayPage]
) -> dict[date, DayFiles]:
    by_day: dict[date, list[tuple[int, Path]]] = {}
    for day, part, path in found:
        by_day.setdefault(day, []).append((part, path))
    days = {}
    for day, parts in by_day.items():
        ordered = [path for _, path in sorted(parts)]
        relative = tuple(path.relative_to(layout.root).as_posix() for path in ordered)
        days[day] = DayFiles(day, relative, tuple(page_at(path) for path in ordered))
    return days


def _year_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if d.is_dir() and _YEAR_NAME.match(d.name))


def _pages_in(year_dir: Path) -> list[tuple[date, int, Path]]:
    """(day, part, path) of every page in a year's folder, oldest first."""
    found = []
    for path in year_dir.iterdir():
        match = _PAGE_NAME.match(path.name)
        if match is not None:
            day = checked(path, partial(date.fromisoformat, match["day"]))
            found.append((day, int(match["part"] or 1), path))
    return sorted(found)


def _oldest_day(years: list[Path]) -> date:
    return next(day for year in years for day, _, _ in _pages_in(year))
