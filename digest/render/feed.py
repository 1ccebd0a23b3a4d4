"""The Atom feed of the listed papers, for readers who follow the digest in a feed reader.

The feed is a function of the list alone: the same papers give the same bytes, so it changes
exactly when the README's list does. It stays under its own byte budget (`feed.max_bytes`;
feed readers fetch the raw file, which GitHub's Markdown limit does not touch), leaving out its
oldest arrivals when the newest do not all fit, and warns when that cuts into the newest day:
those papers would never reach a feed reader.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

import msgspec

from digest.records import Entry

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 400
MAX_ABSTRACT_CHARS = 4000
# An empty feed still needs an `updated` time; arXiv's first day keeps it free of "now".
_EMPTY_UPDATED = datetime(1991, 8, 14, tzinfo=UTC)
# Characters XML 1.0 cannot hold at all; lxml refuses text that contains any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class FeedSpec(msgspec.Struct, frozen=True):
    """Everything about the digest that the feed shows besides its papers."""

    title: str
    description: str
    query: str
    max_entries: int
    max_bytes: int
    # The page readers see the digest on (rel="alternate") and the feed's own address
    # (rel="self"), when the run knows them (in GitHub mode).
    home_url: str = ""
    self_url: str = ""

    @property
    def feed_id(self) -> str:
        """A stable id from what makes the digest this digest: its title and its query."""
        name = f"arxiv-digest\n{self.title}\n{self.query}"
        import uuid

        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


# Markup around an entry (ids, links, dates, category) and around the feed, in bytes.
_ENTRY_OVERHEAD_BYTES = 500
_FEED_OVERHEAD_BYTES = 1_000


def render_feed(spec: FeedSpec, entries: Sequence[Entry]) -> str:
    """Atom XML for `entries` (newest arrival first): the newest `max_entries`, fewer when
    that many would pass `max_bytes`."""
    count = _likely_fit(entries[: spec.max_entries], spec.max_bytes)
    while True:
        text = _atom(spec, entries[:count])
        size = len(text.encode("utf-8"))
        if size <= spec.max_bytes or count == 0:
            break
        # Entries are of similar size, so scaling the count lands close; always drop one at least.
        count = min(count - 1, count * spec.max_bytes // size)
    if count < len(entries) and entries[count].arrived == entries[0].arrived:
        newest = sum(entry.arrived == entries[0].arrived for entry in entries)
        log.warning(
            "the feed holds %d of the %d papers that arrived on %s, the rest never reach feed "
            "readers: raise feed.max_entries (%d) or feed.max_bytes (%d)",
            count,
            newest,
            entries[0].arrived,
            spec.max_entries,
            spec.max_bytes,
        )
    return text


def _likely_fit(entries: Sequence[Entry], max_bytes: int) -> int:
    """How many of the newest entries an estimate of their XML says fit, so that a busy field's
    feed is usually rendered once: text as written plus the markup feedgen puts around it."""
    used = _FEED_OVERHEAD_BYTES
    for count, entry in enumerate(entries):
        paper = entry.paper
        text = len(paper.title) + len(paper.abstract) + sum(len(a) + 35 for a in paper.authors)
        used += text + _ENTRY_OVERHEAD_BYTES
        if used > max_bytes * 0.98:
            return count
    return len(entries)


def _atom(spec: FeedSpec, entries: Sequence[Entry]) -> str:
    # Imported here: only a run whose list changed writes the feed (start-up time is budgeted).
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(spec.feed_id)
    feed.title(_text(spec.title) or "arXiv digest")
    if _text(spec.description):
        feed.subtitle(_text(spec.description))
    if spec.home_url:
        feed.link(href=spec.home_url, rel="alternate", type="text/html")
    if spec.self_url:
        feed.link(href=spec.self_url, rel="self", type="application/atom+xml")
    # Atom wants a feed author unless every entry has one; a paper may come without authors.
    feed.author({"name": _text(spec.title) or "arXiv digest"})
    # feedgen 1.0.0 names itself with its version by default; a library upgrade alone must not
    # change the feed's bytes.
    feed.generator("arxiv-digest")
    # feedgen 1.0.0 stamps `updated` with the current time unless it is set.
    feed.updated(_newest(entries))
    for entry in entries:
        _add_entry(feed, entry)
    xml: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    return xml.decode("utf-8")


def _add_entry(feed: Any, entry: Entry) -> None:
    paper = entry.paper
    item = feed.add_entry(order="append")  # feedgen 1.0.0 prepends by default
    item.id(f"https://arxiv.org/abs/{paper.arxiv_id}")
    item.title(_text(paper.title, MAX_TITLE_CHARS) or paper.versioned_id)
    for name in paper.authors:
        if _text(name):
            item.author({"name": _text(name)})
    item.summary(_text(paper.abstract, MAX_ABSTRACT_CHARS) or "(no abstract)")
    item.category({"term": _text(entry.decision.category)})
    item.published(paper.published)
    item.updated(paper.updated)  # feedgen 1.0.0 stamps the current time unless it is set
    # feedgen 1.0.0 writes an entry link's href only (lkiesow/python-feedgen#135), which is
    # right for the abstract: a link without rel is the alternate one (RFC 4287 4.2.7.2). The
    # PDF link needs its rel and type, so an entry extension writes it.
    item.link({"href": paper.abs_url})
    item.register_extension("pdf_link", _PdfLink, atom=True, rss=False)
    item.pdf_link.href = f"https://arxiv.org/pdf/{paper.versioned_id}"


class _PdfLink:
    """A feedgen entry extension adding the link to the paper's PDF."""

    href = ""

    def extend_atom(self, entry: Any) -> Any:
        attributes = {"href": self.href, "rel": "related", "type": "application/pdf"}
        entry.append(entry.makeelement("link", {**attributes, "title": "PDF"}))
        return entry


def _newest(entries: Sequence[Entry]) -> datetime:
    """When the list last gained something: its newest arrival day or revision."""
    if not entries:
        return _EMPTY_UPDATED
    arrived = datetime.combine(max(entry.arrived for entry in entries), time(), UTC)
    return max(arrived, *(entry.paper.updated for entry in entries))


def _text(text: str, limit: int | None = None) -> str:
    """arXiv's text on one line, without characters XML cannot hold, cut at `limit`."""
    text = " ".join(_NOT_XML.sub("", text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
