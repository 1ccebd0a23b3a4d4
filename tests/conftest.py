"""Shared pytest fixtures: a local fake of arXiv's API, so no test reaches the internet."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_arxiv import FakeArxiv
from tests.fake_github import FAKE_TOKEN, FakeGitHub


@pytest.fixture
def arxiv_server() -> Iterator[FakeArxiv]:
    """A running FakeArxiv with no papers; fails the test if the fake itself crashed."""
    with FakeArxiv() as server:
        yield server
    assert not server.errors, "fake arXiv crashed:\n" + "\n".join(server.errors)


@pytest.fixture
def arxiv_env(arxiv_server: FakeArxiv, monkeypatch: pytest.MonkeyPatch) -> FakeArxiv:
    """Point the app at the fake via ARXIV_API_URL; keep any HTTP proxy out of the way."""
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    for name in ("NO_PROXY", "no_proxy"):
        existing = os.environ.get(name, "")
        monkeypatch.setenv(name, f"{existing},127.0.0.1" if existing else "127.0.0.1")
    return arxiv_server


@pytest.fixture
def local_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the bot as on a laptop: none of the variables GitHub Actions sets."""
    for name in (
        "GITHUB_TOKEN",
        "GITHUB_REPOSITORY",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_WORKSPACE",
    ):
        monkeypatch.delenv(name, raising=False)


def use_github(github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the bot's GitHub mode at the local fake, as the workflow's environment would."""
    monkeypatch.setenv("GITHUB_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", github.repository)
    monkeypatch.setenv("GITHUB_API_URL", github.base_url)
    monkeypatch.setenv("GITHUB_REF_NAME", "main")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def checkout(backing: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh clone of main, as actions/checkout makes it, set as the run's workspace."""
    subprocess.run(["git", "clone", "-q", "-b", "main", str(backing), str(target)], check=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(target))
    return target
