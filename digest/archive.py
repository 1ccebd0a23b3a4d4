"""The archive: one Markdown page per day with news, the bot's only memory.

Each page's YAML front matter holds the full records of the papers that day brought; its body
lists them for people. Pages are only ever added to, so the history stays as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import frontmatter
import yaml
from mdutils.mdutils import MdUtils

from digest.records import Decision, Entry, Paper
from digest.render import authors_line, escape, tidy

_PAGE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.md$")
_YEAR_NAME = re.compile(r"^\d{4}$")
_REQUIRED = ("id", "version", "title", "authors", "published", "updated", "abstract")


class ArchiveError(Exception):
    """An archive page cannot be read; the run stops rather than forget or rewrite history."""


@dataclass(frozen=True)
class ArchiveState:
    """What the archive knows: the latest record of every paper, and the pages read."""

    papers: Mapping[str, Paper]
    pages: Mapping[date, DayPage]


@dataclass(frozen=True)
class DayPage:
    """One day's page: the runs of that day and the papers they brought."""

    day: date
    last_run: datetime
    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]


def page_path(archive_dir: str, day: date) -> str:
    """Repository-relative path of a day's page, e.g. archive/2026/2026-02-05.md."""
    return f"{archive_dir}/{day:%Y}/{day:%Y-%m-%d}.md"


def read_last_run(root: Path) -> datetime | None:
    """When the newest page was last written: reading one file is enough."""
    pages = list(_pages(root, since=date.min))
    if not pages:
        return None
    return read_page(pages[-1][1]).last_run


def load_archive(root: Path, since: date) -> ArchiveState:
    """Read the pages dated `since` or later: every paper first submitted since then is on one,
    because a paper arrives no earlier than its submission."""
    papers: dict[str, Paper] = {}
    pages: dict[date, DayPage] = {}
    for day, path in _pages(root, since):
        page = pages[day] = read_page(path)
        for entry in (*page.new, *page.updated):
            known = papers.get(entry.paper.arxiv_id)
            if known is None or entry.paper.version >= known.version:
                papers[entry.paper.arxiv_id] = entry.paper
    return ArchiveState(papers=MappingProxyType(papers), pages=MappingProxyType(pages))


def _pages(root: Path, since: date) -> Iterator[tuple[date, Path]]:
    """Day pages in date order, skipping whole years before `since` unread."""
    if not root.is_dir():
        return
    for year_dir in sorted(root.iterdir()):
        if not (year_dir.is_dir() and _YEAR_NAME.match(year_dir.name)):
            continue
        if int(year_dir.name) < since.year:
            continue
        for path in sorted(year_dir.iterdir()):
            match = _PAGE_NAME.match(path.name)
            if match and (day := date.fromisoformat(match[1])) >= since:
                yield day, path


def read_page(path: Path) -> DayPage:
    """Parse one page, or raise ArchiveError naming the file and what is wrong with it."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        meta = post.metadata
        return DayPage(
            day=date.fromisoformat(str(meta["date"])),
            last_run=_timestamp(meta["last_run"]),
            new=tuple(_entry(record) for record in _records(meta, "new")),
            updated=tuple(_entry(record) for record in _records(meta, "updated")),
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ArchiveError(
            f"{path}: cannot be read ({_first_line(error)}); restore it from git history"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ArchiveError(
            f"{path}: damaged front matter ({_first_line(error)}); restore it from git history"
        ) from None


def _records(meta: Mapping[str, object], key: str) -> list[Mapping[str, Any]]:
    records = meta.get(key) or []
    if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
        raise TypeError(f"'{key}' must be a list of paper records")
    return records


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _entry(record: Mapping[str, Any]) -> Entry:
    missing = [key for key in _REQUIRED if record.get(key) in (None, "")]
    if missing:
        raise ValueError(f"paper {record.get('id', '?')} lacks {', '.join(missing)}")
    paper = Paper(
        arxiv_id=str(record["id"]),
        version=int(record["version"]),
        title=str(record["title"]),
        authors=tuple(str(name) for name in record["authors"]),
        published=_timestamp(record["published"]),
        updated=_timestamp(record["updated"]),
        primary_category=str(record.get("primary_category") or ""),
        categories=tuple(str(c) for c in record.get("categories") or ()),
        abstract=str(record["abstract"]),
        comment=_optional(record.get("comment")),
        journal_ref=_optional(record.get("journal_ref")),
        doi=_optional(record.get("doi")),
    )
    decision = Decision(
        category=str(record.get("category") or ""),
        reason=str(record.get("category_reason") or ""),
    )
    return Entry(paper=paper, decision=decision)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _timestamp(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} has no time zone")
    return moment.astimezone(UTC)


def _record(entry: Entry) -> dict[str, Any]:
    paper = entry.paper
    return {
        "id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "published": paper.published.isoformat(),
        "updated": paper.updated.isoformat(),
        "primary_category": paper.primary_category,
        "categories": list(paper.categories),
        "abstract": paper.abstract,
        "comment": paper.comment,
        "journal_ref": paper.journal_ref,
        "doi": paper.doi,
        "category": entry.decision.category,
        "category_reason": entry.decision.reason,
    }


def add_to_page(previous: DayPage | None, page: DayPage) -> DayPage:
    """A second run on the same day adds to that day's page instead of replacing it."""
    if previous is None:
        return page
    return DayPage(
        day=page.day,
        last_run=max(previous.last_run, page.last_run),
        new=previous.new + page.new,
        updated=previous.updated + page.updated,
    )


def render_page(page: DayPage, category_order: Sequence[str]) -> str:
    """The page's text: full records in front matter, a readable list in the body."""
    metadata: dict[str, object] = {
        "date": page.day.isoformat(),
        "last_run": page.last_run.isoformat(),
        "new": [_record(entry) for entry in page.new],
        "updated": [_record(entry) for entry in page.updated],
    }
    post = frontmatter.Post(_body(page, category_order))
    post.metadata.update(metadata)
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=100) + "\n"


def _body(page: DayPage, category_order: Sequence[str]) -> str:
    md = MdUtils(file_name="")
    md.new_header(level=1, title=f"arXiv digest: {page.day:%Y-%m-%d}", add_table_of_contents="n")
    md.new_paragraph(
        f"{len(page.new)} new and {len(page.updated)} updated papers; "
        f"last run {page.last_run:%Y-%m-%d %H:%M} UTC."
    )
    order = {name: index for index, name in enumerate(category_order)}
    for heading, entries in (("New papers", page.new), ("Updated papers", page.updated)):
        if not entries:
            continue
        md.new_header(level=2, title=heading, add_table_of_contents="n")
        ranked = sorted(
            entries, key=lambda e: (order.get(e.decision.category, len(order)), e.decision.category)
        )
        md.new_list([_item(entry) for entry in ranked])
    return tidy(md.get_md_text())


def _item(entry: Entry) -> str:
    paper = entry.paper
    link = f"[{escape(paper.title) or paper.versioned_id}]({paper.abs_url})"
    return (
        f"{link}: {escape(authors_line(paper.authors))}; submitted {paper.published:%Y-%m-%d}; "
        f"{escape(entry.decision.category)} ({escape(entry.decision.reason)})"
    )
