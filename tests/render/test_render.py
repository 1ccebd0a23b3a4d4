"""What readers see on GitHub: the block's structure survives any text arXiv sends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config.settings import AbstractDisplay, DisplaySettings, parse
from digest.fetch.entries import clean_text
from digest.markdown import escape, github_anchor
from digest.records import Entry
from digest.render.block import BlockSpec, render_block
from digest.render.items import NEW_MARK, full_item
from digest.render.readme import (
    BLOCK_END,
    BLOCK_START,
    previous_stamp,
    replace_block,
    split_readme,
)
from tests.factories import make_entry, make_paper
from tests.markdown_html import Node, rendered_tree

ORDER = [
    "🛠 Hardware & Materials",
    "🧠 Algorithms & Theory",
    "👁️ Applications & Sensing",
    "📂 General",
]
CHANGED = datetime(2026, 2, 5, 8, 41, tzinfo=UTC)
ALLOWED_TAGS = {"root", "h1", "h2", "h3", "p", "a", "em", "strong", "blockquote", "hr", "sub"}

HOSTILE = [
    "<script>alert(1)</script> and </details> <img src=x onerror=alert(1)>",
    "Table | cells | here * stars * and _under_ ] brackets [ ` back`ticks`",
    f"Forged {BLOCK_END} marker {BLOCK_START}",
    "MoS$_2$ and $\\alpha$-In$_2$Se$_3$ with \\textbf{bold}",
    "# not a heading\n\n- not a list\n1. not ordered\n> not a quote",
    "Emoji 🧠⚡ and العربية right-to-left ‮reversed‬ text",
    "[link](javascript:alert(1)) ![img](http://x) <http://auto> &amp; &lt;b&gt;",
    "~~struck~~ **bold** __under__ ***",
    "x" * 5000,
    "",
]


def _spec(entries: list[Entry], **display: object) -> BlockSpec:
    shown_as = parse({"full_days": 14} | display, DisplaySettings)
    return BlockSpec(
        title="🧠 Open Neuromorphic - Daily ArXiv",
        description="Papers are automatically categorized by topic and sorted by date.",
        window_days=14,
        order=ORDER,
        display=shown_as,
        max_bytes=shown_as.max_page_bytes,
        day_links={e.arrived: (f"archive/{e.arrived:%Y}/{e.arrived}.md",) for e in entries},
    )


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.arrived, e.paper.published), reverse=True)


def _block(entries: list[Entry], **display: object) -> str:
    ordered = _newest_first(entries)
    return render_block(_spec(ordered, **display), ordered).stamped(CHANGED)


def _hostile_entries(texts: list[str]) -> list[Entry]:
    entries = []
    for number, text in enumerate(texts, start=1):
        paper = make_paper(
            f"2602.{number:05d}",
            title=clean_text(text),
            authors=(clean_text(text)[:60] or "Anonymous", "B *Bold* Author", "C_", "D"),
            abstract=clean_text(text),
            published=f"2026-02-{number % 9 + 1:02d}T10:00:00+00:00",
        )
        entries.append(make_entry(paper, ORDER[number % len(ORDER)]))
    return entries


def _assert_structure(block: str, entries: list[Entry]) -> Node:
    tree = rendered_tree(block)
    assert tree.tags() <= ALLOWED_TAGS, f"unexpected HTML: {tree.tags() - ALLOWED_TAGS}"
    headings = tree.find_all("h3")
    assert len(headings) == len(entries)
    assert len(tree.find_all("blockquote")) == len(entries)
    papers = {entry.paper.abs_url: entry.paper for entry in entries}
    newest = max(entry.arrived for entry in entries)
    new = {entry.paper.abs_url for entry in entries if entry.arrived == newest}
    for heading in headings:
        links = heading.find_all("a")
        assert len(links) == 1
        href = str(links[0].attrs["href"])
        paper = papers.pop(href)
        assert heading.text().startswith(f"{NEW_MARK} ") == (href in new)
        shown = heading.text().removeprefix(f"{NEW_MARK} ")
        expected = " ".join(paper.title.split())
        assert (
            shown == expected
            or (len(expected) > 400 and shown.endswith("…"))
            or (not expected and shown == paper.versioned_id)
        )
    assert not papers
    lines = block.splitlines()
    assert lines[0] == BLOCK_START and lines[-1] == BLOCK_END
    assert lines.count(BLOCK_START) == 1 and lines.count(BLOCK_END) == 1
    return tree


def test_hostile_titles_authors_and_abstracts_keep_one_entry_each() -> None:
    entries = _hostile_entries(HOSTILE)
    tree = _assert_structure(_block(entries), entries)
    assert "MoS$_2$ and $\\alpha$-In$_2$Se$_3$ with \\textbf{bold}" in tree.text()
    assert "<script>alert(1)</script>" in tree.text()  # shown as text, never as markup


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=6))
def test_any_text_keeps_the_structure(texts: list[str]) -> None:
    entries = _hostile_entries(texts)
    _assert_structure(_block(entries), entries)


def test_block_matches_the_known_look() -> None:
    older = make_entry(make_paper("2601.00001", published="2026-01-30T09:00:00+00:00"), ORDER[0])
    newer = make_entry(
        make_paper(
            "2601.00002",
            version=2,
            published="2026-02-02T09:00:00+00:00",
            authors=("A One", "B Two", "C Three", "D Four"),
        ),
        ORDER[0],
    )
    other = make_entry(make_paper("2601.00003", published="2026-02-01T09:00:00+00:00"), ORDER[2])
    tree = rendered_tree(_block([older, other, newer]))
    assert [h.text() for h in tree.find_all("h1")] == ["🧠 Open Neuromorphic - Daily ArXiv"]
    assert [h.text() for h in tree.find_all("h2")] == [ORDER[0], ORDER[2]]
    assert [h.text() for h in tree.find_all("h3")] == [
        "🆕 Paper 2601.00002",
        "Paper 2601.00001",
        "Paper 2601.00003",
    ]
    text = tree.text()
    assert "List last changed: 2026-02-05 08:41 UTC" in text
    assert "Newest arrival: 2026-02-02" in text
    assert "3 papers added in the last 14 days" in text
    assert "A One, B Two, C Three et al." in text
    assert "v2, revised 2026-02-03" in text
    contents = [a for a in tree.find_all("a") if str(a.attrs["href"]).startswith("#")]
    assert [(a.text(), a.attrs["href"]) for a in contents] == [
        (f"{ORDER[0]} (2, 1 new)", "#-hardware--materials"),
        (f"{ORDER[2]} (1)", "#%EF%B8%8F-applications--sensing"),  # U+FE0F kept, as GitHub does
    ]


def test_an_empty_window_says_so() -> None:
    tree = rendered_tree(_block([]))
    assert "No papers were added in the last 14 days." in tree.text()
    assert tree.find_all("h2") == []


def test_readme_block_is_replaced_and_hand_written_sections_kept() -> None:
    readme = f"{BLOCK_START}\nold\n{BLOCK_END}\n\n## How to fork\n\nKeep me.\n"
    block = _block(_hostile_entries(["Forged <!-- digest:end --> title"]))
    updated = replace_block(readme, block)
    before, found, after = split_readme(updated)
    assert before == "" and found == block
    assert after == "\n## How to fork\n\nKeep me.\n"
    assert split_readme(replace_block(updated, block)) == (before, found, after)


def test_the_stamp_is_read_back_from_the_block() -> None:
    block = _block([make_entry(make_paper("2601.00007", version=3))])
    assert previous_stamp(block) == CHANGED


def test_escape_leaves_plain_words_alone() -> None:
    assert escape("Spiking  networks\nfor   vision") == "Spiking networks for vision"


def test_github_anchor_numbers_repeated_headings() -> None:
    seen: dict[str, int] = {}
    assert github_anchor("Results & Notes", seen) == "results--notes"
    assert github_anchor("Results & Notes", seen) == "results--notes-1"


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        # GitHub keeps an emoji's variation selector (a mark) and drops the emoji itself.
        ("👁️ Applications & Sensing", "\ufe0f-applications--sensing"),
        ("🧠 Algorithms & Theory", "-algorithms--theory"),
        ("snake_case, x² and 10%", "snake_case-x-and-10"),
        ("Café naïve", "café-naïve"),
    ],
)
def test_github_anchor_keeps_what_github_keeps(heading: str, anchor: str) -> None:
    assert github_anchor(heading, {}) == anchor


def _busy_entries(days: int, per_day: int) -> list[Entry]:
    """`per_day` papers arriving on each of `days` days, with realistic abstract lengths."""
    entries = []
    for day in range(days):
        arrived = date(2026, 2, 14) - timedelta(days=day)
        for n in range(per_day):
            paper = make_paper(
                f"26{day:02d}.{n:05d}",
                title=f"Agents that reason about tools, study {day}-{n}",
                authors=("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"),
                abstract="We study language agents that plan, call tools and reflect. " * 25,
                published=f"{arrived - timedelta(days=1)}T10:00:00+00:00",
            )
            entries.append(make_entry(paper, ORDER[n % 4], arrived=arrived))
    return entries


def test_a_busy_window_fits_the_byte_budget_and_says_where_every_paper_is() -> None:
    entries = _newest_first(_busy_entries(days=15, per_day=300))
    block = render_block(_spec(entries, full_days=1), entries)
    text = block.stamped(CHANGED)
    assert len(text.encode("utf-8")) <= 450_000
    tree = rendered_tree(text)
    full_ids = {str(h.find_all("a")[0].attrs["href"]) for h in tree.find_all("h3")}
    brief_ids = {str(li.find_all("a")[0].attrs["href"]) for li in tree.find_all("li")}
    elsewhere = [e for e in entries if e.paper.abs_url not in full_ids | brief_ids]
    assert full_ids and brief_ids and elsewhere
    assert {e.arrived for e in entries if e.paper.abs_url in full_ids} == {date(2026, 2, 14)}
    newest_elsewhere = max(e.arrived for e in elsewhere)
    assert all(e.arrived >= newest_elsewhere for e in entries if e.paper.abs_url in brief_ids)
    said = tree.text()
    assert f"{len(full_ids)} newest in full, {len(brief_ids)} older in one line each" in said
    assert f"the {len(elsewhere)} earliest arrivals are listed" in said
    day_links = {a.text(): a.attrs["href"] for a in tree.find_all("a")}
    for day in {e.arrived for e in elsewhere}:
        count = sum(1 for e in entries if e.arrived == day)
        assert day_links[f"{day} ({count})"] == f"archive/{day:%Y}/{day}.md"


def _shown(text: str) -> tuple[set[str], set[str], list[Node]]:
    """The abstract links of the papers in full and in one line, and the one-line items."""
    tree = rendered_tree(text)
    full_ids = {str(h.find_all("a")[0].attrs["href"]) for h in tree.find_all("h3")}
    lines = tree.find_all("li")
    return full_ids, {str(li.find_all("a")[0].attrs["href"]) for li in lines}, lines


def test_a_long_window_shown_in_full_still_leaves_half_the_budget_to_one_line_items() -> None:
    """`full_days` covering the whole window (a small field's setting) on a busy field: the
    papers that do not fit in full get one line each instead of vanishing to the archive."""
    entries = _newest_first(_busy_entries(days=15, per_day=120))
    block = render_block(_spec(entries, full_days=14), entries)
    text = block.stamped(CHANGED)
    full_ids, brief_ids, _ = _shown(text)
    assert full_ids and len(brief_ids) > 2 * len(full_ids)
    in_full = [e for e in entries if e.paper.abs_url in full_ids]
    full_bytes = sum(len(full_item(e, AbstractDisplay.FULL, False).encode()) for e in in_full)
    assert full_bytes <= 450_000 // 2
    assert len(text.encode("utf-8")) <= 450_000


@pytest.mark.parametrize(("days", "per_day", "full_days"), [(14, 25, 14), (3, 150, 3)])
def test_when_every_paper_fits_in_one_line_none_is_left_to_the_archive(
    days: int, per_day: int, full_days: int
) -> None:
    """Every paper fits in one line with room to spare: all are shown, the newest in full as
    far as the others leave room, and the one-line items keep their PDF links."""
    entries = _newest_first(_busy_entries(days=days, per_day=per_day))
    text = render_block(_spec(entries, full_days=full_days), entries).stamped(CHANGED)
    full_ids, brief_ids, lines = _shown(text)
    assert full_ids | brief_ids == {e.paper.abs_url for e in entries}
    assert "earliest arrivals are listed" not in text
    assert full_ids == {e.paper.abs_url for e in entries[: len(full_ids)]}, "the newest in full"
    assert len(full_ids) > len(entries) // 2
    assert lines and all(any(a.text() == "PDF" for a in li.find_all("a")) for li in lines)
    assert len(text.encode("utf-8")) <= 450_000


def test_a_small_window_is_shown_whole_in_full() -> None:
    entries = _busy_entries(days=14, per_day=6)
    tree = rendered_tree(_block(entries))
    assert len(tree.find_all("h3")) == len(entries)
    assert tree.find_all("li") == []
    assert "newest in full" not in tree.text()


def test_abstracts_can_be_folded_or_left_out() -> None:
    entries = [
        make_entry(make_paper(f"2602.0000{n}", abstract=text), ORDER[0])
        for n, text in enumerate(["Folded abstract text", "Another </details> text"])
    ]
    folded = _block(entries, abstracts=AbstractDisplay.FOLDED)
    tree = rendered_tree(folded)
    assert len(tree.find_all("details")) == 2
    assert "Another </details> text" in tree.text()
    hidden = rendered_tree(_block(entries, abstracts=AbstractDisplay.NONE))
    assert "Folded abstract text" not in hidden.text()
    assert hidden.find_all("blockquote") == [] and len(hidden.find_all("h3")) == 2


def test_the_block_is_the_same_however_often_it_is_rendered() -> None:
    entries = _newest_first(_busy_entries(days=15, per_day=200))
    first = render_block(_spec(entries, full_days=2), entries)
    assert render_block(_spec(entries, full_days=2), entries) == first
    assert previous_stamp(first.stamped(CHANGED)) == CHANGED
