"""The fake arXiv must look like arXiv to the real `arxiv` client, or tests built on it lie."""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import arxiv
import pytest
import requests

from tests.fake_arxiv import (
    ATOM_CONTENT_TYPE,
    FakeArxiv,
    FakePaper,
    Fault,
    generated_papers,
    seed_fake_papers,
)

ATOM = "{http://www.w3.org/2005/Atom}"
T0 = datetime(2026, 2, 2, 9, 30, tzinfo=UTC)


class _TimeoutSession(requests.Session):
    """A session whose requests default to a timeout, as the app is meant to give its client."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


def make_client(
    server: FakeArxiv, *, num_retries: int = 0, timeout: float | None = None
) -> arxiv.Client:
    client = arxiv.Client(page_size=10, delay_seconds=0, num_retries=num_retries)
    client.query_url_format = server.url + "?{}"
    if timeout is not None:
        client._session = _TimeoutSession(timeout)
    return client


def make_search(
    query: str = "cat:cs.NE", order: arxiv.SortOrder = arxiv.SortOrder.Descending
) -> arxiv.Search:
    return arxiv.Search(
        query=query, max_results=1000, sort_by=arxiv.SortCriterion.SubmittedDate, sort_order=order
    )


def fetch(server: FakeArxiv, query: str = "cat:cs.NE", **client_args: Any) -> list[arxiv.Result]:
    return list(make_client(server, **client_args).results(make_search(query)))


def paper(n: int, published: datetime = T0, **overrides: Any) -> FakePaper:
    fields: dict[str, Any] = {
        "arxiv_id": f"2602.{n:05d}",
        "title": f"Paper {n}",
        "authors": ("A. Author",),
        "abstract": f"Abstract {n}.",
        "published": published,
        "updated": published,
    }
    fields.update(overrides)
    return FakePaper(**fields)


def numbered(count: int) -> list[FakePaper]:
    """`count` papers one minute apart, newest has the highest number."""
    return [paper(n, T0 + timedelta(minutes=n)) for n in range(1, count + 1)]


def window(lo: datetime, hi: datetime) -> str:
    return f"submittedDate:[{lo:%Y%m%d%H%M} TO {hi:%Y%m%d%H%M}]"


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 (our own fake's output, not untrusted input)


def raw_get(server: FakeArxiv, **params: str) -> requests.Response:
    return requests.get(server.url, params=params, timeout=5)


# Format


def test_every_field_survives_the_real_client(arxiv_server: FakeArxiv) -> None:
    title = "Spikes & <Gates>: \"q\" 's' $\\alpha<\\beta$ \\& 🧠 שלום عربي\x00\x0b\x1f\ufffe\n  end"
    abstract = " First line\n  <b>not markup</b> & $x<y$ \\emph{TeX}\x07\nlast line "
    full = paper(
        1,
        version=3,
        title=title,
        abstract=abstract,
        authors=("Ada Lovelace", "J. O'Brien & <Sons>", "محمد علي"),
        updated=T0 + timedelta(days=9),
        primary_category="cs.NE",
        categories=("cs.LG", "q-bio.NC"),
        comment="12 pages, <5 figures> & code",
        journal_ref="Neural Comput. 38 (2026) 1-20",
        doi="10.1162/neco_a_01234",
    )
    bare = paper(2, published=T0 - timedelta(hours=1))
    arxiv_server.add(full, bare)

    first, second = fetch(arxiv_server)

    assert first.entry_id == "http://arxiv.org/abs/2602.00001v3" == full.entry_id
    assert first.get_short_id() == "2602.00001v3"
    assert first.title == "Spikes & <Gates>: \"q\" 's' $\\alpha<\\beta$ \\& 🧠 שלום عربي end"
    assert first.summary == " First line\n  <b>not markup</b> & $x<y$ \\emph{TeX}\nlast line "
    assert [a.name for a in first.authors] == list(full.authors)
    assert all(a.affiliation == [] for a in first.authors)
    assert first.published == T0 and first.published.tzinfo is not None
    assert first.updated == T0 + timedelta(days=9)
    assert first.primary_category == "cs.NE"
    assert first.categories == ["cs.NE", "cs.LG", "q-bio.NC"]
    assert first.comment == "12 pages, <5 figures> & code"
    assert first.journal_ref == "Neural Comput. 38 (2026) 1-20"
    assert first.doi == "10.1162/neco_a_01234"
    assert first.pdf_url == "https://arxiv.org/pdf/2602.00001v3"
    assert [link.href for link in first.links] == [
        "https://arxiv.org/abs/2602.00001v3",
        "https://arxiv.org/pdf/2602.00001v3",
        "https://doi.org/10.1162/neco_a_01234",
    ]
    assert (second.comment, second.journal_ref, second.doi) == (None, None, None)
    assert second.entry_id == "http://arxiv.org/abs/2602.00002v1"


def test_feed_has_arxivs_shape(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(
        paper(1, categories=("cs.NE", "cs.AI"), comment="c", journal_ref="j", doi="10.1/x"),
        paper(2, T0 - timedelta(hours=1), authors=("A", "B")),
    )
    response = raw_get(arxiv_server, search_query="all:x", max_results="1", sortBy="submittedDate")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == ATOM_CONTENT_TYPE
    body = response.content
    assert body.count(b"xmlns") == 3 and body.index(b"xmlns:arxiv") < body.index(b"<entry>")
    root = parse_xml(body)
    assert root.tag == f"{ATOM}feed"
    local = [re.sub(r"^\{.*\}", "", child.tag) for child in root]
    assert local == [
        "id",
        "title",
        "updated",
        "link",
        "itemsPerPage",
        "totalResults",
        "startIndex",
        "entry",
    ]
    assert [child.text for child in root][4:7] == ["1", "2", "0"]
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert [re.sub(r"^\{.*\}", "", child.tag) for child in entry] == [
        "id",
        "title",
        "updated",
        "link",
        "link",
        "summary",
        "category",
        "category",
        "published",
        "comment",
        "primary_category",
        "journal_ref",
        "author",
        "doi",
        "link",
    ]
    assert entry.findtext(f"{ATOM}id") == "http://arxiv.org/abs/2602.00001v1"


# Queries


def test_paging_returns_every_match_once_newest_first(arxiv_server: FakeArxiv) -> None:
    seeds = seed_fake_papers()
    arxiv_server.add(*seeds)

    results = fetch(arxiv_server)

    expected = sorted(seeds, key=lambda p: p.published, reverse=True)
    assert [r.entry_id for r in results] == [p.entry_id for p in expected]
    requests_seen = arxiv_server.requests
    assert [r.params["start"] for r in requests_seen] == [str(n) for n in range(0, 81, 10)]
    assert {r.params["max_results"] for r in requests_seen} == {"10"}
    assert {r.params["sortBy"] for r in requests_seen} == {"submittedDate"}
    assert {r.user_agent for r in requests_seen} == {arxiv._USER_AGENT}


def test_ascending_order_breaks_ties_by_id(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(paper(3), paper(1), paper(2, T0 - timedelta(days=1)), *numbered(12)[3:])

    client = make_client(arxiv_server)
    results = list(client.results(make_search(order=arxiv.SortOrder.Ascending)))

    ids = [r.get_short_id() for r in results]
    assert ids[:3] == ["2602.00002v1", "2602.00001v1", "2602.00003v1"]
    assert ids[3:] == [f"2602.{n:05d}v1" for n in range(4, 13)]


def test_submitted_date_window_is_inclusive_to_the_minute(arxiv_server: FakeArxiv) -> None:
    lo, hi = datetime(2026, 2, 3, 0, 0, tzinfo=UTC), datetime(2026, 2, 3, 23, 59, tzinfo=UTC)
    arxiv_server.add(
        paper(1, lo - timedelta(seconds=1)),
        paper(2, lo),
        paper(3, hi + timedelta(seconds=59)),
        paper(4, hi + timedelta(minutes=1)),
    )

    results = fetch(arxiv_server, f"cat:cs.NE AND {window(lo, hi)}")

    assert [r.get_short_id() for r in results] == ["2602.00003v1", "2602.00002v1"]
    assert arxiv_server.requests[0].submitted_range == (lo, hi)


def test_window_over_seeds_matches_fixture_dates(arxiv_server: FakeArxiv) -> None:
    seeds = seed_fake_papers()
    arxiv_server.add(*seeds)
    lo, hi = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 2, 3, 23, 59, tzinfo=UTC)

    results = fetch(arxiv_server, f"cat:cs.NE AND {window(lo, hi)}")

    expected = {p.entry_id for p in seeds if lo <= p.published <= hi + timedelta(seconds=59)}
    assert len(expected) > 10  # spans pages
    assert [r.entry_id for r in results] == sorted(
        expected, key=lambda e: next(p.published for p in seeds if p.entry_id == e), reverse=True
    )


def test_latest_version_replaces_older(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(paper(1), paper(1, version=2, title="Second", updated=T0 + timedelta(days=2)))
    arxiv_server.add(paper(1, title="Stale v1"))
    revised = arxiv_server.revise("2602.00001", title="Third")

    (result,) = fetch(arxiv_server)

    assert revised.version == 3 and revised.updated == T0 + timedelta(days=3)
    assert result.get_short_id() == "2602.00001v3"
    assert (result.title, result.published, result.updated) == ("Third", T0, revised.updated)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"max_results": "2001"}, "max_results may not exceed 2000"),
        ({"start": "-1"}, "start must be non-negative"),
        ({"search_query": "submittedDate:[20260101 TO 20260102]"}, "malformed submittedDate"),
        ({"search_query": "submittedDate:[202613010000 TO 202601020000]"}, "invalid submittedDate"),
        ({"sortBy": "date"}, "unknown sortBy"),
    ],
)
def test_queries_arxiv_refuses_get_its_error_feed(
    arxiv_server: FakeArxiv, params: dict[str, str], message: str
) -> None:
    response = raw_get(arxiv_server, **params)

    assert response.status_code == 400
    entries = parse_xml(response.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Error"]
    assert message in (entries[0].findtext(f"{ATOM}summary") or "")


# Faults, as the client sees them


def test_http_errors_raise_and_are_retried(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_next(Fault.http(503))
    with pytest.raises(arxiv.HTTPError) as excinfo:
        fetch(arxiv_server)
    assert excinfo.value.status == 503

    arxiv_server.fail_next(Fault.http(503), times=2)
    assert len(fetch(arxiv_server, num_retries=2)) == 3
    faults = [r.fault for r in arxiv_server.requests]
    assert faults == [Fault.http(503), Fault.http(503), Fault.http(503), None]


def test_rate_limit_sends_retry_after_and_client_ignores_it(arxiv_server: FakeArxiv) -> None:
    arxiv_server.fail_next(Fault.http(429, retry_after=30))
    response = raw_get(arxiv_server)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")

    arxiv_server.add(paper(1))
    arxiv_server.fail_next(Fault.http(429, retry_after=30))
    started = time.monotonic()
    assert len(fetch(arxiv_server, num_retries=1)) == 1
    assert time.monotonic() - started < 5  # retried at once: Retry-After is not honoured


def test_bad_query_fault_is_a_400(arxiv_server: FakeArxiv) -> None:
    arxiv_server.fail_next(Fault.bad_query("syntax error near 'AND'"))
    with pytest.raises(arxiv.HTTPError) as excinfo:
        fetch(arxiv_server)
    assert excinfo.value.status == 400


def test_html_page_and_empty_first_page_give_zero_results_silently(
    arxiv_server: FakeArxiv,
) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_next(Fault.html_page())
    arxiv_server.fail_next(Fault.empty_page(total_results=3))

    assert fetch(arxiv_server, num_retries=3) == []
    assert fetch(arxiv_server, num_retries=3) == []
    assert len(arxiv_server.requests) == 2  # neither is retried


def test_empty_middle_page_raises(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(25))
    arxiv_server.fail_next(Fault.ok())
    arxiv_server.fail_next(Fault.empty_page())

    with pytest.raises(arxiv.UnexpectedEmptyPageError):
        fetch(arxiv_server)


def test_wrong_total_results(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(25))
    arxiv_server.fail_next(Fault.wrong_total(-10))  # 15: stops after the page that passes it
    assert len(fetch(arxiv_server)) == 20

    arxiv_server.fail_next(Fault.wrong_total(+10))  # 35: asks for start=25 and finds nothing
    with pytest.raises(arxiv.UnexpectedEmptyPageError):
        fetch(arxiv_server)
    assert arxiv_server.requests[-1].params["start"] == "25"


def test_truncated_page_is_invalid_xml_but_the_client_carries_on(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(25))
    params = {"search_query": "cat:cs.NE", "sortBy": "submittedDate", "max_results": "10"}
    whole = raw_get(arxiv_server, **params).content
    cut = whole.index(b"<summary>", whole.index(b"<entry>", whole.index(b"<entry>") + 1)) + 12

    arxiv_server.fail_next(Fault.truncated(cut / len(whole)))
    response = raw_get(arxiv_server, **params)
    assert int(response.headers["Content-Length"]) == len(response.content) < len(whole)
    with pytest.raises(ET.ParseError):
        parse_xml(response.content)

    # lxml's recover mode keeps the complete first entry; paging resumes after it.
    arxiv_server.fail_next(Fault.truncated(cut / len(whole)))
    results = fetch(arxiv_server)
    assert len({r.entry_id for r in results}) == len(results) == 25
    assert [r.params["start"] for r in arxiv_server.requests[-4:]] == ["0", "1", "11", "21"]


def test_truncation_inside_an_entry_can_yield_a_broken_result(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(paper(1, authors=("A. Author", "B. Author")))
    whole = raw_get(arxiv_server).content

    after_published = whole.index(b"</published>") + len(b"</published>")
    arxiv_server.fail_next(Fault.truncated(after_published / len(whole)))
    (broken,) = fetch(arxiv_server)
    assert (broken.authors, broken.primary_category) == ([], "")

    inside_published = whole.index(b"<published>") + len(b"<published>2026-0")
    arxiv_server.fail_next(Fault.truncated(inside_published / len(whole)))
    with pytest.raises(ValueError, match="isoformat"):
        fetch(arxiv_server)


def test_cut_connection_raises_chunked_encoding_error_unretried(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_next(Fault.cut_connection())

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        fetch(arxiv_server, num_retries=3)
    assert len(arxiv_server.requests) == 1


def test_dropped_connection_is_a_retried_connection_error(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_next(Fault.drop())
    with pytest.raises(requests.exceptions.ConnectionError):
        fetch(arxiv_server)

    arxiv_server.fail_next(Fault.drop())
    assert len(fetch(arxiv_server, num_retries=1)) == 3


def test_slow_answer_trips_read_timeout_unretried(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_next(Fault.slow(2))

    with pytest.raises(requests.exceptions.ReadTimeout):
        fetch(arxiv_server, num_retries=3, timeout=0.2)
    assert len(arxiv_server.requests) == 1


def test_trickle_sends_headers_at_once_and_the_page_slowly(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(paper(1))
    whole = raw_get(arxiv_server).content
    arxiv_server.fail_next(Fault.trickle(len(whole) * 2))  # about half a second
    started = time.monotonic()
    with requests.get(arxiv_server.url, stream=True, timeout=0.3) as response:
        assert response.status_code == 200 and time.monotonic() - started < 0.3
        first = response.raw.read1(100000)
        body = first + response.raw.read()
    assert len(first) < len(whole) and body == whole
    assert 0.4 < time.monotonic() - started < 2  # each read got data within 0.3 s


def test_stop_is_prompt_while_a_handler_trickles() -> None:
    with FakeArxiv([paper(1)]) as server:
        server.fail_next(Fault.trickle(10))
        with pytest.raises(requests.exceptions.ConnectionError, match="Read timed out"):
            requests.get(server.url, timeout=(1, 0.01))
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert server.errors == []


def test_odd_entries_as_the_client_sees_them(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(
        paper(1, title="  ", quirks=frozenset({"no_summary", "no_authors"})),
        paper(2, T0 - timedelta(hours=1), quirks=frozenset({"unversioned_id"})),
    )
    body = raw_get(arxiv_server, max_results="10").content
    assert body.count(b"<summary>") == 1 and body.count(b"<author>") == 1
    odd, unversioned = fetch(arxiv_server)
    assert (odd.title, odd.summary, odd.authors) == (" ", "", [])  # whitespace collapsed
    assert unversioned.entry_id == "http://arxiv.org/abs/2602.00002"
    assert unversioned.entry_id == arxiv_server.papers[1].entry_id


def test_generated_papers_are_distinct_and_evenly_spaced() -> None:
    papers = generated_papers(3, first=T0, step=timedelta(hours=2), prefix="2603")
    assert [p.short_id for p in papers] == ["2603.00001v1", "2603.00002v1", "2603.00003v1"]
    assert [p.published for p in papers] == [T0, T0 + timedelta(hours=2), T0 + timedelta(hours=4)]


def test_stop_is_prompt_while_a_handler_sleeps() -> None:
    with FakeArxiv([paper(1)]) as server:
        server.fail_next(Fault.slow(30))
        with pytest.raises(requests.exceptions.ReadTimeout):
            fetch(server, timeout=0.2)
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert server.errors == []


def test_outage_until_cleared_and_queue_goes_first(arxiv_server: FakeArxiv) -> None:
    arxiv_server.add(*numbered(3))
    arxiv_server.fail_always(Fault.http(503))
    with pytest.raises(arxiv.HTTPError):
        fetch(arxiv_server, num_retries=3)
    assert len(arxiv_server.requests) == 4

    arxiv_server.fail_next(Fault.ok())
    assert len(fetch(arxiv_server)) == 3
    with pytest.raises(arxiv.HTTPError):
        fetch(arxiv_server)

    arxiv_server.clear_faults()
    assert len(fetch(arxiv_server)) == 3
    assert arxiv_server.pending_faults == 0


# Seeds and fixtures


def test_seed_papers() -> None:
    seeds = seed_fake_papers(primary_category="cs.LG")

    assert len(seeds) == 81 == len({p.arxiv_id for p in seeds})
    first = seeds[0]
    assert first.short_id == "2601.23044v1"
    assert first.published == datetime(2026, 1, 30, 12, 4, tzinfo=UTC) == first.updated
    assert (first.primary_category, first.categories) == ("cs.LG", ("cs.LG",))
    assert first.authors == ("Chaehyeon Lim", "Hyungchul Park", "Beomjoon Chae")
    revised = [p for p in seeds if p.version > 1]
    assert len(revised) == 4
    assert all(p.updated == p.published + timedelta(days=1) for p in revised)
    assert all(8 <= p.published.hour < 18 for p in seeds)


def test_arxiv_env_points_the_app_at_the_fake(arxiv_env: FakeArxiv) -> None:
    assert os.environ["ARXIV_API_URL"] == arxiv_env.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/query", arxiv_env.url)
