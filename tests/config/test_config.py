"""A forker's mistakes in config.yml get a message naming the key, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from digest.config.settings import DEFAULTS, ConfigError, load_config
from tests.factories import (
    NEUROMORPHIC_CONFIG,
    flat_settings,
    neuromorphic_settings,
    settings_without_comment,
)

REPO = Path(__file__).resolve().parents[2]


BASE = {
    "title": "My digest",
    "query": "cat:cs.NE",
    "categories": [{"name": "🧠 Algorithms & Theory", "keywords": ["spiking"]}],
}
# Keys the Open Neuromorphic digest sets differently from the defaults, on purpose.
CHANGED_BY_THIS_DIGEST = {"description", "display.full_days", "relevance.exclude_terms"}


def _write(tmp_path: Path, text: str) -> Path:
    """A config with the required keys, then `text`'s keys on top (raw `text` if not a mapping)."""
    try:
        loaded = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # PyYAML raises ValueError for 2026-13-01
        loaded = None
    if isinstance(loaded, dict):
        text = yaml.safe_dump(BASE | loaded, allow_unicode=True)
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_neuromorphic_config_shows_every_setting_and_the_defaults_it_keeps() -> None:
    shown = flat_settings(neuromorphic_settings())
    defaults = flat_settings(DEFAULTS)
    assert set(defaults) | {"title", "query", "categories"} == set(shown)
    for key, value in defaults.items():
        if key not in CHANGED_BY_THIS_DIGEST:
            assert shown[key] == value, f"the config shows {key}: {shown[key]!r}, not the default"


def test_the_readme_table_states_every_default() -> None:
    """Checked while the README holds this documentation: a fork may replace it with its own."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_.]+)` \| (`[^|]*`|required) \|", readme, re.MULTILINE))
    if "## Configuration reference" not in readme:
        assert rows == {}, "a README without the reference has no stale half of its table"
        return
    for key, value in flat_settings(DEFAULTS).items():
        shown = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
        assert rows.get(key) == f"`{shown.removesuffix(chr(10)).removesuffix(chr(10) + '...')}`", (
            key
        )
    assert {rows["title"], rows["query"], rows["categories"]} == {"required"}


def test_every_setting_in_the_neuromorphic_config_has_a_comment() -> None:
    assert settings_without_comment(NEUROMORPHIC_CONFIG) == []


def test_the_neuromorphic_config_is_the_open_neuromorphic_digest() -> None:
    """What the tests built on it rely on: its three topics, fallback and window."""
    config = load_config(NEUROMORPHIC_CONFIG)
    assert [c.name for c in config.categories] == [
        "🛠 Hardware & Materials",
        "🧠 Algorithms & Theory",
        "👁️ Applications & Sensing",
    ]
    assert config.fallback_category == "📂 General / Uncategorized"
    assert (config.window_days, config.lookback_days) == (14, 5)


def test_the_repository_config_is_the_tests_copy_while_it_is_the_open_neuromorphic_digest() -> None:
    """Upstream, config.yml and the tests' copy say the same, so what the tests (and the README's
    accuracy figures) measure is what this repository runs; a fork retitles its digest and
    keeps its config to itself."""
    shipped = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    copy = neuromorphic_settings()
    assert shipped["title"] != copy["title"] or shipped == copy, (
        "config.yml changed: copy it over tests/fixtures/neuromorphic_config.yml, header kept"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", "invalid YAML"),
        ("windw_days: 3\n", "windw_days: unknown key; did you mean 'window_days'?"),
        ("arxiv:\n  page_sise: 10\n", "arxiv.page_sise: unknown key; did you mean 'page_size'?"),
        ("window_days: fourteen\n", "window_days: must be a whole number, not text"),
        ("window_days: 0\n", "window_days: must be a whole number of at least 1"),
        ("window_days: -3\n", "window_days"),
        ("query: '   '\n", "query: must not be blank"),
        ("categories: []\n", "categories: "),
        ("- just\n- a list\n", "must be a mapping"),
        ("arxiv:\n  max_results: 10\n", "arxiv.max_results: unknown key"),
        ("", "must be a mapping of settings (key: value), not an empty file"),
        (
            "categories:\n  - name: A\n    keywords: [x]\n  - name: A\n    keywords: [y]\n",
            "'A' is used twice",
        ),
        (
            "categories:\n  - name: A\n",
            "categories.0 (\"A\"): needs at least one entry in 'keywords', the words",
        ),
        (
            "categories:\n  - name: A\n    keywords: x\n",
            'categories.0 ("A").keywords: must be a list',
        ),
        ("fallback_category: '🧠 Algorithms & Theory'\n", "fallback_category: must differ"),
        ("lookback_days: 60\n", "lookback_days: must not exceed max_catchup_days"),
        ("window_days: 100000000\n", "window_days: must be a whole number of at most 365"),
        ("window_days: .inf\n", "window_days: must be a whole number, not a number"),
        (
            "alerts:\n  holidays: ['2026-1-2']\n",
            "alerts.holidays.0: must be a date like 2026-12-25",
        ),
        ("alerts:\n  holidays: [5]\n", "alerts.holidays.0: must be a date like 2026-12-25, not"),
        (
            "alerts:\n  holidays: [2026-13-01]\n",
            "alerts.holidays.0: 2026-13-01 is not a date (month must be in 1..12)",
        ),
        ("alerts:\n  stale_after: 0\n", "alerts.stale_after: must be a whole number of at least 1"),
        ("alerts:\n  open_issue: yes please\n", "alerts.open_issue: must be true or false"),
        ("max_catchup_days: 999999\n", "max_catchup_days: must be a whole number of at most 365"),
        ("arxiv:\n  delay_seconds: .inf\n", "arxiv.delay_seconds: must be a number of at most 60"),
        (
            "display:\n  abstracts: hidden\n",
            "display.abstracts: 'hidden' is not one of: full, folded, none",
        ),
        (
            "display:\n  max_page_bytes: 600000\n",
            "display.max_page_bytes: must be a whole number of at most 500000",
        ),
        (
            "arxiv:\n  page_size: 5000\n",
            "arxiv.page_size: must be a whole number of at most 2000",
        ),
        (
            "relevance:\n  drop_irrelevant: 'yes'\n",
            "relevance.drop_irrelevant: must be true or false, not text",
        ),
        ("arxiv: 3\n", "arxiv: "),
        (
            "categories:\n  - name: A\n    keywords: ['*']\n",
            "categories.0 (\"A\").keywords.0: term '*' needs a letter or digit in each word",
        ),
        ("relevance:\n  exclude_terms: ['x*y']\n", "relevance.exclude_terms.0: term 'x*y'"),
        ("readme_path: ../other/README.md\n", "readme_path: must be a path inside the repository"),
        ("archive_dir: /tmp/archive\n", "archive_dir: must be a path inside the repository"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, text))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert str(tmp_path / "config.yml") in message


def test_a_config_without_the_required_keys_names_the_first(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("title: x\nquery: y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="categories: required but missing"):
        load_config(path)


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found; pass --config PATH"):
        load_config(tmp_path / "nope.yml")


def test_a_partial_config_falls_back_to_defaults(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "query: 'cat:cs.NE'\nwindow_days: 7\n"))
    assert config.query == "cat:cs.NE"
    assert config.window_days == 7
    assert config.lookback_days == DEFAULTS["lookback_days"]
    assert config.display.max_page_bytes == DEFAULTS["display"]["max_page_bytes"]
