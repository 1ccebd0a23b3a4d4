"""The archive: one Markdown page per day on which papers arrived, the bot's only memory.

Each page's YAML front matter (python-frontmatter) holds the full records of the papers that day
brought; its body lists them for people. A busy day's page is split into parts
(2026-02-05.md, 2026-02-05-2.md, ...) so every part stays under the byte budget GitHub renders.
Pages are only ever added to, so the history stays as it was written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import msgspec
import yaml

from digest.archive_page import render_parts
from digest.errors import DigestError
from digest.front_matter import FlowYamlHandler
from digest.paths import Layout
from digest.records import Entry, Known, RecordError, timestamp

_PAGE_NAME = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:-(?P<part>[1-9]\d*))?\.md$")
_YEAR_NAME = re.compile(r"^\d{4}$")
# How many of the newest pages a run reads back to find its own digest's last one.
_HISTORY_PAGES = 60

_T = TypeVar("_T")

log = logging.getLogger(__name__)


class ArchiveError(DigestError):
    """An archive page cannot be read; the run stops rather than forget or rewrite history."""


class DayPage(msgspec.Struct, frozen=True):
    """One day's page (all its parts): the runs of that day and the papers they brought."""

    day: date
    last_run: datetime
    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    query: str = ""
    rules: str = ""
    started: date | None = None


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
    with none of the current query among the newest pages, this is a first run."""
    pages = list(_page_files(layout.disk_path(layout.archive), date.min))
    ignored = tuple(str(path) for day, _, path in pages if day > today)
    for name in ignored:
        log.warning("ignored archive page %s: it is dated after the run's date %s", name, today)
    firsts = [path for day, _, path in reversed(pages) if day <= today]
    read: dict[Path, DayPage] = {}
    for path in firsts[:_HISTORY_PAGES]:
        page = read[path] = read_page(path)
        if not _same_digest(page.query, query):
            continue
        # Pages record the digest's first day; older pages did not: the first page stands in.
        started = page.started or _first_day(pages)
        return History(page.last_run, started, ignored, query, MappingProxyType(read))
    if firsts:
        log.info(
            "no recent archive page was written for this query: this run starts a new digest "
            "for it; the other pages stay as they are"
        )
    return History(None, None, ignored, query, MappingProxyType(read))


def _same_digest(page_query: object, query: str) -> bool:
    """Whether a page belongs to the digest of `query`: pages that record no query (written
    before pages recorded it) belong to every digest."""
    return not query or not page_query or page_query == query


def _first_day(pages: Sequence[tuple[date, int, Path]]) -> date:
    return pages[0][0]


def _day_or_none(value: object) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


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
        meta = _front_matter(path)
        if not _same_digest(meta.get("query"), query):
            continue
        if meta.get("new"):
            return _checked(path, partial(timestamp, meta.get("last_run"), "last_run")).date()
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
    """(day, part, path) of every page in date order, skipping whole years before `since`."""
    if not root.is_dir():
        return
    for year_dir in sorted(root.iterdir()):
        if not (year_dir.is_dir() and _YEAR_NAME.match(year_dir.name)):
            continue
        if int(year_dir.name) < since.year:
            continue
        found = []
        for path in year_dir.iterdir():
            match = _PAGE_NAME.match(path.name)
            if match is None:
                continue
            day = _checked(path, partial(date.fromisoformat, match["day"]))
            if day >= since:
                found.append((day, int(match["part"] or 1), path))
        yield from sorted(found)


def read_page(path: Path) -> DayPage:
    """Parse one page (or part), or raise ArchiveError naming the file and what is wrong."""
    meta = _front_matter(path)

    def parse() -> DayPage:
        day = date.fromisoformat(str(meta["date"]))
        return DayPage(
            day=day,
            last_run=timestamp(meta["last_run"], "last_run"),
            new=tuple(Entry.from_record(record, day) for record in _records(meta, "new")),
            updated=tuple(Entry.from_record(record, day) for record in _records(meta, "updated")),
            query=str(meta.get("query") or ""),
            rules=str(meta.get("rules") or ""),
            started=_day_or_none(meta.get("started")),
        )

    return _checked(path, parse)


def _front_matter(path: Path) -> Mapping[str, Any]:
    """The page's metadata through python-frontmatter's handler (split, then load), as
    frontmatter.loads reads it, without the copies of the whole page it makes to return the
    body too: reading a busy window's 20 pages took 15 ms more that way."""
    handler = FlowYamlHandler()
    try:
        # Bytes decoded, not read_text: its newline translation took most of a busy page's read.
        text = path.read_bytes().decode("utf-8").lstrip()
        try:
            front, _ = handler.split(text.replace("\r\n", "\n") if "\r" in text else text)
        except ValueError:
            return {}  # no front matter, as python-frontmatter reads it; the page check names it
        meta = handler.load(front)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise ArchiveError(
            f"{path}: cannot be read ({_first_line(error)}); restore it from git history"
        ) from None
    return meta if isinstance(meta, dict) else {}


def _checked(path: Path, parse: Callable[[], _T]) -> _T:
    """Run `parse`, turning any malformed value into an ArchiveError naming the file."""
    try:
        result = parse()
    except (KeyError, TypeError, ValueError, AttributeError, RecordError) as error:
        raise ArchiveError(
            f"{path}: damaged page ({_first_line(error)}); restore it from git history"
        ) from None
    return result


def _records(meta: Mapping[str, object], key: str) -> list[Mapping[str, Any]]:
    records = meta.get(key) or []
    if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
        raise TypeError(f"'{key}' must be a list of paper records")
    return records


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


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
