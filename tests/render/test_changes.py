"""What a run changes and how its commit announces it to watchers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.fetch.entries import clean_text
from digest.layout import Layout
from digest.records import Entry
from digest.render import News, Rendered, commit_message, render_outputs
from tests.digest_site import Site, at
from tests.factories import make_entry, make_paper, neuromorphic_config
from tests.fake_arxiv import FakeArxiv, FakePaper, seed_fake_papers, submitted_paper

NOW = datetime(2026, 2, 5, 5, 17, tzinfo=UTC)
HARDWARE, ALGORITHMS = "🛠 Hardware & Materials", "🧠 Algorithms & Theory"
LAYOUT = Layout(Path("/nowhere"), "", "README.md", "archive", "feed.xml")


def _rendered(shown: list[Entry], readme_text: str = "", now: datetime = NOW) -> Rendered:
    return render_outputs(
        neuromorphic_config(),
        LAYOUT,
        now=now,
        day_pages=[],
        replaced={},
        day_files={},
        shown=shown,
        readme_text=readme_text,
    )


def _message(
    new: list[Entry],
    updated: tuple[Entry, ...] | list[Entry] = (),
    shown: list[Entry] | None = None,
) -> str:
    news = News.of(new, list(updated), new if shown is None else shown, 0)
    return commit_message(NOW.date(), news, neuromorphic_config().category_order)


def test_subject_counts_and_body_lists_each_paper_under_its_category() -> None:
    new = [
        make_entry(make_paper("2602.00001", title="Memristor crossbar"), HARDWARE),
        make_entry(make_paper("2602.00002", title="Surrogate gradients"), ALGORITHMS),
        make_entry(make_paper("2602.00003", title="Ferroelectric synapse"), HARDWARE),
    ]
    updated = (make_entry(make_paper("2601.00009", version=2, title="Revised work"), ALGORITHMS),)
    message = _message(new, updated, shown=[*new, *updated])
    lines = message.splitlines()
    assert lines[0] == "digest: 3 new papers, 1 updated (2026-02-05)"
    hardware = lines.index(f"{HARDWARE}:")
    assert lines[hardware + 1 : hardware + 5] == [
        "- Memristor crossbar",
        "  https://arxiv.org/abs/2602.00001v1",
        "- Ferroelectric synapse",
        "  https://arxiv.org/abs/2602.00003v1",
    ]
    assert "- Revised work (v2)" in lines[lines.index("Updated:") :]


def test_singular_subjects() -> None:
    one = [make_entry(make_paper("2602.00001"), HARDWARE)]
    assert _message(one).startswith("digest: 1 new paper (2026-02-05)")
    updated_only = _message([], tuple(one), shown=one)
    assert updated_only.startswith("digest: 1 updated paper (2026-02-05)")


def test_hostile_titles_cannot_add_lines_to_the_message() -> None:
    title = clean_text("Evil\n\ndigest: 99 new papers\r\n- fake entry\x1b[31m")
    entry = make_entry(make_paper("2602.00001", title=title), HARDWARE)
    lines = _message([entry]).splitlines()
    assert len(lines) == 5
    assert lines[3] == "- Evil digest: 99 new papers - fake entry [31m"


def test_no_news_means_no_files() -> None:
    shown = [make_entry(make_paper("2602.00001"), HARDWARE)]
    readme = _rendered(shown).files["README.md"]
    assert readme is not None
    again = _rendered(shown, readme_text=readme, now=NOW.replace(hour=9))
    assert again.files == {} and again.readme is None


def test_irrelevant_papers_are_archived_but_left_out_when_configured(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    off_topic = submitted_paper(
        "2602.88888",
        at("2026-02-13"),
        title="Scaling Hadoop clusters with in-memory computing",
        abstract="We tune Apache Spark jobs for in-memory computing on commodity clusters.",
        authors=("A. Engineer",),
        primary_category="cs.DC",
    )
    arxiv_env.set_papers([*seed_fake_papers(), off_topic])
    site = Site.create(
        tmp_path / "site",
        relevance={"exclude_terms": ["hadoop"], "min_score": 0, "drop_irrelevant": True},
    )
    assert site.run(at("2026-02-14").isoformat()) == 0
    assert "2602.88888" not in {pid for pid, _ in site.listed()}
    record = next(r for r in site.archived() if r["id"] == "2602.88888")
    assert record["category"] == "📂 General / Uncategorized"
    assert record["category_reason"] == "off-topic term: hadoop"


def test_decision_reason_reaches_the_archive(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_env.set_papers(seed_fake_papers())
    site = Site.create(tmp_path / "site")
    assert site.run(at("2026-02-14").isoformat()) == 0
    records = site.archived()
    assert records and all(r["category_reason"] for r in records)
    reram = next(
        r for r in records if r["id"] == "2602.05067"
    )  # "... the ReRAM resistive switching"
    assert reram["category"] == HARDWARE
    assert "title: " in reram["category_reason"] and "reram" in reram["category_reason"].lower()


def test_a_paper_citing_another_by_its_abs_link_makes_no_phantom_departure(
    tmp_path: Path,
    arxiv_env: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What left the list comes from what the archive recorded, not from links in the README's
    escaped text: an abstract citing `[our ICML paper](https://arxiv.org/abs/2301.00001v1)`
    must not make later runs report a paper that left."""
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    citing = FakePaper(
        arxiv_id="2602.77777",
        title="Spiking networks, again",
        authors=("A. Author",),
        abstract="Extends [our ICML paper](https://arxiv.org/abs/2301.00001v1) to spiking "
        "neural networks on neuromorphic hardware.",
        published=at("2026-02-13"),
        updated=at("2026-02-13"),
        primary_category="cs.NE",
    )
    arxiv_env.set_papers([*seed_fake_papers(), citing])
    site = Site.create(tmp_path / "site")
    assert site.run(at("2026-02-14").isoformat()) == 0
    arxiv_env.add(
        submitted_paper(
            "2602.77778",
            at("2026-02-14", hour=7),
            title="Memristor crossbars for spiking neural networks",
            abstract="A memristor crossbar runs a spiking neural network.",
            authors=("B. Author",),
            primary_category="cs.ET",
        )
    )
    capsys.readouterr()
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert "new 1, updated 0, left the list 0;" in capsys.readouterr().out
    message = (site.root / "README.md").read_text(encoding="utf-8")
    assert "2301.00001" in message, "the citation itself is shown, escaped"
