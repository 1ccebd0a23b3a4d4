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
class Changes:
    """Everything a run produces; `files` is empty when there is no news."""

    files: Mapping[str, str]
    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    dropped: int
    shown: tuple[Entry, ...]
    message: str


def plan_changes(
    config: Config,
    *,
    now: datetime,
    shown: Sequence[Entry],
    new: Sequence[Entry],
    updated: Sequence[Entry],
    readme_text: str,
    previous_page: DayPage | None,
) -> Changes:
    """Files to write (archive pages first, README last) and the message describing them."""
    order = [category.name for category in config.categories] + [config.fallback_category]
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
    if stamp is None or block_at(stamp) != old_block:
        files[config.readme_path] = replace_block(readme_text, block_at(now))

    shown_ids = {entry.paper.arxiv_id for entry in shown}
    dropped = len(listed_ids(old_block) - shown_ids)
    return Changes(
        files=files,
        new=tuple(new),
        updated=tuple(updated),
        dropped=dropped,
        shown=tuple(shown),
        message=commit_message(now.date(), new, updated, dropped, config.window_days, order),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def commit_message(
    day: date,
    new: Sequence[Entry],
    updated: Sequence[Entry],
    dropped: int,
    window_days: int,
    order: Sequence[str],
) -> str:
    """A feed entry: the subject counts the news, the body lists it per category."""
    if new:
        subject = _count(len(new), "new paper")
        if updated:
            subject += f", {len(updated)} updated"
    elif updated:
        subject = _count(len(updated), "updated paper")
    elif dropped:
        subject = f"{_count(dropped, 'paper')} left the {window_days}-day window"
    else:
        subject = "README regenerated after a settings change"
    lines = [f"digest: {subject} ({day:%Y-%m-%d})"]
    for name in order:
        in_category = [entry for entry in new if entry.decision.category == name]
        if in_category:
            lines += ["", f"{name}:"]
            lines += [_line(entry) for entry in in_category]
    if updated:
        lines += ["", "Updated:"]
        lines += [_line(entry) for entry in updated]
    if dropped and (new or updated):
        lines += ["", f"{_count(dropped, 'paper')} left the {window_days}-day window."]
    return "\n".join(lines)


def _line(entry: Entry) -> str:
    paper = entry.paper
    version = f" (v{paper.version})" if paper.version > 1 else ""
    return f"- {paper.title}{version}\n  {paper.abs_url}"
