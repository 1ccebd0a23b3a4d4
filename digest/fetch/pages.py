"""Fetch recent submissions and revisions from arXiv with the `arxiv` client, completely.

Two queries share one client (so arXiv's delay holds between all requests): A asks for every
paper submitted in a date range, split in halves while arXiv has more than it serves per query;
B asks for the most recently revised papers and stops at the first one revised before a given
time. Paging resumes from the last good offset after a transient failure, and the failures,
answer times included, stay within the timeout plus the retry budget.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from datetime import datetime

import arxiv
import msgspec

from digest.config.settings import ArxivSettings
from digest.fetch.answer import (
    Page,
    QueryError,
    RequestFailedError,
)
from digest.fetch.entries import keep_newest, paper_from_result, versioned_id
from digest.fetch.retry import Retrier
from digest.fetch.session import CheckedSession
from digest.plan import FetchPlan, FetchSpan
from digest.records import Paper
from digest.words import counted

USER_AGENT = "arxiv-digest/0.1 (scheduled README digest bot; python arxiv client 4.0)"
MAX_QUERY_RESULTS = 30_000  # arXiv refuses (HTTP 400) to page past this in one query
PAGE_MARGIN = 50  # results asked for beyond the estimate of what is left


log = logging.getLogger(__name__)


class FetchResult(msgspec.Struct, frozen=True):
    """The papers fetched that the digest does not hold at that version, once each at its
    newest; the ids of every paper arXiv returned (`seen`, held ones too); the HTTP requests
    it took."""

    papers: tuple[Paper, ...]
    seen: frozenset[str]
    requests: int

    @property
    def read(self) -> int:
        """How many distinct papers arXiv returned."""
        return len(self.seen)


class _Progress(msgspec.Struct):
    """What survives between retries of one query, so paging resumes instead of restarting:
    where it is, and for query B the newest and oldest update times read so far and the size
    of the page to ask for next."""

    offset: int = 0
    empty_tries: int = 0
    newest: datetime | None = None
    oldest: datetime | None = None
    page_size: int | None = None
    shrunk: bool = False


class _Run(msgspec.Struct):
    """One fetch: the client and its session, its retries, and the papers so far."""

    settings: ArxivSettings
    session: CheckedSession
    client: arxiv.Client
    retrier: Retrier
    known: Mapping[str, int]
    papers: dict[str, Paper] = msgspec.field(default_factory=dict)
    seen: set[str] = msgspec.field(default_factory=set)


class _TooManyResultsError(Exception):
    """The first page of a query said arXiv holds more results than it serves per query."""


def fetch_papers(
    plan: FetchPlan,
    settings: ArxivSettings,
    endpoint: str,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """Every paper matching the plan's query that the plan asks for, or FetchError/QueryError.

    When the plan expects papers (the archive already knows papers from the span), an empty
    answer is suspicious: it is retried, then warned about instead of trusted silently. Papers
    the digest holds at the same version are counted, not kept.
    """
    session = CheckedSession(settings.timeout_seconds)
    client = _make_client(settings, endpoint, session)
    retrier = Retrier(settings, endpoint, session, sleep, plan.first_run)
    run = _Run(settings, session, client, retrier, plan.known_versions)
    if plan.span is not None:
        _fetch_span(run, plan.query, plan.span, plan.expect_papers)
    if plan.revised_since is not None:
        expect = plan.expect_papers and plan.span is None
        _fetch_revisions(run, plan.query, plan.revised_since, expect, plan.revisions_held)
    if plan.expect_papers and not run.seen:
        log.warning(
            "arXiv answered no papers although earlier runs found papers in the same date range; "
            "the digest was left as it was (check the query and arXiv's status page)"
        )
    return FetchResult(tuple(run.papers.values()), frozenset(run.seen), session.requests)


def _make_client(settings: ArxivSettings, endpoint: str, session: CheckedSession) -> arxiv.Client:
    """One client for the run; our session adds the time limits and the checks it lacks."""
    arxiv._USER_AGENT = USER_AGENT  # the client sends this module attribute on every request
    client = arxiv.Client(
        page_size=settings.page_size, delay_seconds=settings.delay_seconds, num_retries=0
    )
    # The client fills this format string's {} with the parameters; braces in the URL are text.
    client.query_url_format = endpoint.replace("{", "{{").replace("}", "}}") + "?{}"
    client._session = session  # arxiv 4.0.2 Client has no public session setter
    return client


def _fetch_span(run: _Run, query: str, span: FetchSpan, expect_papers: bool) -> None:
    """Query A over `span`; halves of it while arXiv holds more than one query may page."""
    search = arxiv.Search(
        query=f"({query}) AND {span.query_clause()}",
        max_results=None,  # the client's default is 100; None pages to arXiv's total
        sort_by=arxiv.SortCriterion.SubmittedDate,
        sort_order=arxiv.SortOrder.Descending,
    )
    progress = _Progress()
    try:
        run.retrier.run(lambda: _read_pages(run, search, progress, expect=expect_papers))
    except _TooManyResultsError as error:
        halves = span.halves()
        if halves is None:
            raise QueryError(
                f"more than {MAX_QUERY_RESULTS} papers match the query within the minute "
                f"{span.start:%Y-%m-%d %H:%M} UTC, more than arXiv serves per query; "
                "narrow the 'query' setting in config.yml"
            ) from None
        log.info("%s; fetching %s in two halves", error, span.query_clause())
        for half in halves:
            _fetch_span(run, query, half, expect_papers=False)


def _fetch_revisions(
    run: _Run, query: str, since: datetime, expect_papers: bool, held: int | None
) -> None:
    """Query B: newest revisions first, until one is older than `since`.

    arXiv documents no lastUpdatedDate filter (ARXIV_API.md), so B sorts by it and stops.
    """
    search = arxiv.Search(
        query=query,
        max_results=None,
        sort_by=arxiv.SortCriterion.LastUpdatedDate,
        sort_order=arxiv.SortOrder.Descending,
    )
    progress = _Progress()
    first_page = None if held is None else held * 2 + PAGE_MARGIN
    if first_page is not None and first_page < run.settings.page_size:
        # A small field re-reads a few dozen papers a day, not a page: twice that leaves room for
        # the news and for revisions of older papers. Once only, as in _next_page_size.
        progress.page_size, progress.shrunk = first_page, True
    run.retrier.run(lambda: _read_pages(run, search, progress, expect=expect_papers, until=since))


def _read_pages(
    run: _Run,
    search: arxiv.Search,
    progress: _Progress,
    *,
    expect: bool,
    until: datetime | None = None,
) -> None:
    """Page from `progress.offset` to the end, or to an entry updated before `until`.

    The client fetches a page only when its results are asked for, so leaving the loop early
    requests nothing more.
    """
    while True:
        before = progress.offset
        run.client.page_size = progress.page_size or run.settings.page_size
        if until is not None:  # one page per pass, so the next one can be sized to what is left
            search.max_results = progress.offset + run.client.page_size
        for result in run.client.results(search, offset=progress.offset):
            if until is None and progress.offset == 0:
                _check_size(run.session.last_page)
            if until is not None and result.updated < until:
                return
            _take(run, result)
            progress.newest = progress.newest or result.updated
            progress.oldest = result.updated
            progress.offset += 1
            if progress.offset >= MAX_QUERY_RESULTS:
                log.warning(
                    "arXiv serves at most %d results per query; later ones were not fetched: "
                    "narrow the 'query' setting in config.yml",
                    MAX_QUERY_RESULTS,
                )
                return
        page = run.session.last_page
        if progress.offset == before:
            _check_empty_answer(page, progress, run.settings, expect)
            return
        if not _more_promised(page, progress.offset, run.client.page_size):
            return
        if until is not None:
            progress.page_size = _next_page_size(progress, until, run.settings.page_size)


def _next_page_size(progress: _Progress, until: datetime, page_size: int) -> int:
    """Query B stops at `until`, somewhere inside its last page, but arXiv answers and the client
    parses whole pages: ask for what is left at the pace read so far, with half again to spare.
    Once only: a page that falls short is followed by full ones, so a run still takes at most
    one request more than ⌈results ÷ page size⌉."""
    if progress.shrunk or progress.newest is None or progress.oldest is None:
        return page_size
    read_seconds = (progress.newest - progress.oldest).total_seconds()
    left_seconds = (progress.oldest - until).total_seconds()
    if read_seconds <= 0:
        return page_size
    guess = math.ceil(progress.offset * left_seconds / read_seconds * 1.5) + PAGE_MARGIN
    if guess >= page_size:
        return page_size
    progress.shrunk = True
    return guess


def _take(run: _Run, result: arxiv.Result) -> None:
    """Keep the result's paper unless the digest holds that very version: most of what a busy
    field's daily run reads is papers it knows, and converting them cost a tenth of the run."""
    versioned = versioned_id(result)
    if versioned is not None:
        run.seen.add(versioned[0])
        if run.known.get(versioned[0]) == versioned[1]:
            return
    keep_newest(run.papers, paper_from_result(result))


def _check_size(page: Page | None) -> None:
    if page is not None and page.total > MAX_QUERY_RESULTS:
        raise _TooManyResultsError(
            f"arXiv holds {page.total} results, over the {MAX_QUERY_RESULTS} it pages"
        )


def _more_promised(page: Page | None, offset: int, page_size: int) -> bool:
    """Whether to ask again from `offset` after the client stopped at its first page's total.

    arXiv's totalResults varies between identical calls: the last page may promise more, or a
    full page may prove the total was too low. A total that matches costs no extra request.
    """
    if page is None:
        return False
    return page.total > offset or (page.entries >= page_size and page.total < offset)


def _check_empty_answer(
    page: Page | None, progress: _Progress, settings: ArxivSettings, expect_papers: bool
) -> None:
    """An empty page is retried a few times when arXiv promised more or papers are expected.

    arXiv's totalResults varies between identical calls, so a promise it keeps breaking ends
    in a warning rather than in a run that fails every day.
    """
    promised = page.total if page is not None else 0
    suspicious = promised > progress.offset or (progress.offset == 0 and expect_papers)
    if suspicious and progress.empty_tries < settings.empty_result_retries:
        progress.empty_tries += 1
        raise RequestFailedError(
            "empty page",
            f"at offset {progress.offset} of {counted(promised, 'result')}",
            answered=True,
        )
    if promised > progress.offset:
        log.warning(
            "arXiv promised %d results but kept sending empty pages after %d; "
            "the next run asks again",
            promised,
            progress.offset,
        )
