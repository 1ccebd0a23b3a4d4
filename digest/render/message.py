"""The commit message: a feed entry that says what readers will see change.

Commit messages are plain text, so arXiv's titles appear as written (no Markdown escaping).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import msgspec

from digest.records import Entry
from digest.words import counted


class News(msgspec.Struct, frozen=True):
    """What the commit announces: the papers this run added and revised that readers will find
    in the list, how many it archived without listing them, and how many left the list."""

    added: tuple[Entry, ...]
    revised: tuple[Entry, ...]
    unlisted: int
    dropped: int

    @classmethod
    def of(
        cls,
        added: Sequence[Entry],
        revised: Sequence[Entry],
        shown: Sequence[Entry],
        dropped: int,
    ) -> News:
        shown_ids = {entry.paper.arxiv_id for entry in shown}
        both = (*added, *revised)
        return cls(
            added=tuple(e for e in added if e.paper.arxiv_id in shown_ids),
            revised=tuple(e for e in revised if e.paper.arxiv_id in shown_ids),
            unlisted=sum(1 for e in both if e.paper.arxiv_id not in shown_ids),
            dropped=dropped,
        )


def commit_message(day: date, news: News, order: Sequence[str]) -> str:
    """The subject counts what readers will see change; the body lists it by topic."""
    lines = [f"digest: {_subject(news)} ({day:%Y-%m-%d})"]
    for name in order:
        in_category = [entry for entry in news.added if entry.decision.category == name]
        if in_category:
            lines += ["", f"{name}:"]
            lines += [_line(entry) for entry in in_category]
    if news.revised:
        lines += ["", "Updated:"]
        lines += [_line(entry) for entry in news.revised]
    notes = []
    if news.dropped and (news.added or news.revised):
        notes.append(f"{counted(news.dropped, 'paper')} left the list.")
    if news.unlisted and (news.added or news.revised or news.dropped):
        notes.append(
            f"{counted(news.unlisted, 'paper')} archived but not listed (off-topic or older)."
        )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def _subject(news: News) -> str:
    if news.added:
        subject = counted(len(news.added), "new paper")
        return subject + (f", {len(news.revised)} updated" if news.revised else "")
    if news.revised:
        return counted(len(news.revised), "updated paper")
    if news.dropped:
        return f"{counted(news.dropped, 'paper')} left the list"
    if news.unlisted:
        return f"{counted(news.unlisted, 'paper')} archived, none for the list"
    return "README regenerated after a settings change"


def _line(entry: Entry) -> str:
    paper = entry.paper
    version = f" (v{paper.version})" if paper.version > 1 else ""
    return f"- {paper.title or paper.versioned_id}{version}\n  {paper.abs_url}"
