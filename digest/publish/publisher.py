"""Publish a run's changes: write them into the working tree, or commit them through GitHub.

Either every file changes or none does. PyGithub is imported only when a run publishes to
GitHub: a local run does not pay for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from digest.layout import Layout
from digest.publish.local import remove_leftovers, write_files
from digest.render.changes import Changes
from digest.render.readme import replace_block

if TYPE_CHECKING:
    from digest.publish.github.target import GithubTarget

log = logging.getLogger(__name__)


class Published(msgspec.Struct, frozen=True):
    """What publishing did, in one line, and how many requests it sent to GitHub."""

    outcome: str
    github_requests: int = 0


def publish(
    changes: Changes,
    message: str,
    layout: Layout,
    target: GithubTarget | None,
    *,
    dry_run: bool,
) -> Published:
    """Write or commit every changed file at once; say what happened in one line."""
    if target is None and not dry_run:
        _tidy(layout)
    if not changes.files:
        return Published("no news: nothing was changed")
    names = ", ".join(layout.repo_path(path) for path in changes.files)
    if dry_run:
        return Published(f"dry run: would write {names}")
    if target is None:
        write_files(layout.root, changes.files)
        return Published(f"wrote {names}")
    from digest.publish.github.client import counted_requests

    with counted_requests() as sent:
        sha = _commit(changes, message, layout, target)
    if sha is None:
        return Published(f"{target.repository} already holds this digest: no commit", sent.count)
    return Published(f"committed {sha[:12]} to {target.repository}: {names}", sent.count)


def _commit(changes: Changes, message: str, layout: Layout, target: GithubTarget) -> str | None:
    """One commit through the Git Data API; a README edited on the branch during the run gets
    the new block on top of that edit instead of being overwritten."""
    from digest.publish.github.commit import publish_commit

    files = {layout.repo_path(path): text for path, text in changes.files.items()}
    read = {layout.repo_path(path): _text_or_none(layout.disk_path(path)) for path in changes.files}
    block = changes.readme_block
    readme = layout.repo_path(layout.readme)
    rebase = {readme: lambda text: replace_block(text or "", block, readme)} if block else {}
    return publish_commit(target, files, message, base=read, rebase=rebase)


def _tidy(layout: Layout) -> None:
    """Remove files an interrupted local run left half-staged, whether or not this run writes."""
    archive = layout.disk_path(layout.archive)
    years = [p for p in archive.iterdir() if p.is_dir()] if archive.is_dir() else []
    readme, feed = layout.disk_path(layout.readme), layout.disk_path(layout.feed)
    for path in remove_leftovers(sorted({readme.parent, feed.parent, *years})):
        log.info("removed %s, left by an interrupted run", path)


def _text_or_none(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None
