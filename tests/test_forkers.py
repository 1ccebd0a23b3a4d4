"""A fork that changes its field rebuilds the window by itself, and a backfill fills the archive."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from tests.conftest import checkout, use_github
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, generated_papers, seed_fake_papers
from tests.fake_github import FakeGitHub, history, init_backing_repo, read_files

ROBOTS = "cat:cs.RO"


def robot_papers() -> list:  # type: ignore[type-arg]
    """Another field's papers: one every 12 hours from 5 to 15 February, ids unlike the seed's."""
    return generated_papers(
        21, first=at("2026-02-05", hour=3), step=timedelta(hours=12), prefix="2612"
    )


def _set_query(site: Site, query: str) -> None:
    path = site.root / "config.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["query"] = query
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def local(tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "site")


def test_a_changed_query_rebuilds_the_digest_for_the_new_field_alone(
    local: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.run(at("2026-02-14").isoformat()) == 0
    old_pages = {n: b for n, b in local.files().items() if n.startswith("archive/")}
    _set_query(local, ROBOTS)
    arxiv_env.set_papers(robot_papers())
    assert local.run(at("2026-02-16").isoformat()) == 0
    listed = {pid for pid, _ in local.listed()}
    assert listed == {paper.arxiv_id for paper in robot_papers()}, "only the new field, all of it"
    after = local.files()
    history = [name for name in old_pages if name < "archive/2026/2026-02-02.md"]
    assert history and all(after[name] == old_pages[name] for name in history), (
        "pages older than the window stay as the old field's history"
    )
    assert not [name for name in after if name.endswith("-2.md")], "fields never share a day"
    links = {str(a.attrs["href"]) for a in local.tree().find_all("a")}
    robot_pages = {
        name
        for name, data in after.items()
        if name.startswith("archive/") and f'"query": "{ROBOTS}"' in data.decode("utf-8")
    }
    assert robot_pages and robot_pages <= links, "the README links every page of the new field"
    news = [r for r in local.archived() if r["id"].startswith("2612.")]
    assert Counter(r["id"] for r in news) == Counter({p.arxiv_id: 1 for p in robot_papers()})
    capsys.readouterr()
    before = local.files()
    assert local.run(at("2026-02-16", hour=9).isoformat()) == 0
    assert local.files() == before and "no news" in capsys.readouterr().out


def test_a_changed_query_rebuilds_the_digest_in_github_mode(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_env.set_papers(seed_fake_papers())
    seed = Site.create(tmp_path / "seed")
    files = {name: data.decode("utf-8") for name, data in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    with FakeGitHub(backing) as github:
        use_github(github, monkeypatch)
        for number, moment in enumerate((at("2026-02-14"), at("2026-02-16"))):
            site = Site(checkout(backing, tmp_path / f"checkout-{number}", monkeypatch))
            if number:
                _set_query(site, ROBOTS)  # as a forker's commit would have it
                arxiv_env.set_papers(robot_papers())
            assert site.run(moment.isoformat()) == 0
    readme = read_files(backing, "main")["README.md"]
    assert all(f"abs/{p.arxiv_id}v1" in readme for p in robot_papers())
    assert not any(f"abs/{p.arxiv_id}v" in readme for p in seed_fake_papers())
    assert history(backing, "main")[0].message.startswith(
        f"digest: {len(robot_papers())} new papers"
    )


def test_a_backfill_fills_the_archive_politely_and_daily_runs_add_nothing_twice(
    local: Site, arxiv_env: FakeArxiv
) -> None:
    assert local.run(at("2026-02-14").isoformat()) == 0
    readme = local.readme()
    assert local.run(at("2026-02-14", hour=6).isoformat(), "--since", "2026-01-01") == 0
    archived = Counter(r["id"] for r in local.archived())
    assert set(archived) == {paper.arxiv_id for paper in seed_fake_papers()}
    assert max(archived.values()) == 1
    january = local.archived_on("2026-01-22")
    assert january and all(r["published"].startswith("2026-01-22") for r in january)
    assert local.readme() == readme, "papers older than the window are archived, not listed"
    before = local.files()
    assert local.run(at("2026-02-14", hour=7).isoformat(), "--since", "2026-01-01") == 0
    assert local.files() == before, "a backfill is safe to re-run"
    for day in range(15, 19):
        assert local.run(at(f"2026-02-{day}").isoformat()) == 0
    assert max(Counter(r["id"] for r in local.archived()).values()) == 1


def test_a_backfill_from_the_future_is_a_usage_error(local: Site) -> None:
    assert local.run(at("2026-02-14").isoformat(), "--since", "2026-03-01") == 2
