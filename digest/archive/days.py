"""Which day pages a run rewrites, and what each then holds.

A day's page is always written whole, from every record it should hold, and replaces all of
that day's files: parts no longer needed are removed, and a day the digest writes holds only its
own papers, so two queries never share a day's files. A new paper goes on its arrival day's page,
a revision on the run's day. A refill (the query changed) rebuilds every day of the window from
the papers the new query brought again, keeping each where it arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from datetime import date

import msgspec

from digest.archive.store import Archive, DayFiles
from digest.records import Entry, Known


class DayUpdate(msgspec.Struct, frozen=True):
    """One day's page as the run will write it, and the files the day has now. A day left
    without papers has its files removed."""

    day: date
    new: tuple[Known, ...]
    updated: tuple[Known, ...]
    files: tuple[str, ...]
    news_on: date | None = None
    """The last run that filed news on this day: this one when it filed papers arriving from
    `news_from` on, else the day's earlier record of it."""


def updated_days(
    archive: Archive,
    added: Sequence[Known],
    revised: Sequence[Known],
    held: Mapping[str, Known],
    *,
    query: str,
    today: date,
    rebuild_from: date | None = None,
    hidden: Set[str] = frozenset(),
    news_from: date = date.min,
) -> tuple[DayUpdate, ...]:
    """The days this run rewrites, oldest first: the arrival days of the papers it `added`, its
    own day for those it `revised`, and with `rebuild_from` (a refill) every day from then to
    `today`, keeping only the papers the digest still `held`. A rewritten day drops the
    `hidden` papers."""
    by_day: dict[date, list[Known]] = {}
    for item in added:
        by_day.setdefault(item.arrived, []).append(item)
    touched = set(by_day)
    if revised:
        touched.add(today)
    if rebuild_from is not None:
        touched |= {day for day in archive.days if rebuild_from <= day <= today}
    kept = held if rebuild_from is not None else None
    updates = []
    for day in sorted(touched):
        files = archive.days.get(day)
        held_new, held_updated = _held(files, query, kept, hidden)
        new = [*held_new, *by_day.get(day, ())]
        updated = list(held_updated)
        if day == today:
            again = {item.paper.arxiv_id for item in revised}
            updated = [u for u in updated if u.paper.arxiv_id not in again]
            updated += revised
        paths = files.paths if files else ()
        earlier = [page.news_on for page in files.pages if page.news_on] if files else []
        if any(item.arrived >= news_from for item in by_day.get(day, ())):
            earlier.append(today)
        news_on = max(earlier, default=None)
        updates.append(DayUpdate(day, tuple(new), tuple(updated), paths, news_on))
    return tuple(updates)


def _held(
    files: DayFiles | None, query: str, kept: Mapping[str, Known] | None, hidden: Set[str]
) -> tuple[list[Known], list[Known]]:
    """The records a rewritten day keeps: its own digest's, or on a rebuild those of the papers
    the digest still holds, whichever query wrote them."""
    new: list[Known] = []
    updated: list[Known] = []
    for page in files.pages if files else ():
        if kept is None and page.query != query:
            continue
        new += [_known(e, page.rules) for e in page.new if _arrived_here(e, kept)]
        updated += [_known(e, page.rules) for e in page.updated if _held_still(e, kept)]
    return _once(k for k in new if k.paper.arxiv_id not in hidden), _once(
        k for k in updated if k.paper.arxiv_id not in hidden
    )


def _held_still(entry: Entry, kept: Mapping[str, Known] | None) -> bool:
    return kept is None or entry.paper.arxiv_id in kept


def _arrived_here(entry: Entry, kept: Mapping[str, Known] | None) -> bool:
    """On a rebuild, a paper two queries both recorded stays only where it first arrived."""
    if kept is None:
        return True
    held = kept.get(entry.paper.arxiv_id)
    return held is not None and held.arrived == entry.arrived


def _once(records: Iterable[Known]) -> list[Known]:
    """One record per paper in a day's list, the newest version (pages of two queries may both
    hold it)."""
    newest: dict[str, Known] = {}
    for record in records:
        current = newest.get(record.paper.arxiv_id)
        if record.paper.is_newer_than(current.paper if current else None):
            newest[record.paper.arxiv_id] = record
    return list(newest.values())


def _known(entry: Entry, rules: str) -> Known:
    return Known(entry.paper, entry.arrived, entry.decision, rules)
