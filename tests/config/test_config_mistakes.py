"""Mistakes a careless forker makes in config.yml are refused with exit 2, naming what to fix:
a key written twice, a hidden paper that is not an arXiv id, a topic without keywords, a slip
in YAML's syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.categorize.rules import build_rules, categorize
from digest.cli import main
from digest.config.settings import ConfigError, load_config
from tests.factories import text_paper

REPO = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["--config", str(path), "--check"])
    return code, capsys.readouterr().err.strip().splitlines()


def test_a_query_added_on_top_of_the_stock_file_is_refused_naming_both_lines(
    tmp_path: Path, local_mode: None, capsys: pytest.CaptureFixture[str]
) -> None:
    stock = (REPO / "config.yml").read_text(encoding="utf-8")
    path = _config(tmp_path, "query: cat:astro-ph.EP\n" + stock)
    second = 1 + next(
        n for n, line in enumerate(stock.splitlines(), 1) if line.startswith("query:")
    )
    code, err = _check(path, capsys)
    assert code == 2
    assert err == [f"error: {path}: key 'query' is written twice (lines 1 and {second}); keep one"]
    code = main(["--config", str(path), "--now", "2026-02-14T05:00:00"])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines() == err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml"]


@pytest.mark.parametrize(
    ("text", "key", "lines"),
    [
        ("display:\n  abstracts: full\n  full_days: 3\n  abstracts: none\n", "abstracts", (2, 4)),
        (
            "categories:\n  - name: A\n    keywords: [spike]\n    name: B\n",
            "name",
            (2, 4),
        ),
        ("feed: {path: a.xml, path: b.xml}\n", "path", (1, 1)),
        ("alerts:\n  open_issue: true\n  open_issue: false\n", "open_issue", (2, 3)),
    ],
)
def test_a_key_written_twice_at_any_depth_is_refused(
    tmp_path: Path, text: str, key: str, lines: tuple[int, int]
) -> None:
    base = "title: T\nquery: all:x\ncategories:\n  - name: Z\n    keywords: [z]\n"
    if text.startswith("categories:"):
        base = "title: T\nquery: all:x\n"
    path = _config(tmp_path, text + base)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        f"{path}: key '{key}' is written twice (lines {lines[0]} and {lines[1]}); keep one"
    )


def test_keys_differing_in_case_or_merged_from_an_anchor_are_not_twice(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\n"
        "categories:\n  - &topic {name: A, keywords: [a]}\n  - {<<: *topic, name: B}\n"
        "relevance:\n  exclude_terms: [Query, query]\n",
    )
    assert [c.name for c in load_config(path).categories] == ["A", "B"]


def test_hidden_ids_are_read_as_written_bare_or_quoted(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\ncategories: [{name: A, keywords: [a]}]\n"
        "hidden: [2602.10000, '2602.00002', 2602.00003v2, math.GT/0309136, hep-th/9901001v1]\n",
    )
    assert load_config(path).hidden_ids == {
        "2602.10000",
        "2602.00002",
        "2602.00003",
        "math.GT/0309136",
        "hep-th/9901001",
    }


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("'2602.1'", "'2602.1'"),
        ("https://arxiv.org/abs/2602.00001", "'https://arxiv.org/abs/2\\u2026'"),
        ("'２６０２.00001'", "'\\uff12\\uff16\\uff10\\uff12.00001'"),
        ("'2602.00001v0'", "'2602.00001v0'"),
    ],
)
def test_a_hidden_entry_that_is_no_arxiv_id_is_refused_naming_it(
    tmp_path: Path, local_mode: None, capsys: pytest.CaptureFixture[str], written: str, shown: str
) -> None:
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\ncategories: [{name: A, keywords: [a]}]\n"
        f"hidden: ['2602.00001', {written}]\n",
    )
    code, err = _check(path, capsys)
    assert code == 2
    assert err == [
        f"error: {path}: hidden.1: {shown} is not an arXiv id like 2602.00001 or hep-th/9901001"
    ]


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        (
            "  - name: Hardware\n    keywords: [memristor]\n"
            '  - name: "🧠 Algorithms"\n    keywords: [learning rule, "**"]\n',
            "categories.1 (\"🧠 Algorithms\").keywords.1: term '**' needs a letter or digit in "
            "each word, and * only at a word's end",
        ),
        (
            '  - name: "🧠 Algorithms"\n    keyword: [plasticity]\n',
            "categories.0 (\"🧠 Algorithms\").keyword: unknown key; did you mean 'keywords'?",
        ),
        (
            "  - name: 'Say \"hi\"'\n    keywords: x\n",
            'categories.0 ("Say \\"hi\\"").keywords: must',
        ),
        ("  - keywords: [plasticity]\n", "categories.0.name: required but missing"),
    ],
)
def test_a_topic_mistake_names_the_topic_as_well_as_its_place(
    tmp_path: Path,
    local_mode: None,
    capsys: pytest.CaptureFixture[str],
    topics: str,
    expected: str,
) -> None:
    """A forker knows topics by name; `categories.1` alone makes them count from 0."""
    path = _config(tmp_path, f"title: T\nquery: all:x\ncategories:\n{topics}")
    code, err = _check(path, capsys)
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith(f"error: {path}: {expected}")


@pytest.mark.parametrize(
    "topic",
    [
        "keywords: []\n    arxiv_categories: [cs.NE]\n",
        "description: ' '\n    arxiv_categories: [cs.NE]\n",
        "exclude: [memristor]\n",
    ],
)
def test_a_topic_without_keywords_is_refused_naming_it_and_saying_to_add_some(
    tmp_path: Path, local_mode: None, capsys: pytest.CaptureFixture[str], topic: str
) -> None:
    """An arXiv hint tips a paper between topics but never places one alone, so a topic of
    hints alone would stay empty for ever while --check called the config valid."""
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\ncategories:\n  - name: Hardware\n    keywords: [memristor]\n"
        f'  - name: "🧠 Algorithms"\n    {topic}',
    )
    code, err = _check(path, capsys)
    assert code == 2
    assert err == [
        f'error: {path}: categories.1 ("🧠 Algorithms"): needs at least one entry in '
        "'keywords', the words that place a paper there, or a 'description' whose words do at "
        "half weight (arxiv_categories only tip a paper between topics)"
    ]


def test_a_topic_of_a_description_alone_is_valid_and_receives_papers(tmp_path: Path) -> None:
    """Description words are terms at half weight: such a topic places papers on its own."""
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\ncategories:\n  - name: Hardware\n    keywords: [memristor]\n"
        '  - name: "🧠 Algorithms"\n'
        "    description: Synaptic plasticity rules for spiking neurons\n",
    )
    config = load_config(path)
    paper = text_paper("Plasticity rules", "Synaptic plasticity in spiking neurons.")
    decision = categorize(paper, build_rules(config))
    assert decision.category == "🧠 Algorithms", decision.reason


TOPICS = (
    "categories:\n"
    '  - name: "🧠 Algorithms"\n'
    "    keywords: [plasticity, {term}]\n"
    "  - name: Hardware\n"
    "    keywords: [memristor]\n"
    "window_days: 7\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: cs.LG: daily digest\nquery: all:x\n" + TOPICS.format(term="x"),
            "line 1, column 13: invalid YAML: mapping values are not allowed in this context; "
            "a value holding ': ' must be quoted, as in title: 'cs.LG: daily digest'",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="*diffusion"),
            "line 5, column 28: invalid YAML: YAML reads *diffusion as an alias (a reuse of an "
            "&anchor's value), not as text; put it in quotes: '*diffusion'",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="&diffusion"),
            "line 5, column 28: YAML reads &diffusion as an anchor (a name for reusing a value), "
            "not as text; put it in quotes: '&diffusion'",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="&diffusion model"),
            "line 5, column 28: YAML reads &diffusion model as an anchor (a name for reusing a "
            "value), not as text; put it in quotes: '&diffusion model'",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="'diffusion"),
            "line 5, column 28: invalid YAML: the quoted text opened here never closes; "
            "add its closing quote",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="x") + "alerts:\n"
            "  holidays: [2026-01-01, 2026-13-01]\n",
            "line 10, column 26: alerts.holidays.1: 2026-13-01 is not a date (month must be in "
            "1..12); write a real day like 2026-12-25",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="x").replace("[memristor]", "[m"),
            "line 8, column 12: invalid YAML: did not find expected ',' or ']' (while parsing a "
            "flow sequence begun at line 7, column 15)",
        ),
        (
            "title: T\nquery: all:x\n" + TOPICS.format(term="x").replace("7", "1" + "0" * 5000),
            "line 8, column 14: window_days: " + "1" + "0" * 38 + "… cannot be read as a number; "
            "write a plain number, or quote it if it is text",
        ),
    ],
    ids=["colon", "alias", "anchor", "anchor-before-word", "quote", "date", "bracket", "huge"],
)
def test_a_yaml_slip_names_the_line_to_mend_and_how(
    tmp_path: Path,
    local_mode: None,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    """A colon in a title, a term starting with * or &, a quote left open, a day that does not
    exist: YAML's own words named none of the fixes, and some not even the line."""
    path = _config(tmp_path, text)
    code, err = _check(path, capsys)
    assert code == 2
    assert err == [f"error: {path} {expected}"]


def test_a_term_holding_a_colon_in_a_block_list_is_told_to_be_quoted(
    tmp_path: Path, local_mode: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`- deep learning: theory` is a mapping to YAML, not the term the forker wrote."""
    path = _config(
        tmp_path,
        "title: T\nquery: all:x\ncategories:\n  - name: A\n    keywords:\n"
        "      - deep learning: theory\n",
    )
    code, err = _check(path, capsys)
    assert code == 2
    assert err == [
        f'error: {path}: categories.0 ("A").keywords.0: must be text, not a mapping of '
        "settings; text holding ': ' must be quoted"
    ]
