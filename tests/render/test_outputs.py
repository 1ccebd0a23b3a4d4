"""A run's outputs as readers get them: the README whole within the budget, every archive part
one click away, day pages written whole."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from digest.archive import DayPage
from digest.layout import Layout
from digest.records import Entry
from digest.render import render_outputs
from digest.render.readme import ReadmeError
from tests.factories import make_entry, make_paper, neuromorphic_config
from tests.markdown_html import rendered_tree

NOW = datetime(2026, 2, 14, 5, 17, tzinfo=UTC)
LAYOUT = Layout(Path("/nowhere"), "", "README.md", "archive", "feed.xml")
BUDGET = 60_000


def _entries(count: int, day: date) -> list[Entry]:
    abstract = "Spiking networks learn with surrogate gradients on neuromorphic chips. " * 12
    return [
        make_entry(make_paper(f"2602.{n:05d}", abstract=abstract), arrived=day)
        for n in range(count)
    ]


def _readme(
    hand_written: str,
    shown: list[Entry],
    day_files: dict[date, tuple[str, ...]] | None = None,
) -> str:
    config = neuromorphic_config(display={"max_page_bytes": BUDGET, "full_days": 1})
    rendered = render_outputs(
        config,
        LAYOUT,
        now=NOW,
        day_pages=[],
        replaced={},
        day_files=day_files or {},
        shown=shown,
        readme_text=f"<!-- digest:start -->\n<!-- digest:end -->\n{hand_written}",
    )
    text = rendered.files["README.md"]
    assert text is not None
    return text


def test_the_readme_as_a_whole_stays_within_the_budget_with_a_long_hand_written_part() -> None:
    hand_written = "\n## About us\n\n" + "Our lab studies brains and chips. " * 1200
    assert len(hand_written.encode("utf-8")) > BUDGET // 2
    readme = _readme(hand_written, _entries(200, date(2026, 2, 13)))
    assert len(readme.encode("utf-8")) <= BUDGET
    assert readme.endswith(hand_written), "the hand-written part is kept whole"


def test_a_hand_written_part_that_leaves_no_room_fails_saying_so() -> None:
    hand_written = "\n## About us\n\n" + "x" * (BUDGET - 1_000)
    with pytest.raises(ReadmeError) as caught:
        _readme(hand_written, _entries(3, date(2026, 2, 13)))
    message = str(caught.value)
    assert "README.md" in message and "display.max_page_bytes" in message
    assert "nothing was changed" in message and "\n" not in message


def test_every_part_of_a_busy_day_is_one_click_from_the_readme() -> None:
    day = date(2026, 2, 13)
    parts = ("archive/2026/2026-02-13.md", "archive/2026/2026-02-13-2.md")
    parts += ("archive/2026/2026-02-13-3.md",)
    older = day - timedelta(days=1)
    shown = [*_entries(200, day), make_entry(make_paper("2602.09999"), arrived=older)]
    readme = _readme("", shown, {day: parts, older: ("archive/2026/2026-02-12.md",)})
    links = {str(a.attrs["href"]) for a in rendered_tree(readme).find_all("a")}
    assert set(parts) <= links
    assert "archive/2026/2026-02-12.md" in links


def test_a_rewritten_day_replaces_all_its_old_parts() -> None:
    config = neuromorphic_config()
    day = date(2026, 2, 13)
    page = DayPage(day, NOW, tuple(_entries(2, day)), (), config.query, config.rules_key, day)
    old = ("archive/2026/2026-02-13.md", "archive/2026/2026-02-13-2.md")
    rendered = render_outputs(
        config,
        LAYOUT,
        now=NOW,
        day_pages=[page],
        replaced={day: old},
        day_files={day: old},
        shown=list(page.new),
        readme_text="",
    )
    assert rendered.files["archive/2026/2026-02-13.md"] is not None
    assert rendered.files["archive/2026/2026-02-13-2.md"] is None, "the stale part is removed"
    paths = list(rendered.files)
    assert paths.index("archive/2026/2026-02-13.md") < paths.index("README.md")
    assert paths[-1] == "README.md", "the README is written last"
