"""A local stand-in for arXiv's query API, so tests exercise the real `arxiv` client offline.

`FakeArxiv` is an HTTP server on 127.0.0.1 (OS-chosen port, background thread) that answers
`GET /api/query` with Atom feeds shaped like arXiv's (as arXiv sent them in 2026).
Point a client at it with `client.query_url_format = server.url + "?{}"` or, for the app,
the env var `ARXIV_API_URL = server.url` (the `arxiv_env` fixture does this).

Papers::

    with FakeArxiv(seed_fake_papers()) as server:    # or the `arxiv_server` fixture
        server.add(FakePaper(...))                   # a newer version replaces the older one
        server.revise("2601.23044", title="New")     # next version, updated = old updated + 1 day
        server.set_papers([...])                     # replace everything
        server.papers                                # list[FakePaper], latest versions only

Queries: `search_query`, `id_list`, `start` (default 0), `max_results` (default 10),
`sortBy` (relevance | submittedDate | lastUpdatedDate; default relevance = insertion order),
`sortOrder` (descending | ascending; default descending). Only the
`submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` clause of `search_query` filters (GMT, inclusive
at minute precision, on the v1 `published` time; several clauses intersect); every other term
is ignored, so a query matches every stored paper in the window. `totalResults` counts all
matches. Answered with arXiv's 400 error feed, to catch bugs early: a `submittedDate` clause
that is not exactly that shape, `max_results` > 2000, `start` >= 30000, negative or
non-integer `start`/`max_results`, an unknown `sortBy`/`sortOrder`.

Requests: `server.requests` lists `RecordedRequest`s (params, lower-cased headers,
`user_agent`, `time.monotonic()` arrival time, the parsed `submitted_range`, the fault applied).

Faults, for tests of a retrying client. Each request first takes the next queued fault, if
any (one fault per request, in order); otherwise the outage fault, if set; otherwise it is
answered normally::

    server.fail_next(Fault.http(503), times=2)       # queue: next two requests get a 503
    server.fail_next(Fault.ok())                     # queue a normal answer (to aim later faults)
    server.fail_always(Fault.http(503))              # outage: every later request, until cleared
    server.clear_faults()                            # drop the queue and end the outage
    server.pending_faults                            # queued faults not consumed yet

    Fault.ok()                       answer normally (a placeholder in the queue)
    Fault.http(status, retry_after)  that status, short text body, optional Retry-After header
    Fault.bad_query(message)         HTTP 400 with arXiv's error feed (one entry titled "Error")
    Fault.html_page()                HTTP 200 with an HTML error page instead of Atom
    Fault.lone_entry()               HTTP 200 with a single Atom <entry> as the whole document
    Fault.truncated(fraction)        HTTP 200, the real page cut to `fraction` of its bytes
                                     (Content-Length matches the cut body: invalid XML)
    Fault.cut_connection(fraction)   HTTP 200 promising the whole page, sending `fraction` of it,
                                     then closing the socket (client sees an incomplete read)
    Fault.empty_page(total_results)  a valid feed with no entries; totalResults as given
                                     (None = the true count)
    Fault.wrong_total(delta)         the normal page, with totalResults = true count + delta
    Fault.odd_total(text)            the normal page with totalResults written as `text`
                                     (e.g. "¹", "-5", "10000000000000")
    Fault.total_last()               the normal page with its opensearch elements after the
                                     entries: valid Atom, though arXiv writes them first
    Fault.slow(seconds)              wait `seconds` (at most 30), then answer normally; `stop()`
                                     wakes the wait and the connection is closed unanswered
    Fault.trickle(bytes_per_second)  HTTP 200 and headers at once, then the normal page a few
                                     bytes at a time at that rate (each read gets data quickly,
                                     the whole answer takes long); `stop()` ends it
    Fault.drop()                     close the connection without sending anything

Odd entries arXiv has been seen to send: `FakePaper(quirks=...)` with "no_summary" (no
<summary> element), "no_authors" (no <author> element) or "unversioned_id" (an <id> without
`vN`); a blank title is just `title="  "`. `FakePaper(served_id=...)` serves that text as the
entry's <id> instead of arXiv's URL, as a tampered answer would. `generated_papers(count, ...)`
makes many papers fast.

Text is escaped and stripped of characters illegal in XML 1.0, so only `truncated` and
`cut_connection` produce invalid XML. The server shuts down promptly even while a handler sleeps.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import socketserver
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr

SEED_PATH = Path(__file__).resolve().parent / "fixtures" / "seed_papers.json"
QUERY_PATH = "/api/query"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
MAX_PAGE_SIZE = 2000
MAX_START = 30000
DEFAULT_MAX_RESULTS = 10
MAX_SLOW_SECONDS = 30.0
TRICKLE_TICK_SECONDS = 0.05
HANDLER_SOCKET_TIMEOUT = 5.0

_NS_ATOM = "http://www.w3.org/2005/Atom"
_NS_OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_NS_ARXIV = "http://arxiv.org/schemas/atom"
_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")
_VERSIONED_ID_RE = re.compile(r"^(?P<base>.+?)v(?P<version>\d+)$")
_ILLEGAL_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DATE_CLAUSE_RE = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")
_SORT_BY = ("relevance", "submittedDate", "lastUpdatedDate")
_SORT_ORDER = ("descending", "ascending")
_LONE_ENTRY = (
    f'<entry xmlns="{_NS_ATOM}"><id>http://arxiv.org/abs/2601.00001v1</id>'
    "<title>Not a feed</title></entry>\n"
).encode()
_HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>\n"
    b"<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>\n"
)


Quirk = Literal["no_summary", "no_authors", "unversioned_id"]


def _utc(value: datetime, name: str) -> datetime:
    """arXiv times are UTC to the second; naive times are a test bug, not a guess to make."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True, kw_only=True)
class FakePaper:
    """One paper at its latest version, as the fake serves it.

    Times are normalised to UTC seconds (the feed carries no more); the primary category is
    prepended to `categories` if missing, as arXiv always lists it (so the default is just it).
    """

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: datetime
    updated: datetime
    version: int = 1
    primary_category: str = "cs.NE"
    categories: tuple[str, ...] = ()
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    quirks: frozenset[Quirk] = frozenset()
    served_id: str | None = None

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.arxiv_id):
            raise ValueError(f"arxiv_id must be a bare id without version, got {self.arxiv_id!r}")
        if self.version < 1:
            raise ValueError(f"version must be >= 1, got {self.version}")
        published = _utc(self.published, "published")
        updated = _utc(self.updated, "updated")
        if updated < published:
            raise ValueError(f"{self.arxiv_id}: updated {updated} is before published {published}")
        authors = tuple(self.authors)
        if not authors:
            raise ValueError(f"{self.arxiv_id}: arXiv papers have at least one author")
        categories = tuple(self.categories)
        if self.primary_category not in categories:
            categories = (self.primary_category, *categories)
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "updated", updated)
        object.__setattr__(self, "authors", authors)
        object.__setattr__(self, "categories", categories)

    @property
    def short_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}"

    @property
    def entry_id(self) -> str:
        """What `arxiv.Result.entry_id` should be for this paper."""
        if self.served_id is not None:
            return self.served_id
        shown = self.arxiv_id if "unversioned_id" in self.quirks else self.short_id
        return f"http://arxiv.org/abs/{shown}"


FaultKind = Literal[
    "ok",
    "http",
    "error_feed",
    "html",
    "lone_entry",
    "truncated",
    "cut_connection",
    "empty_page",
    "wrong_total",
    "odd_total",
    "total_last",
    "slow",
    "drop",
    "trickle",
    "trickle_headers",
]


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour; build it with the class methods, which say what each does."""

    kind: FaultKind
    status: int = 200
    retry_after: int | str | None = None
    message: str = ""
    total_results: int | None = None
    delta: int = 0
    fraction: float = 0.5
    seconds: float = 0.0
    bytes_per_second: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 < self.fraction < 1.0:
            raise ValueError(f"fraction must be strictly between 0 and 1, got {self.fraction}")
        if not 0.0 <= self.seconds <= MAX_SLOW_SECONDS:
            raise ValueError(f"seconds must be within [0, {MAX_SLOW_SECONDS}], got {self.seconds}")
        if self.total_results is not None and self.total_results < 0:
            raise ValueError("total_results must be >= 0")
        if not 100 <= self.status <= 599:
            raise ValueError(f"not an HTTP status: {self.status}")
        if self.kind in ("trickle", "trickle_headers") and self.bytes_per_second <= 0:
            raise ValueError(f"bytes_per_second must be > 0, got {self.bytes_per_second}")

    @classmethod
    def ok(cls) -> Fault:
        """Answer normally; queue it to aim a later fault at a later request."""
        return cls("ok")

    @classmethod
    def http(cls, status: int = 503, retry_after: int | str | None = None) -> Fault:
        """Answer `status` with a short text body (and `Retry-After` if given), e.g. 429, 503."""
        return cls("http", status=status, retry_after=retry_after)

    @classmethod
    def bad_query(cls, message: str = "malformed query") -> Fault:
        """HTTP 400 with arXiv's error feed: one entry titled `Error`, `message` as summary."""
        return cls("error_feed", status=400, message=message)

    @classmethod
    def html_page(cls) -> Fault:
        """HTTP 200 with an HTML error page, as a proxy or maintenance page would send."""
        return cls("html")

    @classmethod
    def lone_entry(cls) -> Fault:
        """HTTP 200 with well-formed Atom that is one entry, not a feed of them."""
        return cls("lone_entry")

    @classmethod
    def truncated(cls, fraction: float = 0.5) -> Fault:
        """HTTP 200 with the real page cut to `fraction` of its bytes; Content-Length agrees."""
        return cls("truncated", fraction=fraction)

    @classmethod
    def cut_connection(cls, fraction: float = 0.5) -> Fault:
        """HTTP 200 announcing the whole page, sending `fraction` of it, then hanging up."""
        return cls("cut_connection", fraction=fraction)

    @classmethod
    def empty_page(cls, total_results: int | None = None) -> Fault:
        """A valid feed without entries; totalResults = `total_results` or the true count."""
        return cls("empty_page", total_results=total_results)

    @classmethod
    def wrong_total(cls, delta: int) -> Fault:
        """The normal page, but totalResults = true count + `delta` (never below 0)."""
        return cls("wrong_total", delta=delta)

    @classmethod
    def odd_total(cls, text: str) -> Fault:
        """The normal page, but totalResults is `text` as written (escaped for XML)."""
        return cls("odd_total", message=text)

    @classmethod
    def total_last(cls) -> Fault:
        """The normal page, its opensearch elements moved after the entries."""
        return cls("total_last")

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Wait `seconds` (<= 30) before answering normally, to trip a client's read timeout."""
        return cls("slow", seconds=seconds)

    @classmethod
    def trickle(cls, bytes_per_second: float) -> Fault:
        """Send status and headers at once, then the normal page at `bytes_per_second`."""
        return cls("trickle", bytes_per_second=bytes_per_second)

    @classmethod
    def trickle_headers(cls, bytes_per_second: float) -> Fault:
        """HTTP 200 whose status line and headers (padded to 2 KB) arrive a few bytes at a time,
        then the normal page at once."""
        return cls("trickle_headers", bytes_per_second=bytes_per_second)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without sending a byte."""
        return cls("drop")


_NO_FAULT = Fault.ok()


@dataclass(frozen=True)
class RecordedRequest:
    """What the server received, for asserting on the client's behaviour."""

    method: str
    path: str
    query_string: str
    params: Mapping[str, str]
    headers: Mapping[str, str]
    time: float
    fault: Fault | None
    submitted_range: tuple[datetime, datetime] | None = None

    @property
    def user_agent(self) -> str | None:
        return self.headers.get("user-agent")


class _BadRequestError(Exception):
    """A query arXiv would refuse with HTTP 400 and an error feed."""


@dataclass(frozen=True)
class _Query:
    start: int
    max_results: int
    sort_by: str
    sort_order: str
    id_list: tuple[str, ...]
    submitted_ranges: tuple[tuple[datetime, datetime], ...]


def _parse_minute(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        raise _BadRequestError(f"invalid submittedDate bound {text!r}") from None


def parse_submitted_ranges(search_query: str) -> tuple[tuple[datetime, datetime], ...]:
    """The `submittedDate:[A TO B]` windows in a query, as inclusive (A, B) UTC minutes."""
    ranges = tuple(
        (_parse_minute(m.group(1)), _parse_minute(m.group(2)))
        for m in _DATE_CLAUSE_RE.finditer(search_query)
    )
    if search_query.count("submittedDate") != len(ranges):
        raise _BadRequestError(
            "malformed submittedDate clause; expected submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]"
        )
    return ranges


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _BadRequestError(f"{name} must be an integer, got {raw!r}") from None
    if value < 0:
        raise _BadRequestError(f"{name} must be non-negative, got {value}")
    return value


def _parse_query(params: Mapping[str, str]) -> _Query:
    start = _int_param(params, "start", 0)
    max_results = _int_param(params, "max_results", DEFAULT_MAX_RESULTS)
    if max_results > MAX_PAGE_SIZE:
        raise _BadRequestError(f"max_results may not exceed {MAX_PAGE_SIZE}")
    if start >= MAX_START:
        raise _BadRequestError(f"start must be below {MAX_START}")
    sort_by = params.get("sortBy") or "relevance"
    if sort_by not in _SORT_BY:
        raise _BadRequestError(f"unknown sortBy {sort_by!r}")
    sort_order = params.get("sortOrder") or "descending"
    if sort_order not in _SORT_ORDER:
        raise _BadRequestError(f"unknown sortOrder {sort_order!r}")
    ids = tuple(i.strip() for i in params.get("id_list", "").split(",") if i.strip())
    id_list = tuple((m.group("base") if (m := _VERSIONED_ID_RE.match(i)) else i) for i in ids)
    return _Query(
        start=start,
        max_results=max_results,
        sort_by=sort_by,
        sort_order=sort_order,
        id_list=id_list,
        submitted_ranges=parse_submitted_ranges(params.get("search_query", "")),
    )


def _select(papers: Sequence[FakePaper], query: _Query) -> tuple[list[FakePaper], int]:
    """The requested page and the match count; ties on time fall back to the id (stable)."""
    matches = [
        p
        for p in papers
        if (not query.id_list or p.arxiv_id in query.id_list)
        and all(lo <= p.published < hi + timedelta(minutes=1) for lo, hi in query.submitted_ranges)
    ]
    descending = query.sort_order == "descending"
    if query.sort_by == "submittedDate":
        matches.sort(key=lambda p: (p.published, p.arxiv_id), reverse=descending)
    elif query.sort_by == "lastUpdatedDate":
        matches.sort(key=lambda p: (p.updated, p.arxiv_id), reverse=descending)
    return matches[query.start : query.start + query.max_results], len(matches)


def _text(value: object) -> str:
    """Escaped element text; characters XML 1.0 forbids are dropped so the feed stays valid."""
    return escape(_ILLEGAL_XML_RE.sub("", str(value)))


def _attr(value: object) -> str:
    return quoteattr(_ILLEGAL_XML_RE.sub("", str(value)))


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed_header(params: Mapping[str, str], items: int, total: int, start: int) -> list[str]:
    shown = {k: params.get(k, "") for k in ("search_query", "id_list", "start", "max_results")}
    echo = "&".join(f"{k}={v}" for k, v in shown.items())
    digest = hashlib.sha1(echo.encode("utf-8", "replace"), usedforsecurity=False).hexdigest()
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="{_NS_ATOM}" xmlns:opensearch="{_NS_OPENSEARCH}" xmlns:arxiv="{_NS_ARXIV}">',
        f"  <id>https://arxiv.org/api/{digest[:27]}</id>",
        f"  <title>arXiv Query: {_text(echo)}</title>",
        f"  <updated>{_stamp(datetime.now(UTC))}</updated>",
        f"  <link href={_attr('https://arxiv.org/api/query?' + urlencode(shown))}"
        ' rel="self" type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{items}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>",
    ]


@functools.lru_cache(maxsize=100_000)
def _entry(p: FakePaper) -> list[str]:
    lines = [
        "  <entry>",
        f"    <id>{_text(p.entry_id)}</id>",
        f"    <title>{_text(p.title)}</title>",
        f"    <updated>{_stamp(p.updated)}</updated>",
        f"    <link href={_attr('https://arxiv.org/abs/' + p.short_id)}"
        ' rel="alternate" type="text/html"/>',
        f"    <link href={_attr('https://arxiv.org/pdf/' + p.short_id)}"
        ' rel="related" type="application/pdf" title="pdf"/>',
    ]
    if "no_summary" not in p.quirks:
        lines.append(f"    <summary>{_text(p.abstract)}</summary>")
    lines += [f"    <category term={_attr(c)} scheme={_attr(_NS_ARXIV)}/>" for c in p.categories]
    lines.append(f"    <published>{_stamp(p.published)}</published>")
    if p.comment is not None:
        lines.append(f"    <arxiv:comment>{_text(p.comment)}</arxiv:comment>")
    lines.append(f"    <arxiv:primary_category term={_attr(p.primary_category)}/>")
    if p.journal_ref is not None:
        lines.append(f"    <arxiv:journal_ref>{_text(p.journal_ref)}</arxiv:journal_ref>")
    if "no_authors" not in p.quirks:
        lines += [f"    <author>\n      <name>{_text(a)}</name>\n    </author>" for a in p.authors]
    if p.doi is not None:
        lines.append(f"    <arxiv:doi>{_text(p.doi)}</arxiv:doi>")
        lines.append(
            f'    <link href={_attr("https://doi.org/" + p.doi)} rel="related" title="doi"/>'
        )
    lines.append("  </entry>")
    return lines


def render_feed(
    params: Mapping[str, str], papers: Sequence[FakePaper], total: int, start: int, per_page: int
) -> bytes:
    """A results page in arXiv's Atom shape (namespaces on <feed> only, elements in order)."""
    lines = _feed_header(params, per_page, total, start)
    for paper in papers:
        # Cached per paper (FakePaper is frozen): serialising thousands of entries on every
        # request made the fake, not the client under test, the slow part of busy-field runs.
        lines += _entry(paper)
    lines.append("</feed>\n")
    return "\n".join(lines).encode("utf-8")


def _opensearch_last(body: bytes) -> bytes:
    lines = body.decode("utf-8").split("\n")
    opensearch = [line for line in lines if line.lstrip().startswith("<opensearch:")]
    rest = [line for line in lines if line not in opensearch]
    end = rest.index("</feed>")
    return "\n".join([*rest[:end], *opensearch, *rest[end:]]).encode("utf-8")


def render_error_feed(params: Mapping[str, str], message: str) -> bytes:
    """arXiv's answer to a bad query: one entry titled `Error` whose summary is the message."""
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_") or "error"
    error_url = _attr(f"https://arxiv.org/api/errors#{slug}")
    lines = _feed_header(params, 1, 1, 0)
    lines += [
        "  <entry>",
        f"    <id>https://arxiv.org/api/errors#{_text(slug)}</id>",
        "    <title>Error</title>",
        f"    <summary>{_text(message)}</summary>",
        f"    <updated>{_stamp(datetime.now(UTC))}</updated>",
        f'    <link href={error_url} rel="alternate" type="text/html"/>',
        "    <author>\n      <name>arXiv api core</name>\n    </author>",
        "  </entry>",
        "</feed>\n",
    ]
    return "\n".join(lines).encode("utf-8")


class _HTTPServer(ThreadingHTTPServer):
    # Non-daemon handler threads are joined by server_close(), so stop() leaves none behind.
    daemon_threads = False
    block_on_close = True

    def __init__(self, fake: FakeArxiv) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a reverse DNS lookup that can stall for seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (read timeout) is expected; anything else is a bug in the fake.
        if not isinstance(sys.exc_info()[1], OSError):
            self.fake._record_error(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    timeout = HANDLER_SOCKET_TIMEOUT
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr log; `FakeArxiv.requests` has the record."""

    def do_GET(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        is_query = split.path == QUERY_PATH
        try:
            submitted = parse_submitted_ranges(params.get("search_query", ""))
        except _BadRequestError:
            submitted = ()
        fault = fake._take_fault() if is_query else None
        fake._record(
            RecordedRequest(
                method="GET",
                path=split.path,
                query_string=split.query,
                params=params,
                headers=headers,
                time=time.monotonic(),
                fault=fault,
                submitted_range=submitted[0] if len(submitted) == 1 else None,
            )
        )
        if not is_query:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        try:
            self._answer(fake, params, fault)
        except OSError:
            raise
        except Exception:
            fake._record_error(traceback.format_exc())
            self._send(500, b"fake arXiv crashed; see FakeArxiv.errors\n", "text/plain")

    def _answer(self, fake: FakeArxiv, params: dict[str, str], fault: Fault | None) -> None:
        fault = fault or _NO_FAULT
        if fault.kind == "drop":
            return  # HTTP/1.0: the connection closes, unanswered, when the handler returns.
        if fault.kind == "slow" and fake._stopping.wait(fault.seconds):
            return  # Shutting down: hang up rather than delay stop().
        if fault.kind == "http":
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            body = f"HTTP {fault.status} from fake arXiv\n".encode()
            self._send(fault.status, body, "text/plain; charset=utf-8", headers)
            return
        if fault.kind == "error_feed":
            self._send(400, render_error_feed(params, fault.message), ATOM_CONTENT_TYPE)
            return
        if fault.kind == "html":
            self._send(200, _HTML_ERROR_PAGE, "text/html; charset=utf-8")
            return
        if fault.kind == "lone_entry":
            self._send(200, _LONE_ENTRY, ATOM_CONTENT_TYPE)
            return
        try:
            query = _parse_query(params)
        except _BadRequestError as exc:
            self._send(400, render_error_feed(params, str(exc)), ATOM_CONTENT_TYPE)
            return
        entries, total = _select(fake.papers, query)
        if fault.kind == "empty_page":
            entries = []
            total = total if fault.total_results is None else fault.total_results
        elif fault.kind == "wrong_total":
            total = max(0, total + fault.delta)
        body = render_feed(params, entries, total, query.start, query.max_results)
        if fault.kind == "odd_total":
            written = f"<opensearch:totalResults>{total}</opensearch:totalResults>"
            odd = f"<opensearch:totalResults>{_text(fault.message)}</opensearch:totalResults>"
            body = body.replace(written.encode(), odd.encode(), 1)
        if fault.kind == "total_last":
            body = _opensearch_last(body)
        cut = body[: int(len(body) * fault.fraction)]
        if fault.kind == "truncated":
            self._send(200, cut, ATOM_CONTENT_TYPE)
        elif fault.kind == "cut_connection":
            self._send(200, cut, ATOM_CONTENT_TYPE, content_length=len(body))
        elif fault.kind == "trickle":
            self._send(200, b"", ATOM_CONTENT_TYPE, content_length=len(body))
            self._trickle(fake, body, fault.bytes_per_second)
        elif fault.kind == "trickle_headers":
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: {ATOM_CONTENT_TYPE}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n"
                f"X-Padding: {'x' * 2048}\r\n\r\n"
            ).encode("ascii")
            self.close_connection = True
            self._trickle(fake, head, fault.bytes_per_second)
            self.wfile.write(body)
        else:
            self._send(200, body, ATOM_CONTENT_TYPE)

    def _trickle(self, fake: FakeArxiv, body: bytes, bytes_per_second: float) -> None:
        """Write `body` in small steps at the given rate; stop early when the fake stops."""
        step = max(1, int(bytes_per_second * TRICKLE_TICK_SECONDS))
        for offset in range(0, len(body), step):
            if fake._stopping.wait(step / bytes_per_second):
                return
            self.wfile.write(body[offset : offset + step])

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        content_length: int | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header(
            "Content-Length", str(len(body) if content_length is None else content_length)
        )
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


class FakeArxiv:
    """arXiv's query endpoint on localhost, with a paper store, a request log and faults."""

    def __init__(self, papers: Iterable[FakePaper] = ()) -> None:
        self._lock = threading.Lock()
        self._papers: dict[str, FakePaper] = {}
        self._requests: list[RecordedRequest] = []
        self._queue: deque[Fault] = deque()
        self._outage: Fault | None = None
        self._errors: list[str] = []
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add(*papers)

    # Lifecycle

    def start(self) -> Self:
        """Bind an OS-chosen port on 127.0.0.1 and serve from a background thread."""
        if self._httpd is not None:
            raise RuntimeError("FakeArxiv is single-use: already started")
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-arxiv",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes sleeping handlers and waits for every handler thread to end."""
        httpd, self._httpd = self._httpd, None
        if httpd is None or self._stopping.is_set():
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The query endpoint, e.g. http://127.0.0.1:PORT/api/query (no trailing `?`)."""
        if self._httpd is None:
            raise RuntimeError("FakeArxiv is not running; call start() or use it as a context")
        return f"http://127.0.0.1:{self._httpd.server_port}{QUERY_PATH}"

    # Papers

    @property
    def papers(self) -> list[FakePaper]:
        """The stored papers (latest version of each), in insertion order."""
        with self._lock:
            return list(self._papers.values())

    def add(self, *papers: FakePaper) -> None:
        """Store papers; a version >= the stored one replaces it, an older one is ignored."""
        with self._lock:
            self._store(papers)

    def set_papers(self, papers: Iterable[FakePaper]) -> None:
        """Replace the whole store at once (no request sees it half-filled)."""
        with self._lock:
            self._papers.clear()
            self._store(papers)

    def _store(self, papers: Iterable[FakePaper]) -> None:
        for paper in papers:
            current = self._papers.get(paper.arxiv_id)
            if current is None or paper.version >= current.version:
                self._papers[paper.arxiv_id] = paper

    def revise(
        self, arxiv_id: str, *, updated: datetime | None = None, **changes: Any
    ) -> FakePaper:
        """Store the next version of a paper (`updated` defaults to the old one + 1 day)."""
        with self._lock:
            current = self._papers[arxiv_id]
        new = replace(
            current,
            version=current.version + 1,
            updated=updated or current.updated + timedelta(days=1),
            **changes,
        )
        self.add(new)
        return new

    # Requests and faults

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself (a client hanging up is not one)."""
        with self._lock:
            return list(self._errors)

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Queue `fault` for the next `times` query requests (after those already queued)."""
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times}")
        with self._lock:
            self._queue.extend([fault] * times)

    def fail_always(self, fault: Fault) -> None:
        """Answer every query request with `fault` once the queue is empty, until cleared."""
        with self._lock:
            self._outage = fault

    def clear_faults(self) -> None:
        with self._lock:
            self._queue.clear()
            self._outage = None

    @property
    def pending_faults(self) -> int:
        with self._lock:
            return len(self._queue)

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            return self._outage

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _record_error(self, formatted: str) -> None:
        with self._lock:
            self._errors.append(formatted)


def _seed_time(base_id: str, day: str) -> datetime:
    """08:00 UTC plus (numeric tail of the id mod 600) minutes: distinct, stable times per day."""
    tail = int(re.sub(r"\D", "", base_id.rsplit(".", 1)[-1].rsplit("/", 1)[-1]))
    midnight = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
    return midnight + timedelta(hours=8, minutes=tail % 600)


def seed_fake_papers(
    *,
    primary_category: str = "cs.NE",
    categories: Sequence[str] | None = None,
    path: Path = SEED_PATH,
) -> list[FakePaper]:
    """The 81 real papers of tests/fixtures/seed_papers.json as FakePapers, in file order."""
    records = json.loads(path.read_text(encoding="utf-8"))
    papers = []
    for record in records:
        match = _VERSIONED_ID_RE.match(record["id"])
        if match is None:
            raise ValueError(f"seed id without version: {record['id']!r}")
        version = int(match.group("version"))
        published = _seed_time(match.group("base"), record["published"])
        papers.append(
            FakePaper(
                arxiv_id=match.group("base"),
                version=version,
                title=record["title"],
                authors=tuple(record["authors"]),
                abstract=record["abstract"],
                published=published,
                updated=published if version == 1 else published + timedelta(days=1),
                primary_category=primary_category,
                categories=tuple(categories) if categories is not None else (primary_category,),
            )
        )
    return papers


def generated_papers(
    count: int,
    *,
    first: datetime,
    step: timedelta = timedelta(minutes=1),
    prefix: str = "2601",
) -> list[FakePaper]:
    """`count` small papers submitted `step` apart from `first`, ids `<prefix>.00001` upwards:
    enough to page through arXiv's limits quickly."""
    if not 0 < count <= 99999:
        raise ValueError(f"count must be within 1..99999 (five-digit ids), got {count}")
    return [
        FakePaper(
            arxiv_id=f"{prefix}.{n:05d}",
            title=f"Generated paper {n}",
            authors=("A. Author",),
            abstract=f"Abstract {n}.",
            published=first + step * (n - 1),
            updated=first + step * (n - 1),
        )
        for n in range(1, count + 1)
    ]


def submitted_paper(
    arxiv_id: str,
    submitted: datetime,
    *,
    title: str = "A late arrival",
    abstract: str = "A memristor crossbar array.",
    authors: tuple[str, ...] = ("A. Author",),
    primary_category: str = "cs.NE",
) -> FakePaper:
    """One paper at version 1, submitted (and last updated) at `submitted`: the news a test
    adds to what the fake serves."""
    return FakePaper(
        arxiv_id=arxiv_id,
        title=title,
        authors=authors,
        abstract=abstract,
        published=submitted,
        updated=submitted,
        primary_category=primary_category,
    )
