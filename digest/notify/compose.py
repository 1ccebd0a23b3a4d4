"""The words of each push: a run's news, the stuck-digest alarm and its all-clear, the test.

A news message lists the papers by topic, each title linked to its abstract page, marked 🆕 or
revised as on the README. It is built for each service apart, to fit what that service takes
(`Budget`): Markdown or plain text, and a length. A busy day still arrives as one readable
message: at most MAX_PAPERS papers and MAX_CHARS characters, then "…and 212 more" with a link
to the README.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum

import msgspec

from digest.markdown import authors_line, bold, day, italics, link
from digest.records import Entry

MAX_PAPERS = 50
MAX_CHARS = 10_000
NEW_MARK = "🆕"
REVISED = "Revised"
_TITLE_CHARS = 200
_ELLIPSIS = "…"
_GAP = "\n\n"
# Chat services read Markdown loosely and some (Slack) show every backslash: only the marks that
# would start emphasis, code, a link or HTML are escaped, and a backslash only where it would
# escape the next mark: its text's, or at its end the one that closes the link, bold or italics
# around it (TeX's \alpha stays as written).
_MARKS = re.compile(r"([*_`~<>\[\]]|\\(?=[!-/:-@\[-`{-~]|$))")


class Kind(StrEnum):
    """How the service shows the message (Apprise's notify types)."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"


class RunNews(msgspec.Struct, frozen=True):
    """What one run brought, as the pipeline hands it over: the papers readers will find new or
    revised in the list, the topics' order, and where the README is (None outside GitHub)."""

    digest_title: str
    day: date
    readme_url: str | None
    added: tuple[Entry, ...]
    revised: tuple[Entry, ...]
    category_order: tuple[str, ...]


class Budget(msgspec.Struct, frozen=True):
    """What one service takes: body and title length, and whether it shows Markdown."""

    body_chars: int
    title_chars: int
    markdown: bool


class Message(msgspec.Struct, frozen=True):
    title: str
    body: str
    markdown: bool
    kind: Kind = Kind.INFO


def news_message(news: RunNews, budget: Budget) -> Message:
    """The news of one run, cut to the service's budget (a service without titles gets the
    title in its body, so the title's length comes off the body's)."""
    title = _headline_title(news, budget.title_chars)
    room = min(budget.body_chars, MAX_CHARS)
    if budget.title_chars <= 0:
        room -= len(title) + 2
    return Message(title, _body(news, budget.markdown, room), budget.markdown)


def stuck_message(digest_title: str, last_news: date, quiet_days: int) -> Message:
    body = (
        f"No new paper on {quiet_days} arXiv announcement days in a row; news last arrived on "
        f"{last_news}. Check the query in config.yml and arXiv's status "
        "(https://status.arxiv.org). One more message follows when papers arrive again."
    )
    return Message(f"{digest_title}: stuck, no news since {last_news}", body, False, Kind.WARNING)


def recovered_message(digest_title: str, last_news: date, today: date, quiet_days: int) -> Message:
    body = (
        f"New papers arrived on {today}, the first since {last_news} after {quiet_days} quiet "
        "arXiv announcement days."
    )
    return Message(f"{digest_title}: papers arrive again", body, False, Kind.SUCCESS)


def test_message() -> Message:
    body = (
        "This is a test from arxiv-digest (--notify-test). The digest posts here once per run "
        "that brings new papers, and when it gets stuck or moves again."
    )
    return Message("arXiv digest: test message", body, False)


def headline(news: RunNews) -> str:
    """ "3 new papers, 1 revised": what the title counts."""
    new, updated = len(news.added), len(news.revised)
    if not new:
        return _count(updated, "revised paper")
    return _count(new, "new paper") + (f", {updated} revised" if updated else "")


def _headline_title(news: RunNews, limit: int) -> str:
    """ "<digest title>: 3 new papers (2026-02-14)", the digest's title cut to fit the service."""
    tail = f": {headline(news)} ({news.day})"
    room = limit - len(tail) if limit > 0 else len(news.digest_title)
    name = news.digest_title
    if len(name) > room:
        name = name[: max(room - 1, 0)].rstrip() + _ELLIPSIS
    return name + tail


def _body(news: RunNews, markdown: bool, room: int) -> str:
    """Topic by topic, paper by paper, as long as the rest still fits with the closing line;
    a blank line between topics."""
    total = len(news.added) + len(news.revised)
    reserve = len(_GAP + _more(total, news.readme_url, markdown))
    body = ""
    shown = 0
    for heading, entries, new in _sections(news):
        for index, entry in enumerate(entries):
            piece = _item(entry, new, markdown)
            if index == 0:
                title = bold(_inline(heading)) if markdown else heading
                piece = f"{_GAP if body else ''}{title}\n{piece}"
            else:
                piece = "\n" + piece
            if shown == MAX_PAPERS or len(body) + len(piece) + reserve > room:
                more = _more(total - shown, news.readme_url, markdown)
                return f"{body}{_GAP}{more}" if body else more
            body += piece
            shown += 1
    return body


def _sections(news: RunNews) -> Iterator[tuple[str, list[Entry], bool]]:
    """New papers by topic in the config's order (a topic it no longer names comes after),
    then the revised ones."""
    seen = {entry.decision.category for entry in news.added}
    order = [*news.category_order, *sorted(seen - set(news.category_order))]
    for name in order:
        entries = [entry for entry in news.added if entry.decision.category == name]
        if entries:
            yield name, entries, True
    if news.revised:
        yield REVISED, list(news.revised), False


def _item(entry: Entry, new: bool, markdown: bool) -> str:
    paper = entry.paper
    mark = f"{NEW_MARK} " if new else ""
    revised = f" · v{paper.version}, revised {day(paper.updated)}" if paper.version > 1 else ""
    authors = authors_line(paper.authors)
    if markdown:
        title = link(_inline(paper.title, _TITLE_CHARS) or paper.versioned_id, paper.abs_url)
        byline = f" · {italics(_inline(authors))}" if authors else ""
        return f"- {mark}{title}{revised}{byline}"
    title = _cut(" ".join(paper.title.split()), _TITLE_CHARS) or paper.versioned_id
    byline = f" · {authors}" if authors else ""
    return f"- {mark}{title}{revised}{byline}\n  {paper.abs_url}"


def _more(count: int, readme_url: str | None, markdown: bool) -> str:
    words = f"{_ELLIPSIS}and {count} more"
    if readme_url is None:
        return f"{words} in the digest's README."
    return f"{words}: {link('the full list', readme_url) if markdown else readme_url}"


def _inline(text: str, limit: int | None = None) -> str:
    """Markdown that shows `text` as written, on one line, cut at `limit` characters."""
    text = " ".join(text.split())
    return _MARKS.sub(r"\\\1", text if limit is None else _cut(text, limit))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
