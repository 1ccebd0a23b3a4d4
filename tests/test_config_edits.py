"""State that follows the config: ordinary edits of config.yml never leave a stale topic, a
stale part, a duplicated record or another field's papers behind, end to end."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import frontmatter
import pytest
import yaml

from tests.digest_site import Site, at, expected_window
from tests.fake_arxiv import (
    FakeArxiv,
    FakePaper,
    generated_papers,
    seed_fake_papers,
    submitted_paper,
)

ALGORITHMS = "🧠 Algorithms & Theory"
ROBOTS = "cat:cs.RO"


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "site")


def _settings(site: Site) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((site.root / "config.yml").read_text("utf-8"))
    return loaded


def _edit(site: Site, **changes: Any) -> None:
    settings = _settings(site) | changes
    text = yaml.safe_dump(settings, allow_unicode=True)
    (site.root / "config.yml").write_text(text, encoding="utf-8")


def _display(site: Site, **changes: Any) -> None:
    _edit(site, display=_settings(site)["display"] | changes)


def _topics(site: Site) -> list[str]:
    settings = _settings(site)
    return [c["name"] for c in settings["categories"]] + [settings["fallback_category"]]


def _late_paper(number: int, day: str, hour: int) -> FakePaper:
    """A neuromorphic paper submitted at `day` `hour`:00, after the runs before it."""
    return submitted_paper(
        f"2602.{90000 + number}",
        at(day, hour=hour),
        title=f"Spiking neural network learning rule {number}",
        abstract="A surrogate gradient learning rule for spiking neural networks.",
        authors=("Ada Lovelace",),
        primary_category="cs.NE",
    )


def _readme_topics(site: Site) -> list[str]:
    """The topic headings of the block (the hand-written part has one heading of its own)."""
    headings = [heading.text().strip() for heading in site.tree().find_all("h2")]
    return [heading for heading in headings if heading != "About this repository"]


def _pages(site: Site) -> list[Path]:
    return sorted((site.root / "archive").rglob("*.md"))


def _no_record_twice(site: Site) -> None:
    for kind in ("new", "updated"):
        counts = Counter(r["id"] for r in site.archived(kind))
        assert not [pid for pid, n in counts.items() if n > 1], kind


def _summary_adds_up(out: str) -> None:
    """The summary's topic counts add up to what the README lists."""
    lines = out.splitlines()
    listed = next(line for line in lines if "the README lists" in line)
    total = int(listed.rsplit(" ", 1)[1])
    counts = [int(line.rsplit(": ", 1)[1]) for line in lines if line.startswith("  ")]
    assert sum(counts) == total


@pytest.mark.parametrize("how", ["same-day run", "backfill"])
def test_a_renamed_topic_never_shows_beside_its_new_name(
    site: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    settings = _settings(site)
    for category in settings["categories"]:
        if category["name"] == ALGORITHMS:
            category["name"] = "🧠 Learning & Theory"
    _edit(site, categories=settings["categories"])
    arxiv_env.add(_late_paper(1, "2026-02-14", hour=6))
    capsys.readouterr()
    if how == "backfill":
        assert site.run(at("2026-02-14", hour=9).isoformat(), "--since", "2026-02-01") == 0
    else:
        assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    topics = _topics(site)
    assert set(_readme_topics(site)) <= set(topics)
    assert "Algorithms" not in site.readme().split("<!-- digest:end -->")[0]
    today = site.archived_on("2026-02-14")
    assert today and all(record["category"] in topics for record in today)
    _summary_adds_up(capsys.readouterr().out)
    _no_record_twice(site)


def test_a_removed_topic_leaves_the_readme_and_its_papers_find_another(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    settings = _settings(site)
    _edit(site, categories=[c for c in settings["categories"] if c["name"] != ALGORITHMS])
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0, "a settings change re-renders"
    assert not any("Algorithms" in heading for heading in _readme_topics(site))
    assert len(site.listed()) == len(set(site.listed())) > 0


def test_a_raised_budget_then_a_backfill_rewrites_a_split_day_as_one_part(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    _display(site, max_page_bytes=10_000)
    assert site.run(at("2026-02-14").isoformat()) == 0
    parts = Counter(p.name[:10] for p in _pages(site))
    busy = max(parts, key=lambda day: parts[day])
    assert parts[busy] > 1, "a day must be split for this test"
    records = len(site.archived_on(busy))
    _display(site, max_page_bytes=450_000)
    arxiv_env.add(_late_paper(1, busy, hour=23))  # announced late: the backfill finds it
    assert site.run(at("2026-02-14", hour=6).isoformat(), "--since", "2026-02-01") == 0
    assert [p.name for p in _pages(site) if p.name.startswith(busy)] == [f"{busy}.md"]
    assert len(site.archived_on(busy)) == records + 1
    _no_record_twice(site)
    assert site.run(at("2026-02-14", hour=7).isoformat(), "--since", "2026-02-01") == 0
    _no_record_twice(site)


def test_a_budget_lowered_then_raised_keeps_every_page_whole_and_within_it(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    everything = Counter(r["id"] for r in site.archived())
    for number, (budget, hour) in enumerate(((10_000, 9), (450_000, 12)), start=1):
        _display(site, max_page_bytes=budget)
        arxiv_env.add(_late_paper(number, "2026-02-14", hour=hour - 1))
        assert site.run(at("2026-02-14", hour=hour).isoformat()) == 0
        for page in _pages(site):
            if page.name.startswith("2026-02-14"):
                assert len(page.read_bytes()) <= budget
        assert len(site.readme().encode("utf-8")) <= budget
        everything[f"2602.{90000 + number}"] = 1
        assert Counter(r["id"] for r in site.archived()) == everything
    assert [p.name for p in _pages(site) if p.name.startswith("2026-02-14")] == ["2026-02-14.md"]


def _robot_papers() -> list[FakePaper]:
    return generated_papers(
        21, first=at("2026-02-05", hour=3), step=timedelta(hours=12), prefix="2612"
    )


def _make_legacy(site: Site) -> None:
    """Rewrite every page as versions before 0.2 wrote them: block YAML, no query, no rules,
    no first day."""
    for path in _pages(site):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        for key in ("query", "rules", "started", "part", "parts"):
            post.metadata.pop(key, None)
        path.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")


def test_old_pages_without_a_query_do_not_hide_a_new_field(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    _make_legacy(site)
    _edit(site, query=ROBOTS)
    arxiv_env.set_papers(_robot_papers())
    assert site.run(at("2026-02-16").isoformat()) == 0
    assert {pid for pid, _ in site.listed()} == {p.arxiv_id for p in _robot_papers()}
    _no_record_twice(site)


def test_old_pages_of_the_same_query_are_migrated_with_the_next_news(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    """Pages from before pages recorded their query are checked against the query: a run
    without news changes no file (every commit means news), and the next run with news
    migrates the window's pages in the same commit, every paper kept where it arrived."""
    runs = [at("2026-02-12"), at("2026-02-14")]
    for moment in runs:
        assert site.run(moment.isoformat()) == 0
    arrived = {r["id"]: r["arrived"] for r in site.archived()}
    listed = set(site.listed())
    _make_legacy(site)
    before = site.files()
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert site.files() == before, "no news, no change"
    arxiv_env.add(_late_paper(1, "2026-02-14", hour=10))
    assert site.run(at("2026-02-14", hour=11).isoformat()) == 0
    assert set(site.listed()) >= listed
    kept = {r["id"]: r["arrived"] for r in site.archived() if r["id"] in arrived}
    assert kept == arrived
    _no_record_twice(site)
    pages = [frontmatter.loads(p.read_text("utf-8")).metadata for p in _pages(site)]
    assert all(meta.get("query") for meta in pages if meta["date"] >= "2026-02-01"), (
        "the window's pages are migrated with the news"
    )


def test_a_query_changed_and_changed_back_with_a_backfill_holds_each_paper_once(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    seed_query = _settings(site)["query"]
    _edit(site, query=ROBOTS)
    arxiv_env.set_papers(_robot_papers())
    assert site.run(at("2026-02-15").isoformat()) == 0
    assert {pid for pid, _ in site.listed()} == {p.arxiv_id for p in _robot_papers()}
    assert not list((site.root / "archive").rglob("*-2.md")), "two fields never share a day"
    _edit(site, query=seed_query)
    arxiv_env.set_papers(seed_fake_papers())
    assert site.run(at("2026-02-16").isoformat()) == 0
    assert site.run(at("2026-02-16", hour=6).isoformat(), "--since", "2026-01-01") == 0
    assert {pid for pid, _ in site.listed()} == expected_window(at("2026-02-16"))
    assert not {r["id"] for r in site.archived()} & {p.arxiv_id for p in _robot_papers()}
    _no_record_twice(site)
    assert Counter(r["id"] for r in site.archived()) == Counter(
        {p.arxiv_id: 1 for p in seed_fake_papers()}
    )


def test_tuning_the_query_early_fills_the_archive_without_duplicates(
    site: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    """A synonym added in the first week: papers already listed keep their day and are not
    announced again; only what the new query adds is news."""
    assert site.run(at("2026-02-12").isoformat()) == 0
    arrived = {r["id"]: r["arrived"] for r in site.archived()}
    before = {pid for pid, _ in site.listed()}
    _edit(site, query=_settings(site)["query"] + " OR all:memristive")
    capsys.readouterr()
    assert site.run(at("2026-02-13").isoformat()) == 0
    out = capsys.readouterr().out
    after = {pid for pid, _ in site.listed()}
    added = {r["id"] for r in site.archived()} - set(arrived)
    submitted = {paper.arxiv_id: paper.published for paper in seed_fake_papers()}
    assert all(submitted[pid] > at("2026-02-12") for pid in added), "only news is new"
    assert f"new {len(added)}, updated 0, left the list {len(before - after)};" in out
    assert {r["id"]: r["arrived"] for r in site.archived() if r["id"] in arrived} == arrived
    _no_record_twice(site)
    assert not list((site.root / "archive").rglob("*-2.md"))


def _relevance_site(tmp_path: Path, arxiv_env: FakeArxiv, exclude: list[str]) -> Site:
    """A memristor paper, one about hadoop clusters and one about gardening, filed on 02-12,
    with off-topic papers left out of the README."""
    arxiv_env.set_papers(
        [
            submitted_paper("2602.10001", at("2026-02-10", 9), title="Memristor crossbar arrays"),
            submitted_paper(
                "2602.10002", at("2026-02-10", 10), abstract="A memristor crossbar on hadoop."
            ),
            submitted_paper(
                "2602.10003", at("2026-02-10", 11), title="Gardening", abstract="Tomatoes."
            ),
        ]
    )
    site = Site.create(
        tmp_path / "site",
        relevance={"exclude_terms": exclude, "min_score": 0, "drop_irrelevant": True},
    )
    assert site.run(at("2026-02-12").isoformat()) == 0
    return site


@pytest.mark.parametrize(
    ("exclude_before", "exclude_after", "shown_after"),
    [
        (["hadoop"], [], {"2602.10001", "2602.10002", "2602.10003"}),
        ([], ["tomatoes"], {"2602.10001", "2602.10002"}),
    ],
    ids=["a-paper-comes-back", "a-paper-goes"],
)
def test_a_relevance_edit_shows_on_the_next_run_without_news(
    tmp_path: Path,
    arxiv_env: FakeArxiv,
    local_mode: None,
    exclude_before: list[str],
    exclude_after: list[str],
    shown_after: set[str],
) -> None:
    """Papers leaving at the end of their window wait for news; a config edit does not."""
    site = _relevance_site(tmp_path, arxiv_env, exclude_before)
    _edit(site, relevance=_settings(site)["relevance"] | {"exclude_terms": exclude_after})
    assert site.run(at("2026-02-13").isoformat()) == 0
    assert {pid for pid, _ in site.listed()} == shown_after


def test_a_run_keeping_the_list_reports_the_freshness_the_readme_shows(
    tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paper's window ends on a day without news: the README is kept, and the job summary
    quotes its freshness line, not the one of a list nobody will see."""
    arxiv_env.set_papers(
        [
            submitted_paper("2602.01001", at("2026-02-01", 9), title="Memristor arrays"),
            submitted_paper("2602.10001", at("2026-02-10", 9), title="Memristor arrays, two"),
        ]
    )
    site = Site.create(tmp_path / "site")
    assert site.run(at("2026-02-02").isoformat()) == 0
    assert site.run(at("2026-02-11").isoformat()) == 0
    before = site.files()
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert site.run(at("2026-02-20").isoformat()) == 0
    assert site.files() == before
    text = summary.read_text(encoding="utf-8")
    assert "List last changed: 2026-02-11 05:00 UTC" in text
    assert "2 papers added in the last 14 days" in text
