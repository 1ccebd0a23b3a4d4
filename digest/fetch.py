"""Fetch recent submissions from arXiv with the `arxiv` client, retrying what arXiv gets wrong.

The client alone retries without back-off, has no timeout, and turns an HTML error page or an
empty first page into zero results without a word. Every answer therefore passes through a
checking session first, and paging resumes from the last good offset after a transient failure.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import arxiv
import requests
from lxml import etree
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_before_delay

from digest.archive import ArchiveState
from digest.config import ArxivSettings, ConfigError
from digest.records import Paper

DEFAULT_ENDPOINT = "https://export.arxiv.org/api/query"
USER_AGENT = "arxiv-digest/0.1 (scheduled README digest bot; python arxiv client 4.0)"
MAX_BACKOFF_SECONDS = 300.0

_ATOM = "{http://www.w3.org/2005/Atom}"
_TOTAL = "{http://a9.com/-/spec/opensearch/1.1/}totalResults"
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], " ")
_VERSIONED_ID = re.compile(r"^(?P<id>.+)v(?P<version>\d+)$")

log = logging.getLogger(__name__)


class FetchError(Exception):
    """arXiv could not be read completely; the run must change nothing."""


class QueryError(Exception):
    """arXiv rejected the query itself (HTTP 400): a config problem, not a transient one."""


class _TransientError(Exception):
    """A failure worth retrying; `retry_after` is arXiv's own hint in seconds, if it sent one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


_RETRIED = (
    _TransientError,
    arxiv.UnexpectedEmptyPageError,
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True)
class FetchSpan:
    """The submission-time range one run asks arXiv for."""

    start: datetime
    end: datetime

    def holds_any(self, archive: ArchiveState) -> bool:
        """Whether the archive knows papers from this range, so an empty answer is suspect."""
        return any(self.start <= paper.published <= self.end for paper in archive.papers.values())

    def query_clause(self) -> str:
        return f"submittedDate:[{self.start:%Y%m%d%H%M} TO {self.end:%Y%m%d%H%M}]"


@dataclass(frozen=True)
class FetchResult:
    papers: tuple[Paper, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Page:
    entries: int
    total: int


@dataclass
class _Progress:
    """What survives between retries, so paging resumes instead of restarting."""

    offset: int = 0
    papers: dict[str, Paper] = field(default_factory=dict)
    empty_tries: int = 0
    capped: bool = False
    promised: int = 0


def endpoint_from_env(env: Mapping[str, str]) -> str:
    """arXiv's query endpoint, or the mirror or local server ARXIV_API_URL names."""
    url = env.get("ARXIV_API_URL", "").strip() or DEFAULT_ENDPOINT
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            f"ARXIV_API_URL must be the full http(s) URL of a query endpoint such as "
            f"{DEFAULT_ENDPOINT}, got {url!r}: fix it or unset it"
        )
    return url


def plan_fetch_span(
    now: datetime,
    last_run: datetime | None,
    *,
    window_days: int,
    lookback_days: int,
    max_catchup_days: int,
) -> FetchSpan:
    """Reach back `lookback_days` from now, and as far before the last archived run, within the
    catch-up cap: after missed runs, papers submitted just before the last run but announced
    during the gap are still asked for. A first run (nothing archived) fetches the whole window.
    """
    if last_run is None:
        days = max(window_days, lookback_days)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return FetchSpan(start=midnight - timedelta(days=days), end=now)
    start = min(now, last_run) - timedelta(days=lookback_days)
    start = max(start, now - timedelta(days=max_catchup_days))
    return FetchSpan(start=start, end=now)


def fetch_papers(
    query: str,
    span: FetchSpan,
    settings: ArxivSettings,
    *,
    endpoint: str,
    expect_papers: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Every paper matching `query` submitted within `span`, or FetchError/QueryError.

    `expect_papers` says the archive already knows papers from this span, so an empty answer
    is suspicious: it is retried, then reported as a warning instead of trusted silently.
    """
    session = _CheckedSession(settings.timeout_seconds)
    client = _make_client(settings, endpoint, session)
    search = arxiv.Search(
        query=f"({query}) AND {span.query_clause()}",
        max_results=settings.max_results,
        sort_by=arxiv.SortCriterion.SubmittedDate,
        sort_order=arxiv.SortOrder.Descending,
    )
    progress = _Progress()
    retrying = Retrying(
        stop=stop_before_delay(settings.retry_budget_seconds),
        wait=_backoff(settings.backoff_seconds),
        retry=retry_if_exception_type(_RETRIED),
        sleep=sleep,
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                _read_all_pages(client, search, session, settings, progress, expect_papers)
    except _RETRIED as error:
        raise FetchError(
            f"arXiv kept failing for the whole retry budget "
            f"({settings.retry_budget_seconds:g} s; last error: {_describe(error)}); "
            "nothing was changed, and the next run will catch up"
        ) from None
    return FetchResult(
        papers=tuple(progress.papers.values()),
        warnings=_warnings(progress, settings, expect_papers),
    )


def _warnings(progress: _Progress, settings: ArxivSettings, expect_papers: bool) -> tuple[str, ...]:
    found: list[str] = []
    if progress.capped:
        found.append(
            f"arXiv returned at least arxiv.max_results={settings.max_results} results; "
            "older papers in the range were not fetched: raise the cap or narrow the query"
        )
    if progress.promised:
        found.append(
            f"arXiv promised {progress.promised} results but kept sending empty pages after "
            f"{progress.offset}; the next run asks again"
        )
    if expect_papers and not progress.papers:
        found.append(
            "arXiv answered no papers although earlier runs found papers in the same date range; "
            "the digest was left as it was (check the query and arXiv's status page)"
        )
    return tuple(found)


def _make_client(settings: ArxivSettings, endpoint: str, session: requests.Session) -> arxiv.Client:
    """One client for the run; our session adds the timeout and the checks the client lacks."""
    arxiv._USER_AGENT = USER_AGENT  # the client sends this module attribute on every request
    client = arxiv.Client(
        page_size=settings.page_size, delay_seconds=settings.delay_seconds, num_retries=0
    )
    client.query_url_format = endpoint + "?{}"
    client._session = session  # the client has no public way to set a session or a timeout
    return client


def _read_all_pages(
    client: arxiv.Client,
    search: arxiv.Search,
    session: _CheckedSession,
    settings: ArxivSettings,
    progress: _Progress,
    expect_papers: bool,
) -> None:
    """Page from `progress.offset` until arXiv has nothing more, checking each step."""
    while True:
        before = progress.offset
        for result in client.results(search, offset=progress.offset):
            _keep(progress.papers, paper_from_result(result))
            progress.offset += 1
        if progress.offset >= settings.max_results:
            progress.capped = True
            return
        page = session.last_page
        if progress.offset == before:
            _check_empty_answer(page, progress, settings, expect_papers)
            return
        if page is None or page.entries < settings.page_size:
            return


def _check_empty_answer(
    page: _Page | None, progress: _Progress, settings: ArxivSettings, expect_papers: bool
) -> None:
    """An empty page is retried a few times when arXiv promised more or papers are expected.

    arXiv's totalResults varies between identical calls, so a promise it keeps breaking ends
    in a warning rather than in a run that fails every day.
    """
    promised = page.total if page is not None else 0
    suspicious = promised > progress.offset or (progress.offset == 0 and expect_papers)
    if suspicious and progress.empty_tries < settings.empty_result_retries:
        progress.empty_tries += 1
        raise _TransientError(f"empty page at offset {progress.offset} of {promised} results")
    if promised > progress.offset:
        progress.promised = promised


def _keep(papers: dict[str, Paper], paper: Paper) -> None:
    """A paper may show up twice when results shift between pages; keep its newest version."""
    known = papers.get(paper.arxiv_id)
    if known is None or paper.version > known.version:
        papers[paper.arxiv_id] = paper


def paper_from_result(result: arxiv.Result) -> Paper:
    """Turn the client's Result into our record, with text cleaned for display."""
    match = _VERSIONED_ID.match(result.get_short_id())
    if match is None:
        raise FetchError(f"arXiv sent an entry without a versioned id: {result.entry_id!r}")
    return Paper(
        arxiv_id=match["id"],
        version=int(match["version"]),
        title=clean_text(result.title),
        authors=tuple(clean_text(author.name) for author in result.authors),
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
    text = text.translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(text.split())


class _CheckedSession(requests.Session):
    """A session that times out, and refuses answers the client would misread as 'no papers'."""

    def __init__(self, timeout_seconds: float) -> None:
        super().__init__()
        self.timeout_seconds = timeout_seconds
        self.last_page: _Page | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout_seconds)
        self.last_page = None
        response = super().request(method, url, *args, **kwargs)
        self.last_page = _check_response(response)
        return response


def _check_response(response: requests.Response) -> _Page:
    status = response.status_code
    if status == 400:
        raise QueryError(f"arXiv rejected the query: {_error_message(response.content)}")
    if status == 429 or status >= 500:
        raise _TransientError(f"HTTP {status}", _retry_after(response.headers.get("Retry-After")))
    if status != 200:
        raise FetchError(
            f"arXiv answered HTTP {status} for {response.url}; "
            "check ARXIV_API_URL (unset it to use arXiv itself)"
        )
    try:
        root = etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise _TransientError(
            "the answer was not well-formed XML (truncated or an error page)"
        ) from None
    if root.tag != f"{_ATOM}feed":
        raise _TransientError("the answer was not an Atom feed (an error page?)")
    total_text = root.findtext(_TOTAL)
    if total_text is None or not total_text.strip().isdigit():
        raise _TransientError("the feed had no opensearch:totalResults")
    return _Page(entries=len(root.findall(f"{_ATOM}entry")), total=int(total_text))


def _error_message(content: bytes) -> str:
    """arXiv explains a bad query in the summary of a single entry titled 'Error'."""
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return "HTTP 400 (no explanation given); check the 'query' setting in config.yml"
    summary = root.findtext(f"{_ATOM}entry/{_ATOM}summary") or "HTTP 400"
    return f"{clean_text(summary)}; check the 'query' setting in config.yml"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header, given either as seconds or as an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _backoff(first_wait: float) -> Callable[[RetryCallState], float]:
    """Doubling waits from `first_wait`, never shorter than what arXiv asked for."""

    def wait(state: RetryCallState) -> float:
        growing = min(first_wait * 2.0 ** (state.attempt_number - 1), MAX_BACKOFF_SECONDS)
        error = state.outcome.exception() if state.outcome else None
        asked = float(getattr(error, "retry_after", None) or 0.0)
        log.warning("arXiv request failed (%s); retrying", _describe(error))
        return max(growing, asked)

    return wait


def _describe(error: BaseException | None) -> str:
    if isinstance(error, requests.Timeout):
        return "no answer within the timeout"
    if isinstance(error, requests.ConnectionError):
        return "connection failed"
    if isinstance(error, arxiv.UnexpectedEmptyPageError):
        return "an empty page in the middle of the results"
    return str(error) or type(error).__name__
