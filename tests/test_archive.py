"""The archive is the bot's memory: readable pages that load back exactly, or fail loudly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import frontmatter
import pytest

from digest.archive import (
    ArchiveError,
    DayPage,
    add_to_page,
    load_archive,
    page_path,
    read_last_run,
    read_page,
    render_page,
)
from digest.publish_local import write_files
from tests.factories import make_entry, make_paper
from tests.markdown_html import rendered_tree

ORDER = ["🛠 Hardware & Materials", "🧠 Algorithms & Theory"]


def _page(day: str, run: str, new: list[str], updated: tuple[tuple[str, int], ...] = ()) -> DayPage:
    return DayPage(
        day=date.fromisoformat(day),
        last_run=datetime.fromisoformat(run),
        new=tuple(make_entry(make_paper(i, published=f"{day}T01:00:00+00:00")) for i in new),
        updated=tuple(
            make_entry(make_paper(i, version=v, published="2026-02-01T01:00:00+00:00"))
            for i, v in updated
        ),
    )


def _save(root: Path, page: DayPage) -> None:
    write_files(root, {page_path("archive", page.day): render_page(page, ORDER)})


def test_page_round_trips_every_field(tmp_path: Path) -> None:
    paper = make_paper(
        "2602.01234",
        version=2,
        title='Quotes " and colons: #hash — Lévy 🧠',
        authors=("Ünïcode Ñame", "O'Brien", "A", "B", "C"),
        abstract="TeX $\\alpha_2$\nand\ttabs",
    )
    page = DayPage(
        date(2026, 2, 5), datetime(2026, 2, 5, 5, 17, tzinfo=UTC), (make_entry(paper),), ()
    )
    _save(tmp_path, page)
    path = tmp_path / "archive/2026/2026-02-05.md"
    loaded = read_page(path)
    assert loaded.new[0].paper == paper
    assert loaded.new[0].decision.category == "🧠 Algorithms & Theory"
    assert loaded.new[0].decision.reason == "test"
    assert loaded.last_run == page.last_run
    raw = path.read_bytes().decode("utf-8")
    assert "Lévy 🧠" in raw  # stored as readable UTF-8, not escaped or double-encoded


def test_page_body_is_readable_on_github(tmp_path: Path) -> None:
    _save(
        tmp_path,
        _page(
            "2026-02-05",
            "2026-02-05T05:00:00+00:00",
            ["2602.00001", "2602.00002"],
            (("2601.00009", 2),),
        ),
    )
    post = frontmatter.loads((tmp_path / "archive/2026/2026-02-05.md").read_text(encoding="utf-8"))
    tree = rendered_tree(post.content)
    assert [h.text() for h in tree.find_all("h2")] == ["New papers", "Updated papers"]
    assert len(tree.find_all("li")) == 3
    hrefs = [a.attrs["href"] for a in tree.find_all("a")]
    assert "https://arxiv.org/abs/2601.00009v2" in hrefs


def test_load_keeps_the_newest_version_and_skips_old_pages(tmp_path: Path) -> None:
    _save(tmp_path, _page("2025-12-30", "2025-12-30T05:00:00+00:00", ["2512.00001"]))
    _save(tmp_path, _page("2026-02-01", "2026-02-01T05:00:00+00:00", ["2601.00009"]))
    _save(
        tmp_path,
        _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"], (("2601.00009", 2),)),
    )
    state = load_archive(tmp_path / "archive", since=date(2026, 1, 20))
    assert set(state.papers) == {"2601.00009", "2602.00001"}
    assert state.papers["2601.00009"].version == 2
    assert read_last_run(tmp_path / "archive") == datetime(2026, 2, 5, 5, tzinfo=UTC)


def test_old_damaged_pages_are_not_even_read(tmp_path: Path) -> None:
    (tmp_path / "archive/2024").mkdir(parents=True)
    (tmp_path / "archive/2024/2024-01-01.md").write_text("---\n: broken\n", encoding="utf-8")
    _save(tmp_path, _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"]))
    assert set(load_archive(tmp_path / "archive", since=date(2026, 1, 1)).papers) == {"2602.00001"}


def test_empty_archive(tmp_path: Path) -> None:
    assert read_last_run(tmp_path / "archive") is None
    assert load_archive(tmp_path / "archive", since=date(2026, 1, 1)).papers == {}


@pytest.mark.parametrize(
    "text",
    [
        "---\ndate: 2026-02-05\nlast_run: [unclosed\n---\n",
        "---\ndate: 2026-02-05\n---\nno last_run\n",
        "---\ndate: 2026-02-05\nlast_run: '2026-02-05T05:00:00+00:00'\n"
        "new:\n- id: '2602.1'\n  version: 1\n---\n",
        "---\ndate: 2026-02-05\nlast_run: 'yesterday'\n---\n",
        "no front matter at all\n",
        "---\ndate: 2026-02-05\nlast_run: '2026-02-05T05:00:00'\n---\n",
    ],
)
def test_a_damaged_page_stops_the_run_naming_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "archive/2026/2026-02-05.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        load_archive(tmp_path / "archive", since=date(2026, 1, 1))
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_second_run_on_the_same_day_adds_to_the_page() -> None:
    morning = _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"])
    evening = _page("2026-02-05", "2026-02-05T17:00:00+00:00", ["2602.00002"])
    combined = add_to_page(morning, evening)
    assert [e.paper.arxiv_id for e in combined.new] == ["2602.00001", "2602.00002"]
    assert combined.last_run == evening.last_run
