"""Small builders for records, so tests state only what matters to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from digest.config.settings import Config, parse
from digest.plan import FetchPlan, FetchSpan
from digest.records import Decision, Entry, Paper


def make_paper(
    arxiv_id: str = "2602.00001",
    *,
    version: int = 1,
    published: datetime | str = "2026-02-03T10:00:00+00:00",
    title: str | None = None,
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing"),
    abstract: str = "We study spiking neural networks.",
    primary_category: str = "cs.NE",
) -> Paper:
    moment = datetime.fromisoformat(published) if isinstance(published, str) else published
    moment = moment.astimezone(UTC)
    return Paper(
        arxiv_id=arxiv_id,
        version=version,
        title=title if title is not None else f"Paper {arxiv_id}",
        authors=authors,
        published=moment,
        updated=moment + timedelta(days=version - 1),
        primary_category=primary_category,
        categories=(primary_category,),
        abstract=abstract,
    )


def make_entry(
    paper: Paper, category: str = "🧠 Algorithms & Theory", arrived: date | None = None
) -> Entry:
    """An entry that arrived on its submission day unless told otherwise."""
    day = arrived if arrived is not None else paper.published.date()
    return Entry(paper=paper, arrived=day, decision=Decision(category=category, reason="test"))


# The Open Neuromorphic digest's config, frozen: a fork's own config.yml changes nothing here.
NEUROMORPHIC_CONFIG = Path(__file__).resolve().parent / "fixtures" / "neuromorphic_config.yml"


def neuromorphic_settings() -> dict[str, Any]:
    """The Open Neuromorphic digest's settings as plain data, for tests that write a config."""
    loaded = yaml.safe_load(NEUROMORPHIC_CONFIG.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def neuromorphic_config(**overrides: Any) -> Config:
    """A realistic config (the Open Neuromorphic digest's), with overrides."""
    return parse(neuromorphic_settings() | overrides, Config)


def flat_settings(mapping: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested settings as dotted keys: {'arxiv': {'page_size': 1}} → {'arxiv.page_size': 1}."""
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        if isinstance(value, dict):
            flat |= flat_settings(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def settings_without_comment(path: Path) -> list[str]:
    """Setting lines of a config file with no comment line right above them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        is_setting = (
            ":" in stripped and not stripped.startswith(("#", "-")) and not line.startswith("    ")
        )
        if (
            is_setting
            and not stripped.endswith(":")
            and not lines[index - 1].strip().startswith("#")
        ):
            missing.append(line)
    return missing


def fetch_plan(
    span: FetchSpan | None = None,
    revised_since: datetime | None = None,
    *,
    query: str = "all:neuromorphic",
    known: Mapping[str, int] | None = None,
    expect_papers: bool = False,
    revisions_held: int | None = None,
    first_run: bool = False,
) -> FetchPlan:
    """A fetch plan as the planner would make it, stating only what a test varies."""
    return FetchPlan(
        query=query,
        span=span,
        revised_since=revised_since,
        known_versions=known or {},
        expect_papers=expect_papers,
        revisions_held=revisions_held,
        first_run=first_run,
    )


def text_paper(
    title: str = "A study", abstract: str = "", primary: str = "", categories: Sequence[str] = ()
) -> Paper:
    """A paper that is only its text and arXiv categories, for the categorizer's tests."""
    when = datetime(2026, 2, 1, tzinfo=UTC)
    return Paper(
        arxiv_id="2602.00001",
        version=1,
        title=title,
        authors=("A. Author",),
        published=when,
        updated=when,
        primary_category=primary,
        categories=tuple(categories),
        abstract=abstract,
    )
