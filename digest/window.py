"""Merge fetched papers into what the archive knows, and pick the rolling window."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

from digest.records import Paper


@dataclass(frozen=True)
class Merge:
    """All known papers after a fetch, and which of them the fetch brought as news."""

    papers: Mapping[str, Paper]
    new: tuple[Paper, ...]
    updated: tuple[Paper, ...]


def merge(known: Mapping[str, Paper], fetched: Iterable[Paper]) -> Merge:
    """Add unseen papers, replace older versions, ignore what is already known.

    Identity is the arXiv id without version, so a paper is never held twice.
    """
    papers = dict(known)
    for paper in sorted(fetched, key=lambda p: (p.arxiv_id, p.version)):
        current = papers.get(paper.arxiv_id)
        if current is None or paper.version > current.version:
            papers[paper.arxiv_id] = paper
    new = tuple(p for key, p in papers.items() if key not in known)
    updated = tuple(
        p for key, p in papers.items() if key in known and p.version > known[key].version
    )
    return Merge(
        papers=MappingProxyType(papers), new=_newest_first(new), updated=_newest_first(updated)
    )


def window_start(now: datetime, window_days: int) -> date:
    """First v1 submission date still shown: `window_days` days before the run's date."""
    return now.date() - timedelta(days=window_days)


def in_window(papers: Iterable[Paper], now: datetime, window_days: int) -> tuple[Paper, ...]:
    """Papers first submitted within the window, newest first; later dates are kept too."""
    first_day = window_start(now, window_days)
    return _newest_first(p for p in papers if p.published.date() >= first_day)


def _newest_first(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    return tuple(sorted(papers, key=lambda p: (p.published, p.arxiv_id), reverse=True))
