"""The alarm when the digest is stuck: arXiv's calendar, the warning, the issue, the failing run."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.alerts.calendar import Stale, announcement_days, staleness
from digest.config.settings import DEFAULTS, AlertSettings
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, FakePaper, seed_fake_papers, submitted_paper
from tests.fake_github import FAKE_TOKEN, FakeGitHub, FakeIssue, init_backing_repo

# Published 2026-02-12 is the seed's newest paper: a first run on Friday the 13th brings it,
# and nothing arrives after. A 60-day window keeps every paper listed, so quiet days change
# nothing at all.
FIRST = "2026-02-13"  # Friday
QUIET = ["2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17"]  # Sat, Sun, Mon, Tue
THIRD = "2026-02-18"  # Wednesday: the third announcement day without news
ARXIV_2026_HOLIDAYS = [
    date(2026, 1, 1),
    date(2026, 1, 19),
    date(2026, 6, 19),
    date(2026, 7, 3),
    date(2026, 9, 7),
    date(2026, 11, 26),
    date(2026, 12, 25),
    date(2026, 12, 29),
    date(2026, 12, 31),
]


def _settings(**changes: Any) -> AlertSettings:
    return AlertSettings(**{"holidays": (), **changes})


# --- the calendar ----------------------------------------------------------------------------


def test_announcement_days_count_weekdays_that_are_no_holiday() -> None:
    holidays = {date(2026, 2, 17), date(2026, 2, 21), date(2026, 12, 25)}
    start = date(2026, 1, 28)
    for after in (start + timedelta(days=n) for n in range(9)):
        for through in (after + timedelta(days=n) for n in range(-2, 40)):
            expected = sum(
                1
                for n in range(1, (through - after).days + 1)
                if (day := after + timedelta(days=n)).weekday() < 5 and day not in holidays
            )
            assert announcement_days(after, through, holidays) == expected, (after, through)


def test_the_third_quiet_announcement_day_raises_the_second_does_not() -> None:
    friday = date(2026, 2, 13)
    settings = _settings()
    assert staleness(friday, date(2026, 2, 16), settings) is None  # Monday: 1
    assert staleness(friday, date(2026, 2, 17), settings) is None  # Tuesday: 2
    assert staleness(friday, date(2026, 2, 18), settings) == Stale(friday, 3)  # Wednesday
    assert staleness(friday, date(2026, 2, 19), settings) == Stale(friday, 4)


def test_weekends_and_holidays_never_count() -> None:
    wednesday = date(2026, 2, 11)
    settings = _settings()
    assert staleness(wednesday, date(2026, 2, 13), settings) is None  # Thu, Fri: 2
    assert staleness(wednesday, date(2026, 2, 14), settings) is None  # Saturday
    assert staleness(wednesday, date(2026, 2, 15), settings) is None  # Sunday
    assert staleness(wednesday, date(2026, 2, 16), settings) == Stale(wednesday, 3)
    holiday = _settings(holidays=(date(2026, 2, 16),))
    assert staleness(wednesday, date(2026, 2, 16), holiday) is None  # a holiday Monday
    assert staleness(wednesday, date(2026, 2, 17), holiday) == Stale(wednesday, 3)


def test_a_digest_that_never_had_news_never_alarms_and_stale_after_is_honoured() -> None:
    assert staleness(None, date(2026, 12, 1), _settings(stale_after=1)) is None
    assert staleness(date(2026, 2, 13), date(2026, 2, 16), _settings(stale_after=1))
    assert staleness(date(2026, 2, 13), date(2026, 2, 27), _settings(stale_after=11)) is None


def test_the_default_holidays_are_arxivs_published_2026_dates() -> None:
    assert AlertSettings().holidays == tuple(ARXIV_2026_HOLIDAYS)
    assert DEFAULTS["alerts"]["stale_after"] == 3
    # New Year's Day and Martin Luther King Day: the first three quiet days fall later
    assert staleness(date(2025, 12, 31), date(2026, 1, 5), AlertSettings()) is None
    assert staleness(date(2025, 12, 31), date(2026, 1, 6), AlertSettings()) is not None
    assert staleness(date(2026, 1, 15), date(2026, 1, 20), AlertSettings()) is None
    assert staleness(date(2026, 1, 15), date(2026, 1, 21), AlertSettings()) is not None


# --- local runs ------------------------------------------------------------------------------


def _site(root: Path, **alerts: Any) -> Site:
    return Site.create(root, window_days=60, alerts={"stale_after": 3, **alerts})


@pytest.fixture
def quiet_env(arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch) -> FakeArxiv:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_env.set_papers(seed_fake_papers())
    return arxiv_env


def test_the_warning_comes_on_the_third_quiet_announcement_day_and_no_file_changes(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    capsys.readouterr()
    files, stats = site.files(), site.stats()
    for day in QUIET:  # a weekend and two announcement days: no warning yet
        assert site.run(at(day).isoformat()) == 0
        assert "warning" not in capsys.readouterr().err, day
    assert site.run(at(THIRD).isoformat()) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "warning: no new paper on 3 arXiv announcement days in a row; news last arrived on "
        f"{FIRST}: check the query in config.yml and arXiv's status (https://status.arxiv.org)"
    ]
    assert site.run(at("2026-02-21").isoformat()) == 0  # and every run after, weekends too
    assert f"news last arrived on {FIRST}" in capsys.readouterr().err
    assert site.files() == files
    assert site.stats() == stats


def test_a_holiday_does_not_count(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path / "repo", holidays=["2026-02-16"])
    assert site.run(at(FIRST).isoformat()) == 0
    assert site.run(at(THIRD).isoformat()) == 0
    assert "warning" not in capsys.readouterr().err
    assert site.run(at("2026-02-19").isoformat()) == 0
    assert "no new paper on 3 arXiv announcement days" in capsys.readouterr().err


def test_the_warning_is_an_annotation_and_a_job_summary_line(
    tmp_path: Path,
    quiet_env: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    capsys.readouterr()
    assert site.run(at(THIRD).isoformat()) == 0
    out = capsys.readouterr().out
    assert "::warning::no new paper on 3 arXiv announcement days" in out
    assert f"news last arrived on {FIRST}" in summary.read_text(encoding="utf-8")


def test_fail_run_exits_1_with_one_line(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path / "repo", fail_run=True)
    assert site.run(at(FIRST).isoformat()) == 0
    assert site.run(at("2026-02-17").isoformat()) == 0
    capsys.readouterr()
    files = site.files()
    assert site.run(at(THIRD).isoformat()) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: no new paper on 3 arXiv announcement days")
    assert "check the query in config.yml" in err[0] and "alerts.fail_run" in err[0]
    assert site.files() == files


def test_a_query_that_never_brought_papers_never_alarms(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet_env.set_papers([])
    site = _site(tmp_path / "repo", stale_after=1)
    for day in (FIRST, *QUIET, THIRD):
        assert site.run(at(day).isoformat()) == 0
    assert "warning" not in capsys.readouterr().err


def test_news_older_than_the_loaded_window_is_found_on_older_pages(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site.create(tmp_path / "repo", window_days=3, alerts={"stale_after": 3})
    assert site.run(at(FIRST).isoformat()) == 0
    assert site.run(at("2026-03-02").isoformat()) == 0  # the window's papers all left
    assert f"no new paper on 11 arXiv announcement days in a row; news last arrived on {FIRST}" in (
        capsys.readouterr().err
    )


# --- GitHub mode: the issue ------------------------------------------------------------------


@dataclass
class Remote:
    github: FakeGitHub
    backing: Path
    workdir: Path
    runs: int = 0

    def run(self, day: str) -> int:
        """A run from a fresh clone of main, as the workflow does."""
        self.runs += 1
        target = self.workdir / f"checkout-{self.runs}"
        subprocess.run(
            ["git", "clone", "-q", "-b", "main", str(self.backing), str(target)], check=True
        )
        return Site(target).run(at(day).isoformat())


def _remote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **alerts: Any) -> Iterator[Remote]:
    seed = _site(tmp_path / "seed", **alerts)
    files = {name: content.decode("utf-8") for name, content in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    with FakeGitHub(backing) as github:
        monkeypatch.setenv("GITHUB_TOKEN", FAKE_TOKEN)
        monkeypatch.setenv("GITHUB_REPOSITORY", github.repository)
        monkeypatch.setenv("GITHUB_API_URL", github.base_url)
        monkeypatch.setenv("GITHUB_REF_NAME", "main")
        yield Remote(github, backing, tmp_path / "work")


@pytest.fixture
def with_issue(
    tmp_path: Path, quiet_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Remote]:
    yield from _remote(tmp_path, monkeypatch, open_issue=True)


@pytest.fixture
def without_issue(
    tmp_path: Path, quiet_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Remote]:
    yield from _remote(tmp_path, monkeypatch)


def _new_paper(published: str) -> FakePaper:
    moment = at(published, hour=9)
    return submitted_paper(
        "2602.99999",
        moment,
        title="Spiking neural networks on a memristor crossbar",
        abstract="A spiking neural network runs on a memristor crossbar.",
        authors=("A. Author",),
    )


def test_opt_in_opens_one_issue_and_closes_it_when_papers_arrive_again(
    with_issue: Remote, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    github = with_issue.github
    for day in (FIRST, "2026-02-16", "2026-02-17"):
        assert with_issue.run(day) == 0
    assert github.issues == []
    for day in (THIRD, "2026-02-19"):  # stale twice: one issue only
        assert with_issue.run(day) == 0
    assert [(i.number, i.state) for i in github.issues] == [(1, "open")]
    assert github.issues[0].title == "arXiv digest: no new papers"
    assert f"news last arrived on {FIRST}" in github.issues[0].body
    assert len(github.requests_to("POST", r"/issues$")) == 1
    quiet_env.add(_new_paper("2026-02-19"))
    assert with_issue.run("2026-02-20") == 0
    assert [(i.number, i.state) for i in github.issues] == [(1, "closed")]
    assert github.issues[0].comments == [
        "New papers arrived on 2026-02-20: the digest is moving again."
    ]
    assert with_issue.run("2026-02-23") == 0  # news, and no issue left to close
    assert len(github.requests_to("POST", r"/comments$")) == 1
    assert FAKE_TOKEN not in capsys.readouterr().err


def test_without_the_opt_in_no_issue_request_is_made(
    without_issue: Remote, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in (FIRST, THIRD, "2026-02-19"):
        assert without_issue.run(day) == 0
    assert "no new paper on 4 arXiv announcement days" in capsys.readouterr().err
    quiet_env.add(_new_paper("2026-02-19"))
    assert without_issue.run("2026-02-20") == 0
    assert [r for r in without_issue.github.requests if "/issues" in r.path] == []


def test_a_token_without_issues_write_warns_with_the_fix(
    with_issue: Remote, capsys: pytest.CaptureFixture[str]
) -> None:
    with_issue.github.inject(
        "POST",
        r"/issues$",
        status=403,
        body={"message": "Resource not accessible by integration"},
        times=None,
    )
    assert with_issue.run(FIRST) == 0
    capsys.readouterr()
    assert with_issue.run(THIRD) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2  # the stale warning, and why no issue was opened
    assert err[0].startswith("warning: could not open the stale-digest issue: ")
    assert "the workflow asks for 'issues: write' only when alerts.open_issue is true" in err[0]
    assert ".github/workflows/digest.yml is the current one" in err[0]
    assert err[1].startswith("warning: no new paper on 3 arXiv announcement days")
    assert with_issue.github.issues == []


STALE = "arXiv digest: no new papers"
MARKER = "<!-- arxiv-digest:stale -->"
LOOK_ALIKES = {
    "an outsider's pull request": FakeIssue(1, STALE, MARKER, author="mallory", pull_request=True),
    "an outsider's issue with the marker": FakeIssue(1, STALE, f"copied\n{MARKER}", author="eve"),
    "the owner's pull request": FakeIssue(
        1, STALE, MARKER, author="owner", association="OWNER", pull_request=True
    ),
    "an issue with the title alone": FakeIssue(1, STALE, "by hand", association="OWNER"),
}


@pytest.mark.parametrize("look_alike", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_an_issue_or_pull_request_the_bot_did_not_open_is_never_adopted(
    with_issue: Remote, quiet_env: FakeArxiv, look_alike: FakeIssue
) -> None:
    github = with_issue.github
    github.issues.append(look_alike)
    assert with_issue.run(FIRST) == 0
    assert with_issue.run(THIRD) == 0
    assert [(i.number, i.author, i.state) for i in github.issues] == [
        (1, look_alike.author, "open"),
        (2, "github-actions[bot]", "open"),
    ]
    assert MARKER in github.issues[1].body
    quiet_env.add(_new_paper("2026-02-19"))
    assert with_issue.run("2026-02-20") == 0
    assert [(i.state, i.comments) for i in github.issues] == [
        ("open", []),
        ("closed", ["New papers arrived on 2026-02-20: the digest is moving again."]),
    ]


def test_the_issue_a_forkers_own_token_opened_is_recognised(
    with_issue: Remote, quiet_env: FakeArxiv
) -> None:
    """With a personal token, the issue's author is the owner, not github-actions[bot]."""
    github = with_issue.github
    assert with_issue.run(FIRST) == 0
    github.issues.append(FakeIssue(1, STALE, f"stuck\n\n{MARKER}", "open", [], "me", "OWNER"))
    assert with_issue.run(THIRD) == 0
    assert len(github.issues) == 1
    quiet_env.add(_new_paper("2026-02-19"))
    assert with_issue.run("2026-02-20") == 0
    assert github.issues[0].state == "closed"


def test_a_backfill_of_old_days_does_not_hide_a_stuck_digest(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backfill files papers under days long past: that is history, not news, so the digest
    stays stuck until papers arrive for its window."""
    site = Site.create(tmp_path / "repo", window_days=7, alerts={"stale_after": 3})
    assert site.run(at(FIRST).isoformat()) == 0
    capsys.readouterr()
    assert site.run(at(THIRD).isoformat(), "--since", "2026-01-01") == 0
    assert f"news last arrived on {FIRST}" in capsys.readouterr().err, "the backfill run too"
    assert site.run(at(THIRD, hour=9).isoformat()) == 0
    assert f"news last arrived on {FIRST}" in capsys.readouterr().err


def test_a_query_change_that_brings_nothing_new_does_not_reset_the_stuck_clock(
    tmp_path: Path, quiet_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rebuilding the window for a tuned query rewrites its pages; only papers it adds are
    news, so a stuck digest whose owner tweaks the query is still said to be stuck."""
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    config = site.root / "config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["query"] += " OR all:memristive"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert site.run(at(THIRD).isoformat()) == 0
    assert f"news last arrived on {FIRST}" in capsys.readouterr().err
