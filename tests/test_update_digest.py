"""End to end in local mode: the real arxiv client against the local arXiv, day after day."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.digest_site import (
    HAND_WRITTEN,
    Site,
    arrivals,
    at,
    expected_listed,
    expected_window,
    seed_published,
)
from tests.fake_arxiv import FakeArxiv, seed_fake_papers, submitted_paper


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch) -> Site:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "repo")


def test_first_run_pages_through_arxiv_and_lists_the_whole_window(
    site: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    now = at("2026-02-14")
    assert site.run(now.isoformat()) == 0
    listed = site.listed()
    assert {pid for pid, _ in listed} == expected_window(now)
    assert len(listed) == len(set(listed)) > 30  # more than the old script's fixed 30
    assert len(arxiv_env.requests) >= 4  # page_size 10: several pages
    assert all(
        r.user_agent and r.user_agent.startswith("arxiv-digest/") for r in arxiv_env.requests
    )
    assert site.readme().endswith(HAND_WRITTEN)
    assert "List last changed: 2026-02-14 05:00 UTC" in site.tree().text()
    assert {r["id"] for r in site.archived()} == expected_window(now)
    days = sorted({day for day in arrivals([now]).values()})
    pages = [f"archive/{day:%Y}/{day}.md" for day in days]
    assert list(site.files()) == ["README.md", *pages, "config.yml", "feed.xml"]
    for page in pages:  # a first run files each paper under its submission day
        day = page[-13:-3]
        assert {r["id"] for r in site.archived_on(day)} == {
            pid for pid, arrived in arrivals([now]).items() if str(arrived) == day
        }
    out = capsys.readouterr().out
    assert f"new {len(listed)}, updated 0, left the list 0" in out
    assert f"wrote {', '.join(pages)}, feed.xml, README.md" in out


def test_multi_day_simulation(site: Site, arxiv_env: FakeArxiv) -> None:
    """Papers arrive, a v2 replaces its v1, papers leave the window; never a duplicate."""
    day = at("2026-02-02")
    revised_on = at("2026-02-06")
    revised = "2602.04035"
    runs: list[datetime] = []
    while day <= at("2026-02-20"):
        if day == revised_on:
            arxiv_env.revise(revised, title="A Comparative Study, revised")
        assert site.run(day.isoformat()) == 0
        runs.append(day)
        listed = site.listed()
        assert len(listed) == len({pid for pid, _ in listed}), f"duplicate on {day}"
        assert {pid for pid, _ in listed} == expected_listed(runs), day
        if day > revised_on and revised in expected_listed(runs):
            assert (revised, 2) in listed
            assert "A Comparative Study, revised" in site.tree().text()
        day += timedelta(days=1)

    new_ids = Counter(record["id"] for record in site.archived("new"))
    assert max(new_ids.values()) == 1
    assert set(new_ids) == set(arrivals(runs))
    assert [(r["id"], r["version"]) for r in site.archived("updated")] == [(revised, 2)]


def test_a_run_without_news_changes_no_file(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    before, stats = site.files(), site.stats()
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert site.files() == before
    assert site.stats() == stats
    assert "no news: nothing was changed" in capsys.readouterr().out


def test_papers_leaving_the_window_wait_for_the_next_news(site: Site, arxiv_env: FakeArxiv) -> None:
    """Papers leaving are no news: a run without news changes no file, and the next run with
    news lists the window as of its own day."""
    assert site.run(at("2026-02-14").isoformat()) == 0
    before = site.files()
    assert site.run(at("2026-02-28").isoformat()) == 0
    assert site.files() == before
    arxiv_env.add(submitted_paper("2603.00001", at("2026-03-01", hour=9), title="Memristors"))
    assert site.run(at("2026-03-02").isoformat()) == 0
    runs = [at("2026-02-14"), at("2026-03-02")]
    window = {pid for pid, day in arrivals(runs).items() if day >= date(2026, 2, 17)}
    assert {pid for pid, _ in site.listed()} == window | {"2603.00001"}
    assert "List last changed: 2026-03-02 05:00 UTC" in site.tree().text()


def test_dry_run_reports_and_writes_nothing(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    before = site.files()
    assert site.run(at("2026-02-14").isoformat(), "--dry-run") == 0
    assert site.files() == before
    out = capsys.readouterr().out
    assert "dry run: would write archive/2026/2026-02-01.md" in out
    assert "feed.xml, README.md\n" in out


def test_config_change_rerenders_without_news(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    config = site.root / "config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("Open Neuromorphic", "My Field"),
        encoding="utf-8",
    )
    assert site.run(at("2026-02-14", hour=6).isoformat()) == 0
    assert site.tree().find_all("h1")[0].text() == "🧠 My Field - Daily ArXiv"


def test_a_second_run_with_news_on_the_same_day_adds_to_that_days_page(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    first = {record["id"] for record in site.archived()}
    arxiv_env.add(
        submitted_paper(
            "2602.13000",
            at("2026-02-14", hour=6),
            title="A late arrival",
            abstract="A memristor crossbar array.",
            authors=("A. Author",),
        )
    )
    pages = sorted(p.name for p in (site.root / "archive/2026").iterdir())
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert sorted(p.name for p in (site.root / "archive/2026").iterdir()) == sorted(
        {*pages, "2026-02-14.md"}
    )
    assert {record["id"] for record in site.archived()} == first | {"2602.13000"}
    assert [r["id"] for r in site.archived_on("2026-02-14")][-1] == "2602.13000"


def test_changed_topics_recategorize_archived_papers_on_the_next_run(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    topics = [h.text() for h in site.tree().find_all("h2")]
    assert len(topics) > 2  # three topics and the hand-written section
    config = site.root / "config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["relevance"]["min_score"] = 1000  # no paper scores that high: all go to fallback
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    assert site.run(at("2026-02-14", hour=6).isoformat()) == 0
    topics = [h.text() for h in site.tree().find_all("h2")]
    assert topics == ["📂 General / Uncategorized", "About this repository"]


def test_papers_announced_before_the_first_run_never_arrive_later(
    tmp_path: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    short = Site.create(tmp_path / "short", window_days=3, lookback_days=2)
    assert short.run(at("2026-02-13").isoformat()) == 0  # a Friday: the window from 10 Feb
    first = {r["id"] for r in short.archived()}
    assert first and all(seed_published()[pid] >= date(2026, 2, 10) for pid in first)
    capsys.readouterr()
    assert short.run(at("2026-02-16").isoformat()) == 0  # Monday: the weekly 38-day sweep
    assert "a weekly late-paper sweep" in capsys.readouterr().out
    assert {r["id"] for r in short.archived()} == first, "January's papers were announced before"


def test_a_window_longer_than_the_fetch_reaches_keeps_every_paper_listed(
    tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """window_days may be up to 365: a run reads every page of the window, however far its
    fetch reaches back (38 days here), so a paper stays listed for the whole window."""
    arxiv_env.set_papers(seed_fake_papers())
    site = Site.create(tmp_path / "long", window_days=60)
    assert site.run(at("2026-02-14").isoformat()) == 0
    late = submitted_paper(
        "2603.00042",
        at("2026-03-09"),
        title="Spiking neural networks in March",
        abstract="A spiking neural network on neuromorphic hardware.",
        authors=("A. Author",),
        primary_category="cs.NE",
    )
    arxiv_env.add(late)
    capsys.readouterr()
    assert site.run(at("2026-03-10").isoformat()) == 0
    assert "new 1, updated 0, left the list 0; the README lists 82" in capsys.readouterr().out
    linked = {
        str(a.attrs["href"]).removeprefix("https://arxiv.org/abs/").rsplit("v", 1)[0]
        for a in site.tree().find_all("a")
    }
    assert set(seed_published()) <= linked, "January's papers are still listed"


def test_left_the_list_counts_what_left_since_the_readme_last_changed(
    site: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    """Runs without news keep the list; the next run with news reports every paper that left
    since, once."""
    assert site.run(at("2026-02-13").isoformat()) == 0
    before = {pid for pid, _ in site.listed()}
    for day in ("2026-02-16", "2026-02-17"):
        capsys.readouterr()
        assert site.run(at(day).isoformat()) == 0
        assert "new 0, updated 0, left the list 0;" in capsys.readouterr().out
        assert {pid for pid, _ in site.listed()} == before
    arxiv_env.add(submitted_paper("2602.17001", at("2026-02-17", hour=9), title="Memristors"))
    capsys.readouterr()
    assert site.run(at("2026-02-18").isoformat()) == 0
    after = {pid for pid, _ in site.listed()}
    assert "2602.17001" in after and before - after
    assert f"new 1, updated 0, left the list {len(before - after)};" in capsys.readouterr().out
    capsys.readouterr()
    assert site.run(at("2026-02-18", hour=9).isoformat()) == 0
    assert "left the list 0;" in capsys.readouterr().out
