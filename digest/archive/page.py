"""One day's archive page both ways: its text (full records in front matter, a readable list
below) and the records read back from it.

A day that brought more papers than fit one page under the byte budget is split into parts, in
the order the papers were recorded; each part links to the next and says which part it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import frontmatter
import msgspec
import yaml

from digest.archive.front_matter import EncodedRecord, FlowYamlHandler, encode_record
from digest.errors import DigestError
from digest.markdown import authors_line, blocks, bullets, day, escape, heading, link
from digest.records import Entry, RecordError, timestamp

# Room for a part's heading, summary and links, beside its papers.
_PART_OVERHEAD_BYTES = 2_000
# Around a paper's record and item: line breaks, comma, bullet, with a few bytes to spare.
_SLOT_MARKUP_BYTES = 19

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
    news_on: date | None = None
    """The last run that filed news here (papers arriving within its window); a backfill's
    papers, filed on days long past, are history, not news."""


class _Slot(msgspec.Struct, frozen=True):
    """One paper on a day's page: whether it arrived or was revised that day, its record and
    list item (made once: sizing the parts needs them, and the parts are written from them),
    and its size."""

    updated: bool
    entry: Entry
    record: EncodedRecord
    item: str
    size: int


def render_parts(page: DayPage, order: Sequence[str], max_bytes: int) -> list[str]:
    """The texts of the page's parts: one, unless the papers do not fit under `max_bytes`;
    the parts are files numbered from 1 (2026-02-05.md, 2026-02-05-2.md, ...)."""
    slots = [_slot(False, entry) for entry in page.new]
    slots += [_slot(True, entry) for entry in page.updated]
    groups = _pack(slots, max_bytes - _PART_OVERHEAD_BYTES)
    total = len(groups)
    texts = [_text(page, group, order, (i + 1, total)) for i, group in enumerate(groups)]
    for number, text in enumerate(texts, start=1):
        if len(text.encode("utf-8")) > max_bytes:
            log.warning(
                "archive page %s part %d is %d bytes, over display.max_page_bytes: one paper's "
                "record alone is that large",
                page.day,
                number,
                len(text.encode("utf-8")),
            )
    return texts


def _slot(updated: bool, entry: Entry) -> _Slot:
    record, item = encode_record(entry.to_record()), _item(entry)
    size = len(record.encode("utf-8")) + len(item.encode("utf-8")) + _SLOT_MARKUP_BYTES
    return _Slot(updated, entry, record, item, size)


def _pack(slots: Sequence[_Slot], room: int) -> list[list[_Slot]]:
    """Fill parts in order; a part is never empty, so a page always has at least one."""
    groups: list[list[_Slot]] = [[]]
    used = 0
    for slot in slots:
        if groups[-1] and used + slot.size > room:
            groups.append([])
            used = 0
        groups[-1].append(slot)
        used += slot.size
    return groups


def _text(
    page: DayPage,
    group: Sequence[_Slot],
    order: Sequence[str],
    part: tuple[int, int],
) -> str:
    number, total = part
    new = [slot for slot in group if not slot.updated]
    updated = [slot for slot in group if slot.updated]
    metadata: dict[str, object] = {
        "date": page.day.isoformat(),
        "last_run": page.last_run.isoformat(),
        "query": page.query,
        "rules": page.rules,
        "started": page.started.isoformat() if page.started else None,
        "news_on": page.news_on.isoformat() if page.news_on else None,
        "part": number,
        "parts": total,
        "new": [slot.record for slot in new],
        "updated": [slot.record for slot in updated],
    }
    post = frontmatter.Post(_body(page, new, updated, order, part))
    post.metadata.update(metadata)
    return frontmatter.dumps(post, handler=FlowYamlHandler()) + "\n"


def _body(
    page: DayPage,
    new: Sequence[_Slot],
    updated: Sequence[_Slot],
    order: Sequence[str],
    part: tuple[int, int],
) -> str:
    number, total = part
    title = f"arXiv digest: {page.day:%Y-%m-%d}"
    if total > 1:
        title += f" (part {number} of {total})"
    summary = (
        f"{len(page.new)} new and {len(page.updated)} updated papers on this day; "
        f"last run {page.last_run:%Y-%m-%d %H:%M} UTC."
    )
    if total > 1:
        summary += f" This part lists {len(new)} new and {len(updated)} updated."
    sections = []
    for name, slots in (("New papers", new), ("Updated papers", updated)):
        if slots:
            sections.append(blocks(heading(2, name), bullets(_ranked(slots, order))))
    next_part = ""
    if number < total:
        next_name = f"{page.day:%Y-%m-%d}-{number + 1}.md"
        next_part = f"Continued in {link(f'part {number + 1} of {total}', next_name)}."
    return blocks(heading(1, title), summary, *sections, next_part)


def _ranked(slots: Sequence[_Slot], order: Sequence[str]) -> list[str]:
    """The slots' items, in the config's category order."""
    rank = {name: index for index, name in enumerate(order)}

    def key(slot: _Slot) -> tuple[int, str]:
        category = slot.entry.decision.category
        return rank.get(category, len(rank)), category

    return [slot.item for slot in sorted(slots, key=key)]


def _item(entry: Entry) -> str:
    paper = entry.paper
    title = link(escape(paper.title) or paper.versioned_id, paper.abs_url)
    authors = escape(authors_line(paper.authors)) or "(no authors listed)"
    return (
        f"{title}: {authors}; submitted {day(paper.published)}; "
        f"{escape(entry.decision.category)} ({escape(entry.decision.reason)})"
    )


def read_page(path: Path) -> DayPage:
    """Parse one page (or part), or raise ArchiveError naming the file and what is wrong."""
    meta = read_front_matter(path)

    def parse() -> DayPage:
        filed_on = date.fromisoformat(str(meta["date"]))
        new, updated = _records(meta, "new"), _records(meta, "updated")
        last_run = timestamp(meta["last_run"], "last_run")
        started = _day_or_none(meta.get("started"))
        # Pages written before pages recorded it: their last run filed whatever they hold.
        default_news = last_run.date() if new else None
        news_on = _day_or_none(meta["news_on"]) if "news_on" in meta else default_news
        # A run writes pages for its own day or earlier ones, for a digest begun by then: a
        # page that says otherwise would stall catch-up or never let news be news.
        if last_run.date() < filed_on:
            raise ValueError(f"last_run {last_run:%Y-%m-%d} is before the page's date {filed_on}")
        if started is not None and started > filed_on:
            raise ValueError(f"started {started} is after the page's date {filed_on}")
        if news_on is not None and news_on > last_run.date():
            raise ValueError(f"news_on {news_on} is after the page's last run")
        return DayPage(
            day=filed_on,
            last_run=last_run,
            new=tuple(Entry.from_record(record, filed_on) for record in new),
            updated=tuple(Entry.from_record(record, filed_on) for record in updated),
            query=str(meta.get("query") or ""),
            rules=str(meta.get("rules") or ""),
            started=started,
            news_on=news_on,
        )

    return checked(path, parse)


def read_front_matter(path: Path) -> Mapping[str, Any]:
    """The page's metadata as python-frontmatter reads it, with the handler that wrote it; an
    ArchiveError naming the file when it cannot be read at all."""
    try:
        meta = frontmatter.loads(
            path.read_text(encoding="utf-8"), handler=FlowYamlHandler()
        ).metadata
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, yaml.YAMLError) as error:
        raise ArchiveError(
            f"{path}: cannot be read ({_first_line(error)}); restore it from git history"
        ) from None
    return meta if isinstance(meta, dict) else {}


def checked(path: Path, parse: Callable[[], _T]) -> _T:
    """Run `parse`, turning any malformed value into an ArchiveError naming the file."""
    try:
        result = parse()
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        OverflowError,
        RecursionError,
        RecordError,
    ) as error:
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


def _day_or_none(value: object) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))
