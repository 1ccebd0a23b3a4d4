"""Publish a run's files: write them into the working tree, or commit them through GitHub.

Either every file changes or none does. PyGithub is imported only when a run publishes to
GitHub: a local run does not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from digest.layout import Layout
from digest.publish.local import remove_leftovers, write_files
from digest.render import ReadmeUpdate

if TYPE_CHECKING:
    from digest.publish.github.commit import Landed
    from digest.publish.github.target import GithubTarget

log = logging.getLogger(__name__)


class Published(msgspec.Struct, frozen=True):
    """What publishing did, in one line, and how many requests it sent to GitHub."""

    outcome: str
    github_requests: int = 0


def publish(
    files: Mapping[str, str | None],
    readme: ReadmeUpdate | None,
    message: str,
    layout: Layout,
    target: GithubTarget | None,
    *,
    declared: Sequence[str],
    dry_run: bool,
) -> Published:
    """Write (or remove) or commit every changed file at once; say what happened in one line.

    `files` are config-relative, None for a file to remove; `readme` is redone on a README
    someone edited on the branch while the run was working. `declared` names the files the
    outputs own (patterns allowed): files an interrupted local run left staged beside them go.
    """
    if target is None and not dry_run:
        for path in remove_leftovers(layout.root, declared):
            log.info("removed %s, left by an interrupted run", path)
    if not files:
        return Published("no news: nothing was changed")
    if dry_run:
        return Published(f"dry run: would {_listing(files, layout, 'write', 'remove')}")
    if target is None:
        write_files(layout.root, files)
        return Published(_listing(files, layout, "wrote", "removed"))
    from digest.publish.github.client import counted_requests

    with counted_requests() as sent:
        landed = _commit(files, readme, message, layout, target)
    if landed is None:
        return Published(f"{target.repository} already holds this digest: no commit", sent.count)
    listing = _listed(landed.written, landed.removed, "wrote", "removed")
    return Published(f"committed {landed.sha[:12]} to {target.repository}: {listing}", sent.count)


def _listing(files: Mapping[str, str | None], layout: Layout, write: str, remove: str) -> str:
    written = [layout.repo_path(path) for path, text in files.items() if text is not None]
    removed = [layout.repo_path(path) for path, text in files.items() if text is None]
    return _listed(written, removed, write, remove)


def _listed(written: Sequence[str], removed: Sequence[str], write: str, remove: str) -> str:
    parts = [f"{write} {', '.join(written)}"] if written else []
    parts += [f"{remove} {', '.join(removed)}"] if removed else []
    return "; ".join(parts)


def _commit(
    files: Mapping[str, str | None],
    readme: ReadmeUpdate | None,
    message: str,
    layout: Layout,
    target: GithubTarget,
) -> Landed | None:
    """One commit through the Git Data API; a README edited on the branch during the run gets
    the new block on top of that edit instead of being overwritten."""
    from digest.publish.github.commit import publish_commit

    changes = {layout.repo_path(path): text for path, text in files.items()}
    read = {layout.repo_path(path): _text_or_none(layout.disk_path(path)) for path in files}
    rebase = {layout.repo_path(readme.path): readme.apply} if readme else {}
    return publish_commit(target, changes, message, base=read, rebase=rebase)


def _text_or_none(path: Path) -> str | None:
    """The file as the checkout holds it, line ends untouched, so that its blob matches the
    branch's when nobody changed it."""
    return path.read_bytes().decode("utf-8") if path.exists() else None
