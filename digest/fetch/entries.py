"""Turn the `arxiv` client's results into our records, whatever odd entries arXiv sends."""

from __future__ import annotations

import logging
import re
from datetime import UTC

import arxiv

from digest.records import Paper, shown_id, split_versioned_id

# Bidi overrides and every character of Unicode category Cc (C0, DEL, C1) become spaces: one
# table, so a busy field's thousands of abstracts are cleaned at C speed.
_TO_SPACE = dict.fromkeys(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)], " "
)
# The ones str.split() does not already take for spaces: most texts hold none and skip the table.
_ODD = re.compile("[" + "".join(re.escape(chr(c)) for c in _TO_SPACE if not chr(c).isspace()) + "]")

log = logging.getLogger(__name__)


def keep_newest(papers: dict[str, Paper], paper: Paper | None) -> None:
    """A paper may show up twice (results shift between pages; A and B overlap): keep its
    newest version."""
    if paper is None:
        return
    if paper.is_newer_than(papers.get(paper.arxiv_id)):
        papers[paper.arxiv_id] = paper


def versioned_id(result: arxiv.Result) -> tuple[str, int] | None:
    """The result's id and version ("2601.00001v2" → ("2601.00001", 2)); None unless it is an
    arXiv id with a version: the answer comes from wherever ARXIV_API_URL points, and every
    link the digest writes is built from this id."""
    return split_versioned_id(result.get_short_id())


def paper_from_result(result: arxiv.Result) -> Paper | None:
    """Turn the client's Result into our record, with text cleaned for display; None (with a
    warning naming it) for an entry whose id is not a versioned arXiv id, which no record can
    be keyed by and no link built from."""
    versioned = versioned_id(result)
    if versioned is None:
        log.warning(
            "arXiv sent an entry whose id is not a versioned arXiv id, skipped: %s",
            shown_id(result.get_short_id()),
        )
        return None
    return Paper(
        arxiv_id=versioned[0],
        version=versioned[1],
        title=clean_text(result.title),
        authors=tuple(name for author in result.authors if (name := clean_text(author.name))),
        published=result.published.astimezone(UTC),
        updated=result.updated.astimezone(UTC),
        primary_category=result.primary_category,
        categories=tuple(result.categories),
        abstract=clean_text(result.summary),
        comment=clean_text(result.comment) if result.comment else None,
        journal_ref=clean_text(result.journal_ref) if result.journal_ref else None,
        doi=result.doi or None,
    )


def clean_text(text: str) -> str:
    """One line of text: whitespace collapsed, control and bidi-override characters removed."""
    if _ODD.search(text):
        text = text.translate(_TO_SPACE)
    return " ".join(text.split())
