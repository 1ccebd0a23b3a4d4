"""What readers see on GitHub: the block's structure survives any text arXiv sends."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.fetch import clean_text
from digest.records import Entry
from digest.render import (
    BLOCK_END,
    BLOCK_START,
    escape,
    github_anchor,
    listed_ids,
    previous_stamp,
    render_block,
    replace_block,
    sections_of,
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


def _block(entries: list[Entry]) -> str:
    return render_block(
        title="🧠 Open Neuromorphic - Daily ArXiv",
        description="Papers are automatically categorized by topic and sorted by date.",
        sections=sections_of(entries, ORDER),
        window_days=14,
        changed_at=CHANGED,
    )


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
    for heading in headings:
        links = heading.find_all("a")
        assert len(links) == 1
        paper = papers.pop(str(links[0].attrs["href"]))
        shown = heading.text()
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
        "Paper 2601.00002",
        "Paper 2601.00001",
        "Paper 2601.00003",
    ]
    text = tree.text()
    assert "List last changed: 2026-02-05 08:41 UTC" in text
    assert "Newest paper submitted: 2026-02-02" in text
    assert "3 papers from the last 14 days" in text
    assert "A One, B Two, C Three et al." in text
    assert "v2 of 2026-02-03" in text
    contents = [a for a in tree.find_all("a") if str(a.attrs["href"]).startswith("#")]
    assert [(a.text(), a.attrs["href"]) for a in contents] == [
        (f"{ORDER[0]} (2)", "#-hardware--materials"),
        (f"{ORDER[2]} (1)", "#-applications--sensing"),
    ]


def test_an_empty_window_says_so() -> None:
    tree = rendered_tree(_block([]))
    assert "No papers were submitted in the last 14 days." in tree.text()
    assert tree.find_all("h2") == []


def test_readme_block_is_replaced_and_hand_written_sections_kept() -> None:
    readme = f"{BLOCK_START}\nold\n{BLOCK_END}\n\n## How to fork\n\nKeep me.\n"
    block = _block(_hostile_entries(["Forged <!-- digest:end --> title"]))
    updated = replace_block(readme, block)
    before, found, after = split_readme(updated)
    assert before == "" and found == block
    assert after == "\n## How to fork\n\nKeep me.\n"
    assert split_readme(replace_block(updated, block)) == (before, found, after)


def test_stamp_and_listed_ids_are_read_back_from_the_block() -> None:
    block = _block([make_entry(make_paper("2601.00007", version=3))])
    assert previous_stamp(block) == CHANGED
    assert listed_ids(block) == {"2601.00007"}


def test_escape_leaves_plain_words_alone() -> None:
    assert escape("Spiking  networks\nfor   vision") == "Spiking networks for vision"


def test_github_anchor_numbers_repeated_headings() -> None:
    seen: dict[str, int] = {}
    assert github_anchor("Results & Notes", seen) == "results--notes"
    assert github_anchor("Results & Notes", seen) == "results--notes-1"
