"""Papers the config hides (`hidden`: spam, off-topic, withdrawn), kept out of the digest.

Applied to what arXiv sends and to what the archive holds, before the merge: a hidden paper is
neither news nor listed, whatever arXiv sends again, and un-hiding it lists it as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from types import MappingProxyType

from digest.records import Known, Paper


def without_hidden(papers: Iterable[Paper], hidden: Set[str]) -> tuple[Paper, ...]:
    """The fetched papers whose id is not hidden."""
    return tuple(paper for paper in papers if paper.arxiv_id not in hidden)


def known_without_hidden(known: Mapping[str, Known], hidden: Set[str]) -> Mapping[str, Known]:
    """The archive's papers by id, hidden ones left out."""
    if hidden.isdisjoint(known):
        return known
    return MappingProxyType({key: value for key, value in known.items() if key not in hidden})
