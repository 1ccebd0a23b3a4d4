"""A throw-away digest repository for end-to-end runs of scripts/update_digest.py."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from digest.cli import main
from tests.factories import neuromorphic_settings
from tests.fake_arxiv import FakePaper, seed_fake_papers
from tests.markdown_html import Node, rendered_tree

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed_papers.json"
CS_AI = REPO / "tests" / "fixtures" / "cs_ai_papers.json.gz"
HAND_WRITTEN = "\n## About this repository\n\nHand-written text that the bot must keep.\n"
FAST_ARXIV = {
    "page_size": 10,
    "delay_seconds": 0,
    "timeout_seconds": 2,
    "retry_budget_seconds": 5,
    "backoff_seconds": 0.01,
}
_LINK = re.compile(r"^https://arxiv\.org/abs/(?P<id>.+)v(?P<version>\d+)$")


@dataclass
class Site:
    root: Path

    @classmethod
    def create(cls, root: Path, arxiv: dict[str, Any] | None = None, **overrides: Any) -> Site:
        settings = neuromorphic_settings()
        settings["arxiv"].update(FAST_ARXIV | (arxiv or {}))
        settings.update(overrides)
        root.mkdir(parents=True, exist_ok=True)
        (root / "config.yml").write_text(
            yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8"
        )
        (root / "README.md").write_text(
            f"<!-- digest:start -->\n<!-- digest:end -->\n{HAND_WRITTEN}", encoding="utf-8"
        )
        return cls(root)

    def run(self, now: str, *extra: str) -> int:
        return main(["--config", str(self.root / "config.yml"), "--now", now, *extra])

    def files(self) -> dict[str, bytes]:
        return {
            str(path.relative_to(self.root)): path.read_bytes()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }

    def stats(self) -> dict[str, int]:
        return {str(p.relative_to(self.root)): p.stat().st_mtime_ns for p in self.root.rglob("*")}

    def readme(self) -> str:
        return (self.root / "README.md").read_text(encoding="utf-8")

    def tree(self) -> Node:
        return rendered_tree(self.readme())

    def listed(self) -> list[tuple[str, int]]:
        """(id, version) of every paper the README shows, in page order."""
        found = []
        for heading in self.tree().find_all("h3"):
            match = _LINK.match(str(heading.find_all("a")[0].attrs["href"]))
            assert match, heading.text()
            found.append((match["id"], int(match["version"])))
        return found

    def archived(self, kind: str = "new") -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for path in sorted((self.root / "archive").rglob("*.md")):
            records += frontmatter.loads(path.read_text(encoding="utf-8")).metadata.get(kind) or []
        return records

    def archived_on(self, day: str, kind: str = "new") -> list[dict[str, Any]]:
        """Records on one day's page, all its parts together, in order."""
        records: list[dict[str, Any]] = []
        folder = self.root / "archive" / day[:4]
        for path in sorted(folder.glob(f"{day}*.md"), key=lambda p: (len(p.name), p.name)):
            records += frontmatter.loads(path.read_text(encoding="utf-8")).metadata.get(kind) or []
        return records

    def copy_to(self, root: Path) -> Site:
        shutil.copytree(self.root, root)
        return Site(root)


def cs_ai_papers() -> list[FakePaper]:
    """The real papers of shared/fixtures/cs_ai_papers.json (2025-10-20 to 31), as the fake
    serves them: each at its latest version."""
    records = json.loads(gzip.decompress(CS_AI.read_bytes()))
    papers = []
    for record in records:
        base, version = record["id"].rsplit("v", 1)
        papers.append(
            FakePaper(
                arxiv_id=base,
                version=int(version),
                title=record["title"],
                authors=tuple(record["authors"]) or ("Anonymous",),
                abstract=record["abstract"],
                published=datetime.fromisoformat(record["published"]),
                updated=datetime.fromisoformat(record["updated"]),
                primary_category=record["primary_category"],
                categories=tuple(record["categories"]),
                comment=record.get("comment"),
            )
        )
    return papers


def seed_published() -> dict[str, date]:
    """v1 submission date of each seed paper, read straight from the fixture."""
    return {
        record["id"].rsplit("v", 1)[0]: date.fromisoformat(record["published"])
        for record in json.loads(SEED.read_text(encoding="utf-8"))
    }


def expected_window(now: datetime, window_days: int = 14) -> set[str]:
    """Seed papers a reader should see at `now`: submitted in the window and by the previous
    day (the fake gives every seed paper a time after 08:00, and runs happen at 05:00)."""
    first = now.date() - timedelta(days=window_days - 1)
    return {pid for pid, day in seed_published().items() if first <= day < now.date()}


def seed_times() -> dict[str, datetime]:
    """Submission time of each seed paper as the fake arXiv serves it."""
    return {paper.arxiv_id: paper.published for paper in seed_fake_papers()}


def arrivals(runs: Sequence[datetime], window_days: int = 14) -> dict[str, date]:
    """The day each seed paper arrives in a digest run at these times, by the rule the README
    states: the first run files what was submitted in the window before it under the submission
    day; each later run files what was submitted since the run before under its own day (the
    fake arXiv announces a paper the moment it is submitted)."""
    first = runs[0]
    start = first.date() - timedelta(days=window_days - 1)
    times = seed_times()
    arrived = {pid: t.date() for pid, t in times.items() if start <= t.date() and t <= first}
    for previous, run in itertools.pairwise(runs):
        for pid, moment in times.items():
            if pid not in arrived and previous < moment <= run:
                arrived[pid] = run.date()
    return arrived


def expected_listed(runs: Sequence[datetime], window_days: int = 14) -> set[str]:
    """Seed papers the README should list after runs at these times: those that arrived within
    the window of the last run that brought news (papers leaving are no news: a run without
    news keeps the list as it was)."""
    times = seed_times()
    with_news = [runs[0]] + [
        run
        for previous, run in itertools.pairwise(runs)
        if any(previous < moment <= run for moment in times.values())
    ]
    first_day = with_news[-1].date() - timedelta(days=window_days - 1)
    return {pid for pid, day in arrivals(runs, window_days).items() if day >= first_day}


def at(day: str, hour: int = 5) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
