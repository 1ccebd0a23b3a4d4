"""A throw-away digest repository for end-to-end runs of scripts/update_digest.py."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from scripts.update_digest import main
from tests.markdown_html import Node, rendered_tree

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed_papers.json"
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
        settings = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
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

    def copy_to(self, root: Path) -> Site:
        shutil.copytree(self.root, root)
        return Site(root)


def seed_published() -> dict[str, date]:
    """v1 submission date of each seed paper, read straight from the fixture."""
    return {
        record["id"].rsplit("v", 1)[0]: date.fromisoformat(record["published"])
        for record in json.loads(SEED.read_text(encoding="utf-8"))
    }


def expected_window(now: datetime, window_days: int = 14) -> set[str]:
    """Seed papers a reader should see at `now`: submitted in the window and by the previous
    day (the fake gives every seed paper a time after 08:00, and runs happen at 05:00)."""
    first = now.date() - timedelta(days=window_days)
    return {pid for pid, day in seed_published().items() if first <= day < now.date()}


def at(day: str, hour: int = 5) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
