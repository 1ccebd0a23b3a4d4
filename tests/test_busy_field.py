"""A cs.AI-sized fork, end to end: 1,826 real cs.AI papers from a local arXiv, day after day.

Every page the bot writes must fit what GitHub renders, every paper of the window must be on the
README or one link away, papers stay for the whole window from the day they arrived (weekends,
a paper announced ten days late), revisions after the look-back arrive, and a quiet day changes
nothing.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import frontmatter
import pytest

from tests.conftest import checkout, use_github
from tests.digest_site import Site, at, cs_ai_papers
from tests.fake_arxiv import FakeArxiv, FakePaper
from tests.fake_github import FakeGitHub, history, init_backing_repo
from tests.markdown_html import rendered_tree

BUDGET = 450_000
WINDOW = 14
BUSY = {
    "query": "cat:cs.AI",
    "window_days": WINDOW,
    "display": {"abstracts": "full", "full_days": 1, "max_page_bytes": BUDGET},
}
FAST = {"page_size": 2000, "timeout_seconds": 20}
_ABS = re.compile(r"https://arxiv\.org/abs/(?P<id>[^\s)]+?)v\d+$")
_DAY_LINK = re.compile(r"^(\d{4}-\d{2}-\d{2}) \((\d+)\)$")


def arrivals(papers: list[FakePaper], runs: list[datetime]) -> dict[str, date]:
    """By the README's rule: a first run files what it finds under the submission day; a
    later run files under its own day what was submitted since the run before."""
    first = runs[0]
    start = first.date() - timedelta(days=WINDOW - 1)
    arrived = {
        p.arxiv_id: p.published.date()
        for p in papers
        if start <= p.published.date() and p.published <= first
    }
    for previous, run in itertools.pairwise(runs):
        for paper in papers:
            if paper.arxiv_id not in arrived and previous < paper.published <= run:
                arrived[paper.arxiv_id] = run.date()
    return arrived


def window_ids(arrived: dict[str, date], now: datetime) -> set[str]:
    return {pid for pid, day in arrived.items() if day > now.date() - timedelta(days=WINDOW)}


def written_markdown(site: Site) -> dict[str, int]:
    return {
        str(path.relative_to(site.root)): path.stat().st_size for path in site.root.rglob("*.md")
    }


def readme_places(site: Site) -> tuple[set[str], set[str], dict[str, str]]:
    """Ids shown in full, ids shown in one line, and the archive links by arrival day."""
    tree = site.tree()
    full = {_id(h.find_all("a")[0]) for h in tree.find_all("h3")}
    brief = {_id(li.find_all("a")[0]) for li in tree.find_all("li")}
    days = {
        match[1]: str(a.attrs["href"])
        for a in tree.find_all("a")
        if (match := _DAY_LINK.match(a.text()))
    }
    return full, brief, days


def _id(anchor: object) -> str:
    match = _ABS.match(str(anchor.attrs["href"]))  # type: ignore[attr-defined]
    assert match, anchor
    return match["id"]


def listed_on_page(site: Site, link: str) -> set[str]:
    """Ids an archive page lists, following its 'continued in part N' links."""
    found: set[str] = set()
    path = (site.root / link).resolve()
    while True:
        tree = rendered_tree(frontmatter.loads(path.read_text(encoding="utf-8")).content)
        hrefs = [str(a.attrs["href"]) for a in tree.find_all("a")]
        found |= {match["id"] for href in hrefs if (match := _ABS.match(href))}
        parts = [href for href in hrefs if href.endswith(".md")]
        if not parts:
            return found
        path = path.parent / parts[0]


def assert_everything_renders_and_is_reachable(site: Site, expected: set[str]) -> None:
    for name, size in written_markdown(site).items():
        assert size <= BUDGET, f"{name} is {size} bytes, over the budget"
    full, brief, days = readme_places(site)
    elsewhere = expected - full - brief
    assert full | brief <= expected, "the README lists a paper outside the window"
    for link in days.values():
        elsewhere -= listed_on_page(site, link)
    assert not elsewhere, f"{len(elsewhere)} window papers are neither listed nor linked"
    text = site.tree().text()
    assert f"{len(expected)} papers added in the last {WINDOW} days" in text


@pytest.fixture
def busy(tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None) -> Iterator[Site]:
    arxiv_env.set_papers(cs_ai_papers())
    yield Site.create(tmp_path / "busy", arxiv=FAST, **BUSY)


def test_a_cs_ai_fork_renders_lists_everything_and_keeps_late_papers(
    busy: Site, arxiv_env: FakeArxiv
) -> None:
    papers = cs_ai_papers()
    late = replace(
        papers[0],
        arxiv_id="2510.99001",
        title="A paper arXiv announced eleven days late",
        published=at("2025-10-21", hour=9),
        updated=at("2025-10-21", hour=9),
    )
    revised = next(p for p in papers if p.published.date() == date(2025, 10, 27) and p.version == 1)
    # Friday first run, a weekend, Monday's sweep, a gap of three days, the next Monday's sweep
    # (which brings the late paper), and a revision of a paper submitted eight days before.
    days = ["10-24", "10-25", "10-26", "10-27", "10-31", "11-01", "11-03", "11-04"]
    runs = [at(f"2025-{day}") for day in days]
    for run in runs:
        if run == at("2025-11-01"):
            arxiv_env.add(late)  # submitted on 21 October, announced eleven days later
        if run == at("2025-11-04"):
            arxiv_env.revise(
                revised.arxiv_id, title="Revised after the look-back", updated=at("2025-11-04", 1)
            )
        assert busy.run(run.isoformat()) == 0
        done = runs[: runs.index(run) + 1]
        arrived = arrivals(papers, done)
        if run >= at("2025-11-03"):  # the weekly sweep of Monday brought the late paper
            arrived[late.arxiv_id] = date(2025, 11, 3)
        assert_everything_renders_and_is_reachable(busy, window_ids(arrived, run))
        if run == at("2025-10-24"):
            assert len(arxiv_env.requests) <= -(-len(window_ids(arrived, run)) // 2000) + 1
    assert f"abs/{revised.arxiv_id}v2" in busy.readme()
    assert "Revised after the look-back" in busy.tree().text()
    assert [r["id"] for r in busy.archived_on("2025-11-04", "updated")] == [revised.arxiv_id]
    records = busy.archived()
    assert len(records) == len({r["id"] for r in records}), "a paper was archived twice"
    assert late.arxiv_id in {r["id"] for r in busy.archived_on("2025-11-03")}
    assert late.arxiv_id in busy.readme(), "listed for its whole stay from Monday"


def test_weekends_never_empty_the_list(busy: Site) -> None:
    for run in (at("2025-10-31"), at("2025-11-01"), at("2025-11-02")):
        assert busy.run(run.isoformat()) == 0
    full, brief, _ = readme_places(busy)
    assert full and brief, "Sunday's README still lists the week's papers"
    assert "No papers were added" not in busy.tree().text()


def test_a_quiet_day_changes_no_file_at_any_volume(busy: Site, arxiv_env: FakeArxiv) -> None:
    arxiv_env.set_papers(p for p in cs_ai_papers() if p.updated <= at("2025-10-28"))
    assert busy.run(at("2025-10-28").isoformat()) == 0
    before, stats = busy.files(), busy.stats()
    assert busy.run(at("2025-10-28", hour=9).isoformat()) == 0
    assert busy.files() == before and busy.stats() == stats


def test_a_cs_ai_fork_in_github_mode_commits_pages_github_renders(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = cs_ai_papers()
    arxiv_env.set_papers(papers)
    seed = Site.create(tmp_path / "seed", arxiv=FAST, **BUSY)
    files = {name: data.decode("utf-8") for name, data in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    runs = [at("2025-10-27"), at("2025-10-28")]
    with FakeGitHub(backing) as github:
        use_github(github, monkeypatch)
        for number, run in enumerate(runs):
            clone = checkout(backing, tmp_path / f"checkout-{number}", monkeypatch)
            assert Site(clone).run(run.isoformat()) == 0
    final = tmp_path / "final"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(backing), str(final)], check=True)
    site = Site(final)
    assert_everything_renders_and_is_reachable(site, window_ids(arrivals(papers, runs), runs[-1]))
    assert len(history(backing, "main")) == 3, "one commit per run with news"
