"""The commit message: a feed entry that says what readers will see change.

Commit messages are plain text, so arXiv's titles appear as written (no Markdown escaping).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import msgspec

from digest.records import Entry
from digest.words import counted

if TYPE_CHECKING:
    from digest.render.changes import Changes


class News(msgspec.Struct, frozen=True):
    """What the commit announces: papers readers will find in the list, and what left it."""

    new: tuple[Entry, ...]
    updated: tuple[Entry, ...]
    unlisted: int
    dropped: int

    @classmethod
    def of(cls, changes: Changes) -> News:
        """The news in a run's changes: what the list gained, what it lost."""
        shown_ids = {entry.paper.arxiv_id for entry in changes.shown}
        both = (*changes.new, *changes.updated)
        return cls(
            new=tuple(e for e in changes.new if e.paper.arxiv_id in shown_ids),
            updated=tuple(e for e in changes.updated if e.paper.arxiv_id in shown_ids),
            unlisted=sum(1 for e in both if e.paper.arxiv_id not in shown_ids),
            dropped=changes.dropped,
        )


def commit_message(day: date, news: News, order: Sequence[str]) -> str:
    """The subject counts what readers will see change; the body lists it by topic."""
    lines = [f"digest: {_subject(news)} ({day:%Y-%m-%d})"]
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
        notes.append(f"{counted(news.dropped, 'paper')} left the list.")
    if news.unlisted and (news.new or news.updated or news.dropped):
        notes.append(
            f"{counted(news.unlisted, 'paper')} archived but not listed (off-topic or older)."
        )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def _subject(news: News) -> str:
    if news.new:
        subject = counted(len(news.new), "new paper")
        return subject + (f", {len(news.updated)} updated" if news.updated else "")
    if news.updated:
        return counted(len(news.updated), "updated paper")
    if news.dropped:
        return f"{counted(news.dropped, 'paper')} left the list"
    if news.unlisted:
        return f"{counted(news.unlisted, 'paper')} archived, none for the list"
    return "README regenerated after a settings change"


def _line(entry: Entry) -> str:
    paper = entry.paper
    version = f" (v{paper.version})" if paper.version > 1 else ""
    return f"- {paper.title or paper.versioned_id}{version}\n  {paper.abs_url}"
