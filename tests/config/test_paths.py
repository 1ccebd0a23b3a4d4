"""One rule for paths in both modes: a config in a subfolder keeps its README and archive there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import checkout, use_github
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, seed_fake_papers
from tests.fake_github import FAKE_TOKEN, FakeGitHub, history, init_backing_repo, read_files


@pytest.fixture
def seeded(arxiv_env: FakeArxiv, local_mode: None) -> FakeArxiv:
    arxiv_env.set_papers(seed_fake_papers())
    return arxiv_env


def test_local_mode_writes_beside_a_subfolder_config(tmp_path: Path, seeded: FakeArxiv) -> None:
    site = Site.create(tmp_path / "repo" / "site")
    assert site.run(at("2026-02-14").isoformat()) == 0
    written = sorted(str(p.relative_to(tmp_path / "repo")) for p in (tmp_path / "repo").rglob("*"))
    assert all(name.startswith("site") for name in written)
    assert (tmp_path / "repo/site/archive/2026").is_dir()


def test_github_mode_commits_and_reads_state_beside_a_subfolder_config(
    tmp_path: Path, seeded: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = Site.create(tmp_path / "seed" / "site")
    files = {f"site/{name}": data.decode("utf-8") for name, data in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    with FakeGitHub(backing) as github:
        use_github(github, monkeypatch)
        for number, hour in enumerate((5, 9)):
            clone = checkout(backing, tmp_path / f"checkout-{number}", monkeypatch)
            assert Site(clone / "site").run(at("2026-02-14", hour=hour).isoformat()) == 0
    committed = read_files(backing, "main")
    assert {"site/README.md", "site/config.yml"} <= set(committed)
    assert all(name.startswith("site/") for name in committed)
    assert any(name.startswith("site/archive/2026/") for name in committed)
    assert "digest:start" in committed["site/README.md"]
    # The second run read its state from site/archive: nothing re-announced, no second commit.
    assert len(history(backing, "main")) == 2


def test_github_mode_refuses_a_config_outside_the_checkout(
    tmp_path: Path,
    seeded: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = Site.create(tmp_path / "elsewhere")
    monkeypatch.setenv("GITHUB_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/repo")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "checkout"))
    (tmp_path / "checkout").mkdir()
    assert site.run(at("2026-02-14").isoformat()) == 2
    assert "must lie inside the repository checkout" in capsys.readouterr().err
