"""scripts/try_config.py as a forker runs it: the block and each paper's topic, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.factories import NEUROMORPHIC_CONFIG
from tests.markdown_html import rendered_tree

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "try_config.py"
SEED = REPO / "tests" / "fixtures" / "seed_papers.json"
HARDWARE = "🛠 Hardware & Materials"


def _try(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=clean | {"PYTHONPATH": str(REPO)},
        timeout=120,
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_it_shows_the_block_and_each_papers_topic_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copy(NEUROMORPHIC_CONFIG, tmp_path / "config.yml")
    (tmp_path / "README.md").write_text(
        "<!-- digest:start -->\nnot yet\n<!-- digest:end -->\n\n## Mine\n", encoding="utf-8"
    )
    before = _snapshot(tmp_path)
    result = _try(
        "--config", tmp_path / "config.yml", "--papers", SEED, "--now", "2026-02-13T05:00Z"
    )
    assert result.returncode == 0, result.stderr
    assert _snapshot(tmp_path) == before
    block, table = result.stdout.split("<!-- digest:end -->")
    listed = {
        str(a.attrs["href"]).split("/abs/")[1].split("v")[0]
        for a in rendered_tree(block).find_all("a")
        if "/abs/" in str(a.attrs.get("href", ""))
    }
    seed = {r["id"].split("v")[0]: r for r in json.loads(SEED.read_text(encoding="utf-8"))}
    in_window = {i for i, r in seed.items() if r["published"] >= "2026-01-31"}
    assert listed == in_window
    rows = {line.split()[0]: line for line in table.splitlines() if line[:4].isdigit()}
    assert set(rows) == in_window, "one row for each paper the run recorded"
    for paper_id, row in rows.items():
        assert seed[paper_id]["title"] in row and " <- " in row
    # Its title says memristor, and the row shows that as the evidence.
    assert f"{HARDWARE}  <- title: " in rows["2602.04619"] and "memristor" in rows["2602.04619"]
    assert "Nothing was written" in table


def test_a_bad_papers_file_or_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "papers.json"
    paper = {"id": "2601.00001v1", "title": "No abstract", "published": "2026-02-02"}
    broken.write_text(json.dumps([paper]), encoding="utf-8")
    result = _try("--config", NEUROMORPHIC_CONFIG, "--papers", broken)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert str(broken) in result.stderr and "paper 1: no 'abstract'" in result.stderr
    config = tmp_path / "config.yml"
    config.write_text(
        NEUROMORPHIC_CONFIG.read_text(encoding="utf-8").replace(" OR all:memristor", " or all:x"),
        encoding="utf-8",
    )
    result = _try("--config", config, "--papers", SEED)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "query: or at character" in result.stderr and "write OR" in result.stderr


def test_relative_paths_are_read_from_where_it_is_run(tmp_path: Path) -> None:
    """`cd my-fork && python path/to/scripts/try_config.py --config config.yml` tries the fork's
    config on the fork's papers, not the repository's config.yml."""
    fork = tmp_path / "fork"
    fork.mkdir()
    (fork / "config.yml").write_text(
        'title: "A fork\'s digest"\nquery: all:memristor\n'
        'categories:\n  - name: "🔭 Forked topic"\n    keywords: [memristor]\n'
        'fallback_category: "📂 Everything else"\n',
        encoding="utf-8",
    )
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    chosen = [r for r in seed if r["published"] >= "2026-02-05"][:2]
    (fork / "papers.json").write_text(json.dumps(chosen), encoding="utf-8")
    result = _try(
        "--config", "config.yml", "--papers", "papers.json", "--now", "2026-02-13T05:00Z", cwd=fork
    )
    assert result.returncode == 0, result.stderr
    assert "A fork's digest" in result.stdout
    assert "Open Neuromorphic" not in result.stdout
    assert "Each paper's topic and why (2 of the 2 in papers.json):" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line[:4].isdigit()]
    assert len(rows) == 2
    assert all("🔭 Forked topic" in row or "📂 Everything else" in row for row in rows)
    assert sorted(p.name for p in fork.iterdir()) == ["config.yml", "papers.json"]
