"""Merge fetched papers into what the archive knows, and pick the rolling window.

The window counts from arrival: a paper is listed for `window_days` days from the day the digest
first recorded it, whatever its submission date, because arXiv announces papers days (sometimes
weeks) after submission. A first run cannot know when past papers were announced, so it files
each under its v1 submission date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

import msgspec

from digest.records import Known, Paper


class Merge(msgspec.Struct, frozen=True):
    """Every paper the digest holds after the fetch, and what the fetch changed: `added`, the
    papers this run brings to the digest; `revised`, held papers it brings a newer version of."""

    papers: Mapping[str, Known]
    added: tuple[Known, ...]
    revised: tuple[Known, ...]


class Horizon(msgspec.Struct, frozen=True):
    """What the archive can vouch for when a fetched paper is unknown to it.

    `loaded_since`: papers submitted before it may be on pages this run did not read, so an
    unknown one is not news. `started`: the digest's first day; papers submitted earlier were
    announced before it began, so they are never presented as new. `by_submission`: a first run,
    refill or backfill, which cannot know when papers were announced, files them under their
    submission day. `confirmed`: on a refill, the ids the fetch brought again (held papers
    included): the digest keeps only those.
    """

    loaded_since: date
    started: date
    by_submission: bool
    confirmed: frozenset[str] | None = None


def merge(
    known: Mapping[str, Known], fetched: Iterable[Paper], *, now: datetime, horizon: Horizon
) -> Merge:
    """Add unseen papers, replace older versions, keep what is already known.

    Identity is the arXiv id without version, so a paper is never held twice. A paper submitted
    after the run's time is left for a later run: trusting it would file it under a day that
    has not come (a clock error, or a replay of the past with --now).
    """
    today = now.date()
    newest: dict[str, Paper] = {}
    for paper in fetched:
        if paper.published <= now and paper.is_newer_than(newest.get(paper.arxiv_id)):
            newest[paper.arxiv_id] = paper
    confirmed = horizon.confirmed
    papers = {k: v for k, v in known.items() if confirmed is None or k in confirmed}
    added: list[Known] = []
    revised: list[Known] = []
    for arxiv_id, paper in newest.items():
        current = known.get(arxiv_id)
        if current is not None:
            if paper.is_newer_than(current.paper):
                papers[arxiv_id] = Known(paper, current.arrived)
                revised.append(papers[arxiv_id])
        elif _can_be_news(paper, horizon):
            arrived = paper.published.date() if horizon.by_submission else today
            papers[arxiv_id] = Known(paper, min(arrived, today))
            added.append(papers[arxiv_id])
    return Merge(MappingProxyType(papers), newest_first(added), newest_first(revised))


def _can_be_news(paper: Paper, horizon: Horizon) -> bool:
    submitted = paper.published.date()
    return submitted >= horizon.loaded_since and submitted >= horizon.started


def window_start(today: date, window_days: int) -> date:
    """First arrival day still listed: a window of `window_days` days ends with the run's date,
    so a paper that arrived today is listed through the `window_days - 1`th day after."""
    return today - timedelta(days=window_days - 1)


def in_window(papers: Iterable[Known], today: date, window_days: int) -> tuple[Known, ...]:
    """Papers that arrived within the window, newest arrival first."""
    first_day = window_start(today, window_days)
    return newest_first(known for known in papers if known.arrived >= first_day)


def newest_first(papers: Iterable[Known]) -> tuple[Known, ...]:
    """Display order: newest arrival, then newest submission, then id for a stable tie-break."""
    return tuple(
        sorted(
            papers,
            key=lambda k: (k.arrived, k.paper.published, k.paper.arxiv_id),
            reverse=True,
        )
    )
