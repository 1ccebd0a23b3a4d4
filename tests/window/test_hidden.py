"""A paper hidden in config.yml leaves the README and the feed on the next run, with or without
other news, and stays out whatever arXiv sends again."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
import yaml

from digest.records import Known
from digest.window.hidden import known_without_hidden, without_hidden
from tests.digest_site import Site, at
from tests.factories import make_paper
from tests.fake_arxiv import FakeArxiv, seed_fake_papers, submitted_paper


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "site")


def _hide(site: Site, *ids: str) -> None:
    path = site.root / "config.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["hidden"] = list(ids)
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")


def _feed_ids(site: Site) -> set[str]:
    feed = feedparser.parse((site.root / "feed.xml").read_bytes())
    return {entry.link.rsplit("/", 1)[-1].rsplit("v", 1)[0] for entry in feed.entries}


def test_a_paper_hidden_after_it_was_listed_leaves_and_stays_out(
    site: Site, arxiv_env: FakeArxiv, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.run(at("2026-02-13").isoformat()) == 0
    listed = {pid for pid, _ in site.listed()}
    hidden, other = sorted(listed)[-2:]  # the newest: listed for the whole test
    assert {hidden, other} <= _feed_ids(site)

    _hide(site, hidden, f"{other}v1")  # a version in the id hides every version
    assert site.run(at("2026-02-13", hour=9).isoformat()) == 0  # no news from arXiv
    assert {pid for pid, _ in site.listed()} == listed - {hidden, other}
    assert {hidden, other} & _feed_ids(site) == set()
    assert "wrote feed.xml, README.md" in capsys.readouterr().out

    arxiv_env.revise(hidden, title="Spam, revised", updated=at("2026-02-13", hour=10))
    news = submitted_paper(
        "2602.99999",
        at("2026-02-13", hour=10),
        title="Spiking neural networks on a memristor crossbar",
        abstract="A spiking neural network runs on a memristor crossbar.",
        authors=("A. Author",),
    )
    arxiv_env.add(news)
    assert site.run(at("2026-02-14").isoformat()) == 0
    shown = {pid for pid, _ in site.listed()}
    assert "2602.99999" in shown and {hidden, other} & shown == set()
    assert {hidden, other} & _feed_ids(site) == set()
    assert "Spam, revised" not in site.readme()
    assert [r["id"] for r in site.archived_on("2026-02-14", "updated")] == []
    assert "new 1, updated 0" in capsys.readouterr().out

    _hide(site)  # shown again once no longer hidden, as arXiv's newest version
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert {hidden, other} <= {pid for pid, _ in site.listed()}


def test_the_filters_keep_every_paper_not_hidden() -> None:
    papers = [make_paper("2602.00001"), make_paper("2602.00002"), make_paper("2602.00003")]
    assert without_hidden(papers, {"2602.00002"}) == (papers[0], papers[2])
    known = {p.arxiv_id: Known(p, p.published.date()) for p in papers}
    assert list(known_without_hidden(known, {"2602.00003", "hep-th/9901001"})) == [
        "2602.00001",
        "2602.00002",
    ]
    assert known_without_hidden(known, set()) == known
