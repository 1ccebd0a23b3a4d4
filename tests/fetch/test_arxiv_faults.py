"""arXiv misbehaves every month: each fault is retried or reported, never corrupting the digest."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from digest.config.settings import ArxivSettings, parse
from digest.fetch import FetchResult, fetch_papers
from digest.plan import FetchSpan
from tests.digest_site import FAST_ARXIV, Site, at, expected_listed
from tests.factories import fetch_plan
from tests.fake_arxiv import FakeArxiv, FakePaper, Fault, seed_fake_papers, submitted_paper

NOW = at("2026-02-14")
SPAN = FetchSpan(NOW - timedelta(days=14), NOW)


@pytest.fixture
def server(arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch) -> FakeArxiv:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_env.set_papers(seed_fake_papers())
    return arxiv_env


def fetch(server: FakeArxiv, *, expect_papers: bool = False, **overrides: object) -> FetchResult:
    plan = fetch_plan(SPAN, NOW - timedelta(days=2), expect_papers=expect_papers)
    return fetch_papers(plan, parse(FAST_ARXIV | overrides, ArxivSettings), server.url)


@pytest.fixture
def reference(server: FakeArxiv) -> FetchResult:
    """What a fetch without any fault returns."""
    result = fetch(server)
    server.clear_requests()
    return result


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


TRANSIENT = {
    "503": Fault.http(503),
    "429 with Retry-After": Fault.http(429, retry_after=1),
    "502": Fault.http(502),
    "time-out": Fault.slow(4),
    "answer trickling past the time-out": Fault.trickle(2000),
    "dropped connection": Fault.drop(),
    "connection cut mid-body": Fault.cut_connection(0.5),
    "HTML page with status 200": Fault.html_page(),
    "an Atom entry instead of a feed": Fault.lone_entry(),
    "truncated XML": Fault.truncated(0.6),
    "empty page mid-paging": Fault.empty_page(),
}


@pytest.mark.parametrize("fault", TRANSIENT.values(), ids=TRANSIENT.keys())
@pytest.mark.parametrize("at_request", [0, 2], ids=["first page", "third page"])
def test_a_passing_fault_is_retried_and_the_fetch_is_complete(
    server: FakeArxiv, reference: FetchResult, fault: Fault, at_request: int
) -> None:
    if at_request:
        server.fail_next(Fault.ok(), times=at_request)
    server.fail_next(fault)
    assert fetch(server).papers == reference.papers
    assert server.pending_faults == 0


def test_retry_after_is_honoured(server: FakeArxiv) -> None:
    server.fail_next(Fault.http(429, retry_after=2))
    fetch(server)
    first, second = server.requests[:2]
    assert second.time - first.time >= 1.9


def test_wrong_total_results_still_fetches_everything(
    server: FakeArxiv, reference: FetchResult
) -> None:
    server.fail_next(Fault.wrong_total(-25))
    assert fetch(server).papers == reference.papers


def test_a_feed_giving_its_total_after_its_entries_is_read_whole(
    server: FakeArxiv, reference: FetchResult
) -> None:
    server.fail_always(Fault.total_last())
    result = fetch(server)
    assert result.papers == reference.papers
    assert result.requests == reference.requests


def test_an_outage_longer_than_the_budget_fails_and_changes_nothing(
    tmp_path: Path, server: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site.create(tmp_path / "site", arxiv={"retry_budget_seconds": 1})
    assert site.run((NOW - timedelta(days=1)).isoformat()) == 0
    before, stats = site.files(), site.stats()
    server.fail_always(Fault.http(503))
    assert site.run(NOW.isoformat()) == 1
    assert site.files() == before and site.stats() == stats
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("error:")]
    assert len(errors) == 1 and err[-1] == errors[0]  # retries are noted before it
    assert "arXiv kept failing for the whole retry budget" in errors[0]
    assert "HTTP 503" in errors[0] and server.url in errors[0]
    assert len(server.requests) > 2  # it did retry


def test_a_bad_query_is_a_config_error_with_arxivs_message(
    tmp_path: Path, server: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site.create(tmp_path / "site")
    before = site.files()
    server.fail_next(Fault.bad_query("unbalanced parenthesis in query"))
    assert site.run(NOW.isoformat()) == 2
    assert site.files() == before
    assert len(server.requests) == 1  # HTTP 400 is never retried
    err = capsys.readouterr().err
    assert "unbalanced parenthesis in query" in err and "'query' setting in config.yml" in err


def test_an_empty_answer_is_retried_then_warned(
    server: FakeArxiv, caplog: pytest.LogCaptureFixture
) -> None:
    server.fail_always(Fault.empty_page(total_results=0))
    assert fetch(server, expect_papers=True).papers == ()
    # query A: the first try and arxiv.empty_result_retries = 2; then query B
    assert [r.params["sortBy"] for r in server.requests] == [
        *["submittedDate"] * 3,
        "lastUpdatedDate",
    ]
    assert any(
        "arXiv answered no papers although earlier runs found papers" in warning
        for warning in _warnings(caplog)
    )


def test_an_empty_answer_keeps_the_window(tmp_path: Path, server: FakeArxiv) -> None:
    site = Site.create(tmp_path / "site")
    assert site.run(NOW.isoformat()) == 0
    listed = site.listed()
    before = site.files()
    server.fail_always(Fault.empty_page(total_results=0))
    assert site.run((NOW + timedelta(hours=3)).isoformat()) == 0
    assert site.files() == before
    assert site.listed() == listed


def test_a_quiet_query_is_not_an_error(tmp_path: Path, server: FakeArxiv) -> None:
    server.set_papers([])
    site = Site.create(tmp_path / "site")
    assert site.run(NOW.isoformat()) == 0
    assert len(server.requests) == 1
    assert "No papers were added in the last 14 days." in site.tree().text()


def _daily(site: Site, server: FakeArxiv, first: str, last: str, down: set[str]) -> None:
    day, end = at(first), at(last)
    while day <= end:
        if day.date().isoformat() in down:
            server.fail_always(Fault.http(503))
            before = site.files()
            assert site.run(day.isoformat()) == 1
            assert site.files() == before
            server.clear_faults()
        else:
            assert site.run(day.isoformat()) == 0
        day += timedelta(days=1)


def test_after_a_five_day_outage_every_paper_arrives_once_and_nothing_is_lost(
    tmp_path: Path, server: FakeArxiv
) -> None:
    steady = Site.create(tmp_path / "steady", lookback_days=2, arxiv={"retry_budget_seconds": 0.2})
    outage = Site.create(tmp_path / "outage", lookback_days=2, arxiv={"retry_budget_seconds": 0.2})
    _daily(steady, server, "2026-02-01", "2026-02-14", down=set())
    down = {f"2026-02-{day:02d}" for day in range(6, 11)}
    _daily(outage, server, "2026-02-01", "2026-02-14", down=down)
    # The same papers, each once; those the outage held back arrived (and stay) later.
    assert sorted(outage.listed()) == sorted(steady.listed())
    daily = [at(f"2026-02-{day:02d}") for day in range(1, 15)]
    assert {pid for pid, _ in outage.listed()} == expected_listed(daily)
    held_back = {r["id"] for r in outage.archived_on("2026-02-11")}
    assert held_back == {r["id"] for day in [*down, "2026-02-11"] for r in steady.archived_on(day)}
    assert sorted(r["id"] for r in outage.archived()) == sorted(r["id"] for r in steady.archived())


def test_hostile_text_from_arxiv_keeps_readme_and_archive_intact(
    tmp_path: Path, server: FakeArxiv
) -> None:
    hostile = FakePaper(
        arxiv_id="2602.99999",
        title="<script>alert(1)</script> <!-- digest:end --> | *x* ]( `y` \u202eevil",
        authors=("</details> Ünï", "Émoji 🧠", "עברית", "x" * 300),
        abstract="Line one\n\n# heading\n- list\n<img src=x onerror=alert(1)> $\\alpha_2$ "
        + "z" * 10000,
        published=NOW - timedelta(days=1),
        updated=NOW - timedelta(days=1),
        comment="<b>10 pages</b>",
    )
    server.add(hostile)
    site = Site.create(tmp_path / "site")
    assert site.run(NOW.isoformat()) == 0
    tree = site.tree()
    assert "script" not in tree.tags() and "img" not in tree.tags() and "details" not in tree.tags()
    assert [pid for pid, _ in site.listed()].count("2602.99999") == 1
    assert site.readme().count("<!-- digest:end -->") == 1
    assert "\u202e" not in site.readme()
    record = next(r for r in site.archived() if r["id"] == "2602.99999")
    assert record["authors"][2] == "עברית" and record["comment"] == "<b>10 pages</b>"
    assert site.run((NOW + timedelta(hours=1)).isoformat()) == 0  # the archive reads back


def test_a_damaged_archive_page_stops_the_run_naming_it(
    tmp_path: Path, server: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site.create(tmp_path / "site")
    assert site.run(NOW.isoformat()) == 0
    page = sorted((site.root / "archive/2026").glob("*.md"))[-1]
    page.write_text(
        page.read_text(encoding="utf-8").replace('"last_run":', '"lost_run":'), encoding="utf-8"
    )
    before = site.files()
    assert site.run((NOW + timedelta(days=1)).isoformat()) == 1
    assert site.files() == before
    assert str(page) in capsys.readouterr().err


def test_catch_up_finds_papers_announced_late_during_an_outage(
    tmp_path: Path, server: FakeArxiv
) -> None:
    """A paper submitted just before the last good run but announced after it, during an outage
    longer than lookback_days, still reaches the list."""
    site = Site.create(tmp_path / "site", lookback_days=2, arxiv={"retry_budget_seconds": 0.2})
    last_good = at("2026-02-05")
    assert site.run(last_good.isoformat()) == 0
    late = submitted_paper(
        "2602.77777",
        last_good - timedelta(hours=6),
        title="Announced late",
        abstract="A memristor crossbar.",
        authors=("A. Author",),
    )
    server.add(late)
    _daily(
        site, server, "2026-02-06", "2026-02-12", down={f"2026-02-{d:02d}" for d in range(6, 12)}
    )
    assert ("2602.77777", 1) in site.listed()


def test_a_total_that_stays_too_high_ends_with_a_warning_not_a_failure(
    server: FakeArxiv, reference: FetchResult, caplog: pytest.LogCaptureFixture
) -> None:
    server.fail_always(Fault.wrong_total(5))
    assert fetch(server).papers == reference.papers
    assert any("arXiv promised" in warning for warning in _warnings(caplog))


ODD_BUT_LEGAL = {
    "Retry-After date with -0000": Fault.http(503, retry_after="Wed, 04 Feb 2026 05:00:10 -0000"),
    "Retry-After date without a zone": Fault.http(503, retry_after="Wed, 04 Feb 2026 05:00:10"),
    "Retry-After in superscript digits": Fault.http(429, retry_after="²"),
    "negative Retry-After": Fault.http(429, retry_after="-5"),
    "Retry-After in year 1": Fault.http(503, retry_after="Mon, 01 Jan 0001 00:00:00 GMT"),
    "Retry-After with an impossible zone": Fault.http(
        503, retry_after="Wed, 04 Feb 2026 05:00:10 +9999"
    ),
    "totalResults in superscript digits": Fault.odd_total("¹"),
    "totalResults in Arabic-Indic digits": Fault.odd_total("١٢"),
    "negative totalResults": Fault.odd_total("-5"),
    "totalResults of 4,300 digits": Fault.odd_total("9" * 4300),
    "totalResults as a fraction": Fault.odd_total("12.5"),
}


@pytest.mark.parametrize("fault", ODD_BUT_LEGAL.values(), ids=ODD_BUT_LEGAL.keys())
def test_an_odd_answer_is_retried_with_the_bots_own_backoff(
    server: FakeArxiv, reference: FetchResult, fault: Fault, caplog: pytest.LogCaptureFixture
) -> None:
    server.fail_next(fault)
    assert fetch(server).papers == reference.papers
    first, second = server.requests[:2]
    assert second.time - first.time < 1.5  # FAST_ARXIV's backoff, not a date long past or odd
    assert len(_warnings(caplog)) == 1


def test_an_absurd_total_is_called_implausible_not_a_query_to_narrow(
    tmp_path: Path, server: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site.create(tmp_path / "site", arxiv={"retry_budget_seconds": 0.2})
    before = site.files()
    server.fail_always(Fault.odd_total(str(10**12)))
    assert site.run(NOW.isoformat()) == 1
    assert site.files() == before
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "implausible answer (totalResults 1000000000000, more than arXiv holds)" in errors[0]
    assert "narrow" not in errors[0]


def test_a_retry_after_beyond_the_budget_says_so_at_once(
    server: FakeArxiv, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = Site.create(tmp_path / "site")
    server.fail_next(Fault.http(429, retry_after="99999999999999"))
    assert site.run(NOW.isoformat()) == 1
    assert len(server.requests) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert (
        "asked to wait 99999999999999 s (Retry-After), more than is left of the retry"
        in (errors[0])
    )
