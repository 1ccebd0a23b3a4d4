"""Counts read as English wherever the bot says them: "1 request", never "1 requests"."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config.check import check_config
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, seed_fake_papers


def test_a_run_of_one_paper_says_it_in_the_singular(
    tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = max(seed_fake_papers(), key=lambda paper: paper.published)
    arxiv_env.set_papers([newest])
    site = Site.create(tmp_path / "site", window_days=1, lookback_days=1)
    assert site.run(at(f"{newest.published:%Y-%m-%d}", hour=23).isoformat()) == 0
    said = capsys.readouterr().out
    assert "(1 request); 1 paper fetched" in said, said
    assert "1 paper added in the last 1 day |" in site.readme()


def test_check_counts_one_topic_as_one(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "title: T\nquery: cat:cs.NE\ncategories: [{name: A, keywords: [spiking]}]\n",
        encoding="utf-8",
    )
    assert check_config(config).endswith(", 1 topic")
