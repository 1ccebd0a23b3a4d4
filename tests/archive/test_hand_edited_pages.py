"""A page edited by hand into values no run writes is a damaged page: the run names the file,
exits 1 and changes nothing, and never shows a reader a date that has not come."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, seed_fake_papers

FIRST = at("2026-02-13")
NEXT = at("2026-02-14")
DEEP = 100_000


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    site = Site.create(tmp_path / "site")
    assert site.run(FIRST.isoformat()) == 0
    return site


def _newest_page(site: Site) -> Path:
    return sorted((site.root / "archive/2026").glob("*.md"))[-1]


def _field(name: str, value: str) -> Callable[[str], str]:
    """Replace the first record's `name` with the JSON text `value`."""
    return lambda text: re.sub(rf'"{name}": "[^"]*"', f'"{name}": {value}', text, count=1)


def _nested(text: str) -> str:
    return text.replace('"query":', f'"deep": {"[" * DEEP}{"]" * DEEP}, "query":', 1)


def _nested_block_yaml(text: str) -> str:
    start = text.index("\n---", 3)
    return "---\ndate: 2026-02-12\nlast_run: " + "[" * DEEP + "]" * DEEP + text[start:]


EDITS = {
    "published before year 1 in UTC": _field("published", '"0001-01-01T00:00:00+01:00"'),
    "updated after year 9999 in UTC": _field("updated", '"9999-12-31T23:59:59-01:00"'),
    "last_run before year 1 in UTC": _field("last_run", '"0001-01-01T00:00:00+01:00"'),
    "a value nested 100,000 deep": _nested,
    "a block-YAML value nested 100,000 deep": _nested_block_yaml,
    "arrived on a day to come": _field("arrived", '"9999-12-31"'),
    "arrived after its page's day": _field("arrived", '"2026-02-13"'),
    "published after its page's day": _field("published", '"9999-12-31T00:00:00+00:00"'),
    "a digest started after its page's day": _field("started", '"9999-12-31"'),
    "last run before its page's day": _field("last_run", '"2000-01-01T05:00:00+00:00"'),
    "an id that is not arXiv's": _field("id", json.dumps("2602.00001)[x](https://evil.example)")),
    "a version too large to be one": lambda text: re.sub(
        r'"version": \d+', '"version": ' + "9" * 5000, text, count=1
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_page_edited_out_of_range_is_a_damaged_page(
    site: Site, edit: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    page = _newest_page(site)
    text = page.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    page.write_text(edited, encoding="utf-8")
    before = site.files()
    capsys.readouterr()
    assert site.run(NEXT.isoformat()) == 1
    assert site.files() == before
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: {page}: ")
    assert err[0].endswith("restore it from git history")
    assert "unexpected failure" not in err[0] and "evil.example" not in err[0]
