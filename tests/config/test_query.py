"""A query mistake stops `--check` and every run with one line naming `query`, before arXiv."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.cli import main
from digest.config.query import query_problem
from tests.fake_arxiv import FakeArxiv, seed_fake_papers

REPO = Path(__file__).resolve().parents[2]

MISTAKES = [
    # (query, what the message must say: the position and the fix)
    ("(all:neuromorphic OR all:memristor", ('"(" at character 1 is never closed', 'add a ")"')),
    ('all:"spiking neural network OR all:memristor', ("quote at character 5", 'add a "')),
    ("all:neuromorphic OR", ("OR at character 18 has no term after it",)),
    ("all:a and all:b", ("and at character 7", "write AND")),
    ("all:a AND NOT all:b", ("AND NOT at character 7", "write ANDNOT")),
    ("abstract:spiking", ("unknown field abstract: at character 1", "did you mean abs:?")),
    ("all:a) OR all:b", ('")" at character 6 closes nothing',)),
    ("OR all:a", ("OR at character 1 has no term before it",)),
    ("ti:quantum gravity", ("character 12", 'ti:"quantum gravity"')),
    ("all:a all:b", ("all:b at character 7", "AND, OR or ANDNOT")),
    ("spiking", ("spiking at character 1 has no field", "all:spiking")),
    ("NOT cat:cs.AI", ("NOT at character 1", "ANDNOT")),
    ("abs:(spiking OR memristor)", ("abs: at character 1", "(abs:a OR abs:b)")),
    ("()", ('"()" at character 1 is empty',)),
]

VALID = [
    "cat:cs.AI",
    '(abs:"spiking neural network" OR ti:neuromorphic) ANDNOT cat:q-bio.NC',
    "au:del_maestro",
    "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)",
    'au:del_maestro AND ti:"quantum criticality"',
    'ti:"quantum" AND abs:qubit*',
    "cat:astro-ph.EP OR (jr:Nature AND co:JWST) OR rn:CERN-TH-2026-001 OR id:2601.00001",
    "  all:electron\n  OR all:proton ",
]


@pytest.mark.parametrize(("query", "says"), MISTAKES, ids=[q for q, _ in MISTAKES])
def test_a_malformed_query_exits_2_naming_query_before_arxiv_is_asked(
    tmp_path: Path,
    arxiv_env: FakeArxiv,
    capsys: pytest.CaptureFixture[str],
    query: str,
    says: tuple[str, ...],
) -> None:
    arxiv_env.set_papers(seed_fake_papers())
    config = tmp_path / "config.yml"
    config.write_text(
        yaml.safe_dump(
            {"title": "T", "query": query, "categories": [{"name": "A", "keywords": ["spiking"]}]}
        ),
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("<!-- digest:start -->\n<!-- digest:end -->\n")
    before = sorted(path.name for path in tmp_path.iterdir())
    for command in (["--check"], ["--now", "2026-02-14T05:00:00Z"]):
        assert main(["--config", str(config), *command]) == 2
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and f"{config}: query: " in error, error
        assert all(part in error for part in says), error
    assert arxiv_env.requests == [], "the query was checked before asking arXiv"
    assert sorted(path.name for path in tmp_path.iterdir()) == before


@pytest.mark.parametrize("query", VALID)
def test_queries_written_as_arxiv_documents_them_pass(query: str) -> None:
    assert query_problem(query) is None


@pytest.mark.parametrize(
    "path", [REPO / "config.yml", *sorted((REPO / "examples").glob("*.yml"))], ids=lambda p: p.name
)
def test_the_shipped_queries_pass(path: Path) -> None:
    assert query_problem(yaml.safe_load(path.read_text(encoding="utf-8"))["query"]) is None
