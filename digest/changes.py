"""Decide what a run changes: the files to write and the commit message that announces them.

Nothing here does I/O: it compares the freshly rendered digest with what is on disk, so a run
without news changes nothing, not even a date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from digest.archive import DayPage, add_to_page, page_path, render_page
from digest.config import Config
from digest.records import Entry
from digest.render import (
    listed_ids,
    previous_stamp,
    render_block,
    replace_block,
    sections_of,
    split_readme,
)


@dataclass(frozen=True)
class News:
    """What the commit announces: papers readers will find in the list, and what left it."""

    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    unlisted: int
    dropped: int


@dataclass(frozen=True)
class Changes:
    """Everything a run produces; `files` is empty when there is no news."""

    files: Mapping[str, str]
    readme_block: str | None
    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    dropped: int
    shown: tuple[Entry, ...]
    message: str


def plan_changes(
    config: Config,
    *,
    now: datetime,
    window: Sequence[Entry],
    new: Sequence[Entry],
    updated: Sequence[Entry],
    readme_text: str,
    previous_page: DayPage | None,
) -> Changes:
    """Files to write (archive pages first, README last) and the message describing them."""
    order = config.category_order
    drop = config.relevance.drop_irrelevant
    shown = [entry for entry in window if entry.decision.relevant or not drop]
    files: dict[str, str] = {}
    if new or updated:
        page = add_to_page(
            previous_page,
            DayPage(day=now.date(), last_run=now, new=tuple(new), updated=tuple(updated)),
        )
        files[page_path(config.archive_dir, now.date())] = render_page(page, order)

    _, old_block, _ = split_readme(readme_text)
    sections = sections_of(shown, order)

    def block_at(moment: datetime) -> str:
        return render_block(
            title=config.title,
            description=config.description,
            sections=sections,
            window_days=config.window_days,
            changed_at=moment,
        )

    stamp = previous_stamp(old_block)
    readme_block = None
    if stamp is None or block_at(stamp) != old_block:
        readme_block = block_at(now)
        files[config.readme_path] = replace_block(readme_text, readme_block)

    shown_ids = {entry.paper.arxiv_id for entry in shown}
    dropped = len(listed_ids(old_block) - shown_ids)
    news = News(
        new=tuple(e for e in new if e.paper.arxiv_id in shown_ids),
        updated=tuple(e for e in updated if e.paper.arxiv_id in shown_ids),
        unlisted=sum(1 for e in (*new, *updated) if e.paper.arxiv_id not in shown_ids),
        dropped=dropped,
    )
    return Changes(
        files=files,
        readme_block=readme_block,
        new=tuple(new),
        updated=tuple(updated),
        dropped=dropped,
        shown=tuple(shown),
        message=commit_message(now.date(), news, order),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def commit_message(day: date, news: News, order: Sequence[str]) -> str:
    """A feed entry: the subject counts what readers will see change, the body lists it."""
    if news.new:
        subject = _count(len(news.new), "new paper")
        if news.updated:
            subject += f", {len(news.updated)} updated"
    elif news.updated:
        subject = _count(len(news.updated), "updated paper")
    elif news.dropped:
        subject = f"{_count(news.dropped, 'paper')} left the list"
    elif news.unlisted:
        subject = f"{_count(news.unlisted, 'paper')} archived, none for the list"
    else:
        subject = "README regenerated after a settings change"
    lines = [f"digest: {subject} ({day:%Y-%m-%d})"]
    for name in order:
        in_category = [entry for entry in news.new if entry.decision.category == name]
        if in_category:
            lines += ["", f"{name}:"]
            lines += [_line(entry) for entry in in_category]
    if news.updated:
        lines += ["", "Updated:"]
        lines += [_line(entry) for entry in news.updated]
    notes = []
    if news.dropped and (news.new or news.updated):
        notes.append(f"{_count(news.dropped, 'paper')} left the list.")
    if news.unlisted and (news.new or news.updated or news.dropped):
        notes.append(
            f"{_count(news.unlisted, 'paper')} archived but not listed (off-topic or older)."
        )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def _line(entry: Entry) -> str:
    paper = entry.paper
    version = f" (v{paper.version})" if paper.version > 1 else ""
    return f"- {paper.title}{version}\n  {paper.abs_url}"
