"""Shared pytest fixtures: a local fake of arXiv's API, so no test reaches the internet."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fake_arxiv import FakeArxiv


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
