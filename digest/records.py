"""Plain immutable records passed between the pipeline's stages, and how they are stored.

The archive stores each paper as a flat record (see `Entry.to_record`); fetch and archive agree
on one contract: an id and a version are required, text fields may be empty (arXiv does send
entries with a blank title or abstract), and a record written is always a record read back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import msgspec

# arXiv's two id grammars, in ASCII digits only (str.isdigit and \d accept other scripts' digits):
# since April 2007 YYMM.NNNN, five digits from January 2015 (2602.00001); before, the archive,
# an optional subject class and YYMMNNN (hep-th/9901001, math.GT/0309136). Every link the bot
# writes is built from an id that matched, so an id cannot carry Markdown, HTML or a URL.
_ARXIV_ID = re.compile(
    r"[0-9]{2}(?:0[1-9]|1[0-2])\.[0-9]{4,5}"
    r"|[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?/[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}"
)
_VERSIONED = re.compile(rf"(?P<id>{_ARXIV_ID.pattern})v(?P<version>[1-9][0-9]{{0,3}})")
# How much of a refused id a message shows: enough to find it, too little to carry a link.
_SHOWN_CHARACTERS = 24


class RecordError(ValueError):
    """A stored record does not follow the contract; the message names the field."""


def is_arxiv_id(text: str) -> bool:
    """Whether `text` is an id of arXiv's grammar, without a version (2602.00001)."""
    return _ARXIV_ID.fullmatch(text) is not None


def split_versioned_id(text: str) -> tuple[str, int] | None:
    """("2602.00001", 2) from "2602.00001v2"; None for anything else."""
    match = _VERSIONED.fullmatch(text)
    return None if match is None else (match["id"], int(match["version"]))


def shown_id(text: str) -> str:
    """A refused id as a message may quote it: shortened, and in ASCII escapes, so neither a
    link nor a control or bidi character of it reaches a log, an annotation or a summary."""
    cut = text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"
    return ascii(cut)


class Paper(msgspec.Struct, frozen=True):
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

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.versioned_id}"

    def is_newer_than(self, other: Paper | None) -> bool:
        """The one rule for revisions: a higher version replaces a lower one, never the reverse."""
        return other is None or self.version > other.version

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.arxiv_id,
            "version": self.version,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published.isoformat(),
            "updated": self.updated.isoformat(),
            "primary_category": self.primary_category,
            "categories": list(self.categories),
            "abstract": self.abstract,
            "comment": self.comment,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Paper:
        """Read a stored record back, or raise RecordError naming what is wrong."""
        arxiv_id = _text(record, "id")
        if not arxiv_id:
            raise RecordError("a paper record lacks its id")
        if not is_arxiv_id(arxiv_id):
            raise RecordError(f"paper id {shown_id(arxiv_id)} is not an arXiv id")
        version = record.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 9999:
            raise RecordError(f"paper {arxiv_id}: version must be a whole number from 1 to 9999")
        authors = record.get("authors")
        if not isinstance(authors, list):
            raise RecordError(f"paper {arxiv_id}: authors must be a list")
        return cls(
            arxiv_id=arxiv_id,
            version=version,
            title=_text(record, "title"),
            authors=tuple(str(name) for name in authors),
            published=timestamp(record.get("published"), f"paper {arxiv_id}: published"),
            updated=timestamp(record.get("updated"), f"paper {arxiv_id}: updated"),
            primary_category=_text(record, "primary_category"),
            categories=tuple(str(c) for c in record.get("categories") or ()),
            abstract=_text(record, "abstract"),
            comment=_optional(record.get("comment")),
            journal_ref=_optional(record.get("journal_ref")),
            doi=_optional(record.get("doi")),
        )


class Decision(msgspec.Struct, frozen=True):
    """The category a paper was put in, and the evidence that decided it."""

    category: str
    reason: str
    relevant: bool = True


class Known(msgspec.Struct, frozen=True):
    """A paper as the digest holds it: its newest version and the day it first arrived.

    The window counts from `arrived`, not from submission: arXiv announces papers days after
    they are submitted, and a paper should be listed for the whole window all the same.
    `decision` is the topic the archive records for it, made under the settings whose
    fingerprint is `rules` (None for a paper not categorized yet).
    """

    paper: Paper
    arrived: date
    decision: Decision | None = None
    rules: str = ""


class Entry(msgspec.Struct, frozen=True):
    """A known paper with the category the current config gives it."""

    paper: Paper
    arrived: date
    decision: Decision

    def to_record(self) -> dict[str, Any]:
        return {
            **self.paper.to_record(),
            "arrived": self.arrived.isoformat(),
            "category": self.decision.category,
            "category_reason": self.decision.reason,
            "relevant": self.decision.relevant,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any], filed_on: date) -> Entry:
        """`filed_on` is the page's date: the arrival of records written before it was stored."""
        paper = Paper.from_record(record)
        arrived = record.get("arrived")
        try:
            day = filed_on if arrived is None else date.fromisoformat(str(arrived))
        except ValueError:
            raise RecordError(f"paper {paper.arxiv_id}: arrived must be a date") from None
        # A paper is filed on the day it arrived, or on its submission day by a first run or a
        # backfill; a revision is filed on a later day: neither date can come after the page's.
        if day > filed_on:
            raise RecordError(
                f"paper {paper.arxiv_id}: arrived {day} is after the page's date {filed_on}"
            )
        if paper.published.date() > filed_on:
            raise RecordError(
                f"paper {paper.arxiv_id}: published {paper.published.date()} is after the "
                f"page's date {filed_on}"
            )
        relevant = record.get("relevant", True) is not False
        decision = Decision(_text(record, "category"), _text(record, "category_reason"), relevant)
        return cls(paper=paper, arrived=day, decision=decision)


def timestamp(value: object, what: str) -> datetime:
    """An aware UTC time from a stored value; RecordError naming `what` otherwise."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"{what}: {_shown(value)} is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        raise RecordError(f"{what}: time {_shown(value)} has no time zone")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is a time before year 1 in UTC
        raise RecordError(f"{what}: time {_shown(value)} is out of range") from None


def _shown(value: object) -> str:
    """A stored value as a message quotes it: a hand-edited page may hold anything."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)
