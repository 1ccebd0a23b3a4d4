"""fetch_papers against the fake arXiv: whole ranges, revisions, time limits, odd entries."""

from __future__ import annotations

import itertools
import logging
import math
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from digest.config.settings import ArxivSettings, ConfigError, parse
from digest.fetch import (
    ArxivUnreachableError,
    FetchError,
    FetchResult,
    QueryError,
    endpoint_from_env,
    fetch_papers,
)
from digest.plan import FetchSpan
from tests.factories import fetch_plan
from tests.fake_arxiv import FakeArxiv, FakePaper, Fault, generated_papers, submitted_paper

NOW = datetime(2026, 2, 14, 5, 0, tzinfo=UTC)
FAST = {
    "page_size": 10,
    "delay_seconds": 0.0,
    "timeout_seconds": 2.0,
    "retry_budget_seconds": 5.0,
    "backoff_seconds": 0.01,
}


def settings(**overrides: Any) -> ArxivSettings:
    return parse(FAST | overrides, ArxivSettings)


def fetch(
    server: FakeArxiv | str,
    span: FetchSpan,
    revised_since: datetime | None = None,
    *,
    expect_papers: bool = False,
    first_run: bool = False,
    **overrides: Any,
) -> FetchResult:
    endpoint = server if isinstance(server, str) else server.url
    plan = fetch_plan(span, revised_since, expect_papers=expect_papers, first_run=first_run)
    return fetch_papers(plan, settings(**overrides), endpoint)


def days_back(days: float) -> FetchSpan:
    return FetchSpan(NOW - timedelta(days=days), NOW)


# Everything in the range, counted requests


@pytest.mark.parametrize("count", [2500, 4000])
def test_a_range_beyond_one_page_is_read_whole_in_the_fewest_requests(
    arxiv_server: FakeArxiv, count: int
) -> None:
    arxiv_server.add(*generated_papers(count, first=NOW - timedelta(days=5)))
    result = fetch(arxiv_server, days_back(6), NOW - timedelta(days=2), page_size=2000)
    assert len(result.papers) == count == len({p.arxiv_id for p in result.papers})
    assert result.requests == len(arxiv_server.requests) == math.ceil(count / 2000) + 1
    assert {r.params["max_results"] for r in arxiv_server.requests} == {"2000"}


def test_a_range_over_arxivs_per_query_limit_is_split_and_read_whole(
    arxiv_server: FakeArxiv,
) -> None:
    """arXiv's first page says how many results there are; over 30,000 the range is halved.
    (30,001 real entries take the real client 15 s to parse, so the fake claims them.)"""
    arxiv_server.add(*generated_papers(40, first=NOW - timedelta(days=3), step=timedelta(hours=1)))
    arxiv_server.fail_next(Fault.wrong_total(30_000))
    span = days_back(4)
    result = fetch(arxiv_server, span)
    assert len(result.papers) == 40
    first, *rest = arxiv_server.requests
    assert first.submitted_range == (span.start.replace(second=0), span.end)
    ranges = sorted({r.submitted_range for r in rest if r.submitted_range})
    assert len(ranges) == 2 and ranges[0][1] + timedelta(minutes=1) == ranges[1][0]
    assert (ranges[0][0], ranges[1][1]) == first.submitted_range
    halves = [sum(1 for r in rest if r.submitted_range == half) for half in ranges]
    assert result.requests == 1 + sum(halves) and sum(halves) <= 40 // 10 + 2
    assert all(int(r.params["start"]) < 30_000 for r in arxiv_server.requests)


def test_more_than_arxiv_serves_within_one_minute_is_a_query_error(
    arxiv_server: FakeArxiv,
) -> None:
    arxiv_server.add(*generated_papers(3, first=NOW - timedelta(minutes=3)))
    arxiv_server.fail_always(Fault.wrong_total(30_000))
    with pytest.raises(QueryError, match="narrow the 'query' setting"):
        fetch(arxiv_server, FetchSpan(NOW - timedelta(minutes=3), NOW))


# Revisions


def _revised_old_paper(server: FakeArxiv) -> None:
    server.add(*generated_papers(12, first=NOW - timedelta(days=5), step=timedelta(hours=9)))
    old = submitted_paper(
        "2601.77777",
        NOW - timedelta(days=20),
        title="Submitted long ago",
        abstract="Spikes.",
        authors=("A. Author",),
    )
    server.add(old)
    server.revise(old.arxiv_id, updated=NOW - timedelta(days=1), title="Revised yesterday")


def test_a_revision_of_an_old_paper_is_fetched_in_one_more_request(
    arxiv_server: FakeArxiv,
) -> None:
    _revised_old_paper(arxiv_server)
    without = fetch(arxiv_server, days_back(7))
    assert "2601.77777" not in {p.arxiv_id for p in without.papers}
    arxiv_server.clear_requests()

    result = fetch(arxiv_server, days_back(7), NOW - timedelta(days=2))
    revised = next(p for p in result.papers if p.arxiv_id == "2601.77777")
    assert (revised.version, revised.title) == (2, "Revised yesterday")
    assert len(result.papers) == 13
    sorts = [r.params["sortBy"] for r in arxiv_server.requests]
    assert sorts == ["submittedDate", "submittedDate", "lastUpdatedDate"]
    assert result.requests == 3


def test_the_revisions_query_pages_only_until_an_older_revision(arxiv_server: FakeArxiv) -> None:
    _revised_old_paper(arxiv_server)
    result = fetch(arxiv_server, days_back(7), NOW - timedelta(days=4), page_size=3)
    starts = [
        r.params["start"] for r in arxiv_server.requests if r.params["sortBy"] != "submittedDate"
    ]
    # by update time: the revision, 9 papers of the last 4 days, then 3 older ones
    assert starts == ["0", "3", "6", "9"]  # the 4th page shows an older one: no 5th
    assert "2601.77777" in {p.arxiv_id for p in result.papers}


def test_the_delay_holds_between_all_requests_of_both_queries(arxiv_server: FakeArxiv) -> None:
    _revised_old_paper(arxiv_server)
    fetch(arxiv_server, days_back(7), NOW - timedelta(days=2), delay_seconds=0.4)
    times = [r.time for r in arxiv_server.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.39 for earlier, later in itertools.pairwise(times))


# Time limits


def test_a_trickling_answer_fails_within_timeout_plus_budget(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*generated_papers(5, first=NOW - timedelta(days=1)))
    arxiv_server.fail_always(Fault.trickle(200))
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(arxiv_server, days_back(2), timeout_seconds=1, retry_budget_seconds=1)
    assert time.monotonic() - started < 3
    assert caught.value.cause == "time-out" and caught.value.url == arxiv_server.url
    assert "no complete answer within 1 s" in str(caught.value)


def test_a_slow_but_steady_answer_within_the_timeout_is_read(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*generated_papers(5, first=NOW - timedelta(days=1)))
    arxiv_server.fail_next(Fault.trickle(10_000))  # about 0.4 s for the page
    result = fetch(arxiv_server, days_back(2), timeout_seconds=2)
    assert len(result.papers) == 5 and result.requests == 1


# Failures named


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("url", "cause"),
    [
        ("http://127.0.0.1:{port}/api/query", "connection refused"),
        ("http://nonexistent.invalid/api/query", "name not resolved"),
    ],
)
def test_an_unreachable_arxiv_fails_at_once_naming_url_and_cause(
    monkeypatch: pytest.MonkeyPatch, url: str, cause: str
) -> None:
    _no_proxy(monkeypatch)
    url = url.format(port=_closed_port())
    waits: list[float] = []
    started = time.monotonic()
    with pytest.raises(ArxivUnreachableError) as caught:
        fetch_papers(
            fetch_plan(days_back(1), query="all:x"),
            ArxivSettings(),  # the defaults: 600 s of retry budget
            url,
            sleep=waits.append,
        )
    assert time.monotonic() - started + sum(waits) < 60
    assert len(waits) == 1  # two tries
    message = str(caught.value)
    assert url in message and cause in message and "\n" not in message
    assert (caught.value.url, caught.value.cause) == (url, cause)


@pytest.mark.parametrize(
    ("first_run", "outlook"),
    [(False, "the next run will catch up"), (True, "no run has succeeded yet")],
)
def test_an_outage_says_what_comes_next_only_if_a_run_ever_succeeded(
    arxiv_server: FakeArxiv, caplog: pytest.LogCaptureFixture, first_run: bool, outlook: str
) -> None:
    arxiv_server.fail_always(Fault.http(503))
    with pytest.raises(FetchError) as caught:
        fetch(arxiv_server, days_back(1), first_run=first_run, retry_budget_seconds=0.05)
    assert outlook in str(caught.value) and "HTTP 503" in str(caught.value)
    assert ("catch up" in str(caught.value)) is not first_run
    notes = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert notes and notes[0].startswith(f"arXiv request to {arxiv_server.url} failed (HTTP 503)")
    assert "retrying in 0.01 s, up to 2" in notes[0]


# Odd entries


def test_odd_entries_become_papers_with_blanks_and_one_without_version_is_skipped(
    arxiv_server: FakeArxiv, caplog: pytest.LogCaptureFixture
) -> None:
    base: dict[str, Any] = {
        "authors": ("A. Author",),
        "abstract": "Spikes.",
        "published": NOW - timedelta(hours=5),
        "updated": NOW - timedelta(hours=5),
    }
    arxiv_server.add(
        FakePaper(arxiv_id="2602.00001", title=" \n ", **base),
        FakePaper(
            arxiv_id="2602.00002", title="No summary", quirks=frozenset({"no_summary"}), **base
        ),
        FakePaper(
            arxiv_id="2602.00003", title="No authors", quirks=frozenset({"no_authors"}), **base
        ),
        FakePaper(
            arxiv_id="2602.00004", title="No version", quirks=frozenset({"unversioned_id"}), **base
        ),
    )
    papers = {p.arxiv_id: p for p in fetch(arxiv_server, days_back(1)).papers}
    assert sorted(papers) == ["2602.00001", "2602.00002", "2602.00003"]
    assert papers["2602.00001"].title == ""
    assert papers["2602.00002"].abstract == ""
    assert papers["2602.00003"].authors == ()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("'2602.00004'" in w and "skipped" in w for w in warnings)


# ARXIV_API_URL


@pytest.mark.parametrize(
    "url",
    ["http://host:99999/x", "http://ho st/", "http://[::1/api", "http://host:abc/", "ftp://h/"],
)
def test_a_malformed_arxiv_api_url_is_a_config_error_naming_it(url: str) -> None:
    with pytest.raises(ConfigError, match="ARXIV_API_URL"):
        endpoint_from_env({"ARXIV_API_URL": url})


def test_a_well_formed_arxiv_api_url_is_used_as_is() -> None:
    assert endpoint_from_env({}) == "https://export.arxiv.org/api/query"
    assert endpoint_from_env({"ARXIV_API_URL": " http://[::1]:8080/api/query "}) == (
        "http://[::1]:8080/api/query"
    )


def test_braces_in_the_endpoint_are_part_of_the_url(arxiv_server: FakeArxiv) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(arxiv_server.url + "/{x}", days_back(1))
    assert arxiv_server.requests[0].path == "/api/query/%7Bx%7D"


def test_headers_that_trickle_in_fail_within_timeout_plus_budget(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*generated_papers(5, first=NOW - timedelta(days=1)))
    arxiv_server.fail_always(Fault.trickle_headers(200))  # each read well within the timeout
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(arxiv_server, days_back(2), timeout_seconds=1, retry_budget_seconds=1)
    assert time.monotonic() - started < 3
    assert caught.value.cause == "time-out"


def test_papers_the_digest_holds_at_that_version_are_counted_not_returned(
    arxiv_server: FakeArxiv,
) -> None:
    """A busy field re-reads days of papers it knows: only news and revisions come back, and
    the count still says how many papers arXiv answered."""
    _revised_old_paper(arxiv_server)
    everything = fetch(arxiv_server, days_back(7), NOW - timedelta(days=2))
    held = {paper.arxiv_id: paper.version for paper in everything.papers}
    held["2601.77777"] = 1  # the digest holds the version before the revision
    news = next(iter(sorted(held)))
    del held[news]

    plan = fetch_plan(days_back(7), NOW - timedelta(days=2), expect_papers=True, known=held)
    result = fetch_papers(plan, settings(), arxiv_server.url)
    assert {(p.arxiv_id, p.version) for p in result.papers} == {
        (news, 1),
        ("2601.77777", 2),
    }
    assert result.read == everything.read == 13


def _revisions(
    server: FakeArxiv, since: datetime, page_size: int, held: int | None = None
) -> FetchResult:
    """Query B alone, as a daily run asks it; `held`: papers the archive holds of it."""
    plan = fetch_plan(None, since, expect_papers=True, revisions_held=held)
    return fetch_papers(plan, settings(page_size=page_size), server.url)


def test_the_last_page_of_a_days_read_is_sized_to_what_is_left(arxiv_server: FakeArxiv) -> None:
    """arXiv answers and the client parses whole pages: after a first page of 200, the 50
    papers left to `since` come in a page of about 126, not another 200."""
    arxiv_server.add(
        *generated_papers(400, first=NOW - timedelta(hours=400), step=timedelta(hours=1))
    )
    result = _revisions(arxiv_server, NOW - timedelta(hours=250, minutes=30), page_size=200)
    assert result.read == len(result.papers) == 250
    sizes = [int(request.params["max_results"]) for request in arxiv_server.requests]
    assert sizes[0] == 200 and 50 < sizes[1] < 200
    assert len(sizes) == 2


def test_a_busier_stretch_than_the_pace_read_costs_one_request_more_at_most(
    arxiv_server: FakeArxiv,
) -> None:
    """The newest 200 papers came one an hour, the 450 before them one a minute: the page
    sized to the hourly pace falls short, and full pages follow."""
    dense = generated_papers(450, first=NOW - timedelta(hours=210), step=timedelta(minutes=1))
    sparse = generated_papers(
        200, first=NOW - timedelta(hours=200), step=timedelta(hours=1), prefix="2602"
    )
    arxiv_server.add(*dense, *sparse)
    result = _revisions(arxiv_server, NOW - timedelta(hours=211), page_size=200)
    assert result.read == len(result.papers) == 650
    sizes = [int(request.params["max_results"]) for request in arxiv_server.requests]
    assert sizes[0] == 200 and sizes[1] < 200 and set(sizes[2:]) == {200}
    assert len(sizes) <= math.ceil(650 / 200) + 1


def test_a_small_fields_daily_read_asks_for_about_what_it_holds(arxiv_server: FakeArxiv) -> None:
    """Holding 10 of the papers updated since `since`, the first page asks for 70, not 200."""
    arxiv_server.add(
        *generated_papers(300, first=NOW - timedelta(hours=300), step=timedelta(hours=1))
    )
    result = _revisions(arxiv_server, NOW - timedelta(hours=30, minutes=30), 200, held=10)
    assert result.read == len(result.papers) == 30
    assert [int(r.params["max_results"]) for r in arxiv_server.requests] == [70]


def test_holding_too_few_costs_one_request_more_at_most(arxiv_server: FakeArxiv) -> None:
    """An estimate far too low: one small page, then full ones, within ⌈results ÷ page⌉ + 1."""
    arxiv_server.add(
        *generated_papers(400, first=NOW - timedelta(hours=400), step=timedelta(hours=1))
    )
    result = _revisions(arxiv_server, NOW - timedelta(hours=300, minutes=30), 200, held=0)
    assert result.read == 300
    sizes = [int(r.params["max_results"]) for r in arxiv_server.requests]
    assert sizes == [50, 200, 200]
    assert len(sizes) <= math.ceil(300 / 200) + 1
