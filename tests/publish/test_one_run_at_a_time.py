"""Two runs of one digest at once: the second fails at once, in one line, and the first one's
files are written whole; credentials in an API URL are refused without being shown."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import use_github
from tests.digest_site import Site, at, expected_window
from tests.fake_arxiv import FakeArxiv, Fault, seed_fake_papers
from tests.fake_github import FakeGitHub, init_backing_repo

REPO = Path(__file__).resolve().parents[2]
NOW = at("2026-02-14")


def test_a_second_run_while_one_writes_fails_at_once_and_harms_nothing(
    tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.set_papers(seed_fake_papers())
    site = Site.create(tmp_path / "site")
    arxiv_env.fail_next(Fault.slow(3))  # the first run's first page arrives late
    args = ("--now", NOW.isoformat())
    first = subprocess.Popen(
        [sys.executable, "-m", "digest", *("--config", str(site.root / "config.yml")), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not arxiv_env.requests:  # the first run holds the lock once it asks arXiv
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)
    started = time.monotonic()
    assert site.run(NOW.isoformat()) == 1
    assert time.monotonic() - started < 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: another run of the digest is writing {site.root}; wait for it to finish"
    ]
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert {pid for pid, _ in site.listed()} == expected_window(NOW)
    assert not [p for p in site.root.rglob("*.tmp")]
    assert site.run(NOW.isoformat()) == 0  # the lock ends with the run that held it


@pytest.mark.parametrize(
    "url", ["https://octo:hunter2secret@127.0.0.1:1/api/v3", "http://hunter2secret@[::1"]
)
def test_credentials_in_github_api_url_are_refused_never_shown(
    tmp_path: Path,
    arxiv_env: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
) -> None:
    site = Site.create(tmp_path / "site")
    with FakeGitHub(init_backing_repo(tmp_path / "origin.git")) as github:
        use_github(github, monkeypatch)
        monkeypatch.setenv("GITHUB_API_URL", url)
        assert site.run(NOW.isoformat()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "GITHUB_API_URL" in err[0] and "user:password@" in err[0]
    assert "hunter2secret" not in err[0]


def test_credentials_in_arxiv_api_url_are_refused_never_shown(
    tmp_path: Path,
    local_mode: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = Site.create(tmp_path / "site")
    monkeypatch.setenv("ARXIV_API_URL", "https://me:hunter2secret@127.0.0.1:1/api/query")
    assert site.run(NOW.isoformat()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ARXIV_API_URL" in err[0] and "hunter2secret" not in err[0]
