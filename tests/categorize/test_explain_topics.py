"""scripts/explain_topics.py as a forker runs it on an archive the bot wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from digest.archive.page import DayPage, render_parts
from digest.records import Decision, Entry
from tests.factories import make_paper

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "explain_topics.py"
QUERY = "all:memristor"
HARDWARE, ALGORITHMS, GENERAL = "Hardware stuff", "Algorithms stuff", "General things"

CONFIG = f"""\
title: Test digest
query: "{QUERY}"
categories:
  - name: "{HARDWARE}"
    keywords: [memristor, crossbar, fefet]
    arxiv_categories: [cs.AR]
  - name: "{ALGORITHMS}"
    keywords: [learning rule, plasticity]
    arxiv_categories: [cs.NE]
fallback_category: "{GENERAL}"
relevance:
  min_score: 2
  exclude_terms: []
"""


def entry(
    arxiv_id: str,
    title: str,
    abstract: str,
    category: str,
    *,
    primary: str = "physics.app-ph",
    version: int = 1,
) -> Entry:
    paper = make_paper(
        arxiv_id, version=version, title=title, abstract=abstract, primary_category=primary
    )
    return Entry(paper, paper.published.date(), Decision(category, "as the bot wrote it"))


def write_page(archive: Path, day: date, entries: list[Entry], query: str = QUERY) -> None:
    page = DayPage(
        day=day,
        last_run=datetime(day.year, day.month, day.day, 6, tzinfo=UTC),
        new=tuple(entries),
        updated=(),
        query=query,
    )
    (text,) = render_parts(page, [HARDWARE, ALGORITHMS, GENERAL], 500_000)
    folder = archive / f"{day:%Y}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day:%Y-%m-%d}.md").write_text(text, encoding="utf-8")


def build_archive(tmp_path: Path) -> tuple[Path, Path]:
    archive = tmp_path / "archive"
    write_page(
        archive,
        date(2026, 2, 3),
        [
            entry("2602.00001", "An old title", "Nothing yet.", GENERAL),
            entry("2602.00002", "Memristor arrays", "One memristor.", ALGORITHMS),
            entry("2602.00003", "Plasticity in a crossbar", "A memristor learning rule.", HARDWARE),
            entry("2602.00004", "Crossbar plasticity", "", ALGORITHMS, primary="cs.NE"),
        ],
    )
    write_page(
        archive,
        date(2026, 2, 4),
        [
            entry(
                "2602.00001",
                "Memristor crossbars for inference",
                "Oxide memristors in a crossbar.",
                GENERAL,
                version=2,
            ),
            entry("2602.00005", "A survey of telescopes", "Mirrors and domes.", GENERAL),
            entry("2602.00006", "Devices for computing", "A memristor in a crossbar.", HARDWARE),
        ],
    )
    write_page(
        archive,
        date(2026, 2, 5),
        [entry("2602.00009", "Memristor memories", "From another field.", HARDWARE)],
        query="all:other",
    )
    config = tmp_path / "config.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return archive, config


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def section(output: str, heading: str) -> list[str]:
    """The lines from the one starting with `heading` to the next blank line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_each_topic_lists_the_terms_that_placed_its_papers(tmp_path: Path) -> None:
    archive, config = build_archive(tmp_path)
    result = run(archive, "--config", config)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Six papers of this query (one revised), the other field's page left out.
    assert out.startswith("papers: 6, 1 pages of other queries left out\n")
    assert section(out, HARDWARE) == [
        f"{HARDWARE}: 4 papers",
        "  terms: memristor 4, crossbar 3",
        "  matched no paper (1 of 3): fefet",
    ]
    # The hint won the tied paper for the algorithms; its only term there is plasticity.
    assert section(out, ALGORITHMS) == [f"{ALGORITHMS}: 1 papers", "  terms: plasticity 1"]
    assert f"{GENERAL} (fallback): 1 papers" in out
    assert "Memristor memories" not in out
    assert "An old title" not in out


def test_hard_papers_are_named_with_why(tmp_path: Path) -> None:
    archive, config = build_archive(tmp_path)
    out = run(archive, "--config", config).stdout
    hard = out.split("hard papers: 3 close calls, 1 in the fallback with no topic term\n")[1]
    blocks = {
        block.splitlines()[0]: block for block in ("\n" + hard).split("\n  [") if block.strip()
    }
    assert section(out, "in the fallback with no topic term") == [
        "in the fallback with no topic term (1):",
        f"  [{GENERAL}] A survey of telescopes (2602.00005)",
    ]
    tie = blocks[f"{HARDWARE}] Plasticity in a crossbar (2602.00003)"]
    assert f"close second: {ALGORITHMS} scored 4 against 4" in tie
    tipped = blocks[f"{ALGORITHMS}] Crossbar plasticity (2602.00004)"]
    assert f"hint-tipped: arXiv cs.NE won it; its terms favour {HARDWARE}" in tipped
    weak = blocks[f"{HARDWARE}] Devices for computing (2602.00006)"]
    assert "at min_score: term score 2, min_score 2" in weak
    assert "because abstract: memristor, crossbar" in weak
    # Clear-cut papers are not listed as hard.
    assert "Memristor crossbars for inference" not in hard
    assert "Memristor arrays" not in hard


def test_on_a_busy_archive_papers_a_term_could_settle_come_before_those_no_term_matched(
    tmp_path: Path,
) -> None:
    """Hundreds of papers no term matched used to fill the first --hard places, hiding every
    close call and every paper just below min_score."""
    archive, config = build_archive(tmp_path)
    unmatched = [entry(f"2602.0002{n}", f"Galaxy survey {n}", "Stars.", GENERAL) for n in range(5)]
    weak = entry("2602.00011", "A weak one", "One memristor.", GENERAL)
    write_page(archive, date(2026, 2, 6), [*unmatched, weak])
    out = run(archive, "--config", config, "--hard", "3").stdout
    hard = out[out.index("hard papers:") :]
    assert hard.startswith(
        "hard papers: 3 close calls, 1 in the fallback on some term evidence, "
        "6 in the fallback with no topic term\n"
    )
    close = section(out, "close calls")
    assert close[0] == "close calls (3, closest first):"
    assert [line for line in close if line.startswith("  [")] == [
        f"  [{HARDWARE}] Plasticity in a crossbar (2602.00003)",
        f"  [{HARDWARE}] Devices for computing (2602.00006)",
        f"  [{ALGORITHMS}] Crossbar plasticity (2602.00004)",
    ]
    assert section(out, "in the fallback on some term evidence") == [
        "in the fallback on some term evidence (1, most evidence first):",
        f"  [{GENERAL}] A weak one (2602.00011)",
        "      fallback: term score 1 below min_score 2",
        "      because term score 1 below min_score 2: abstract: memristor",
    ]
    assert section(out, "in the fallback with no topic term") == [
        "in the fallback with no topic term (6):",
        f"  [{GENERAL}] A survey of telescopes (2602.00005)",
        f"  [{GENERAL}] Galaxy survey 0 (2602.00020)",
        f"  [{GENERAL}] Galaxy survey 1 (2602.00021)",
        "  ... 3 more (--hard N shows more)",
    ]


def test_papers_whose_topic_changed_since_the_archive_are_listed(tmp_path: Path) -> None:
    archive, config = build_archive(tmp_path)
    out = run(archive, "--config", config).stdout
    assert section(out, "would move") == [
        "would move from the archived topic (2):",
        f"  [{GENERAL} -> {HARDWARE}] Memristor crossbars for inference (2602.00001)",
        f"  [{ALGORITHMS} -> {HARDWARE}] Memristor arrays (2602.00002)",
    ]


def test_a_folder_without_pages_or_a_bad_config_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(empty)
    assert result.returncode == 2
    assert result.stderr == f"error: {empty}: no archive pages (YYYY/YYYY-MM-DD.md) found there\n"
    missing = run(tmp_path / "nowhere")
    assert missing.returncode == 2
    assert "not a folder" in missing.stderr
    archive, config = build_archive(tmp_path)
    config.write_text("categories: [", encoding="utf-8")
    broken = run(archive, "--config", config)
    assert broken.returncode == 2
    assert "invalid YAML" in broken.stderr
    assert "Traceback" not in broken.stderr + missing.stderr + result.stderr
