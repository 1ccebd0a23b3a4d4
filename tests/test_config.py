"""A forker's mistakes in config.yml get a message naming the key, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.config import Config, ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _shipped() -> dict[str, object]:
    loaded = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_shipped_config_shows_every_default() -> None:
    assert load_config(REPO / "config.yml") == Config()
    shown = _shipped()
    assert set(shown) == set(Config.model_fields)
    arxiv = shown["arxiv"]
    assert isinstance(arxiv, dict) and set(arxiv) == set(Config().arxiv.model_dump())


def test_every_setting_in_the_shipped_config_has_a_comment() -> None:
    lines = (REPO / "config.yml").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        is_setting = (
            ":" in stripped and not stripped.startswith(("#", "-")) and not line.startswith("    ")
        )
        if is_setting and not stripped.endswith(":"):
            assert lines[index - 1].strip().startswith("#"), f"no comment above: {line}"


def test_snapshot_defaults() -> None:
    config = Config()
    assert [c.name for c in config.categories] == [
        "🛠 Hardware & Materials",
        "🧠 Algorithms & Theory",
        "👁️ Applications & Sensing",
    ]
    assert config.fallback_category == "📂 General / Uncategorized"
    assert (config.window_days, config.lookback_days) == (14, 7)
    assert (config.arxiv.page_size, config.arxiv.delay_seconds, config.arxiv.max_results) == (
        100,
        3,
        2000,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed", "line 1"),
        ("windw_days: 3\n", "windw_days: unknown key; did you mean 'window_days'?"),
        ("arxiv:\n  page_sise: 10\n", "arxiv.page_sise: unknown key; did you mean 'page_size'?"),
        ("window_days: fourteen\n", "window_days: Input should be a valid integer"),
        ("window_days: 0\n", "window_days: Input should be greater than or equal to 1"),
        ("window_days: -3\n", "window_days"),
        ("query: '   '\n", "query: String should have at least 1 character"),
        ("categories: []\n", "categories: "),
        ("- just\n- a list\n", "must be a mapping"),
        ("", "must be a mapping of settings (key: value), not an empty file"),
        (
            "categories:\n  - name: A\n    keywords: [x]\n  - name: A\n    keywords: [y]\n",
            "'A' is used twice",
        ),
        ("categories:\n  - name: A\n", "categories.0: needs at least one entry"),
        ("categories:\n  - name: A\n    keywords: x\n", "categories.0.keywords"),
        ("fallback_category: '🧠 Algorithms & Theory'\n", "fallback_category: must differ"),
        ("lookback_days: 60\n", "lookback_days: must not exceed max_catchup_days"),
        (
            "arxiv:\n  page_size: 5000\n",
            "arxiv.page_size: Input should be less than or equal to 2000",
        ),
        (
            "relevance:\n  drop_irrelevant: 'yes'\n",
            "relevance.drop_irrelevant: Input should be a valid boolean",
        ),
        ("arxiv: 3\n", "arxiv: "),
        (
            "categories:\n  - name: A\n    keywords: ['*']\n",
            "categories.0.keywords.0: term '*' needs a letter or digit in each word",
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


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found; pass --config PATH"):
        load_config(tmp_path / "nope.yml")


def test_a_partial_config_falls_back_to_defaults(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "query: 'cat:cs.NE'\nwindow_days: 7\n"))
    assert config.query == "cat:cs.NE"
    assert config.window_days == 7
    assert config.categories == Config().categories
