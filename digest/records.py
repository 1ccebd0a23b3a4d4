"""Plain immutable records passed between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Paper:
    """One arXiv paper at one version, as the API described it.

    `arxiv_id` carries no version, so it identifies the paper across revisions.
    """

    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    primary_category: str
    categories: tuple[str, ...]
    abstract: str
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}"

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.versioned_id}"


@dataclass(frozen=True)
class Decision:
    """The category a paper was put in, and the evidence that decided it."""

    category: str
    reason: str
    relevant: bool = True


@dataclass(frozen=True)
class Entry:
    """A paper with the category the current config gives it."""

    paper: Paper
    decision: Decision
