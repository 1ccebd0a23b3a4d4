"""One rule for paths, in both modes: config paths are relative to the config file's folder.

Locally that folder is where files are written; in GitHub mode the same files are committed at
the same place in the repository, so `--config site/config.yml` publishes `site/README.md` and
reads its state from `site/archive` either way.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import msgspec

if TYPE_CHECKING:
    from digest.config.settings import Config


def check_relative_path(path: str) -> str | None:
    """Why `path` cannot name a file inside a repository, or None when it can."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path:
        return f"{path!r} must be relative and '/'-separated"
    if any(part in ("", ".", "..", ".git") for part in parts):
        return f"{path!r} must not have empty, '.', '..' or '.git' parts"
    return None


class Layout(msgspec.Struct, frozen=True):
    """Where a digest's files live: `root` on disk, `prefix` in the repository ('' at the top)."""

    root: Path
    prefix: str
    readme: str
    archive: str
    feed: str

    @classmethod
    def of(cls, config_path: Path, config: Config, repository_root: Path) -> Layout:
        """The layout of the digest configured at `config_path` within `repository_root`.

        Raises ValueError when the config file lies outside the repository: GitHub mode could
        not commit its files there.
        """
        root = config_path.resolve().parent
        relative = root.relative_to(repository_root.resolve()).as_posix()
        prefix = "" if relative == "." else relative
        return cls(root, prefix, config.readme_path, config.archive_dir, config.feed.path)

    def repo_path(self, relative: str) -> str:
        """The repository path of a file given relative to the config's folder."""
        return posixpath.join(self.prefix, relative) if self.prefix else relative

    def disk_path(self, relative: str) -> Path:
        return self.root / relative

    def page(self, day: date, part: int = 1) -> str:
        """Config-relative path of a day's archive page, e.g. archive/2026/2026-02-05.md; a
        busy day's further parts are 2026-02-05-2.md and so on."""
        suffix = "" if part == 1 else f"-{part}"
        return f"{self.archive}/{day:%Y}/{day:%Y-%m-%d}{suffix}.md"

    def link_from_readme(self, relative: str) -> str:
        """A Markdown link target from the README to another config-relative file."""
        return posixpath.relpath(relative, posixpath.dirname(self.readme) or ".")


class RepositoryPages(msgspec.Struct, frozen=True):
    """Where GitHub shows the repository's files: links for messages and the feed."""

    server: str
    repository: str
    branch: str

    def file(self, path: str) -> str:
        """The file's page on the branch the run publishes to, or the repository's front page
        when the branch is not known."""
        if not self.branch:
            return f"{self.server}/{self.repository}"
        return f"{self.server}/{self.repository}/blob/{quote(self.branch)}/{quote(path)}"

    def raw(self, path: str) -> str:
        """The file's own bytes, the address a feed reader subscribes to ('' when the branch is
        not known)."""
        if not self.branch:
            return ""
        where = f"{self.repository}/{quote(self.branch)}/{quote(path)}"
        if self.server == "https://github.com":
            return f"https://raw.githubusercontent.com/{where}"
        return f"{self.server}/{self.repository}/raw/{quote(self.branch)}/{quote(path)}"


def repository_pages(env: Mapping[str, str]) -> RepositoryPages | None:
    """From the variables GitHub Actions sets; None outside GitHub."""
    repository = env.get("GITHUB_REPOSITORY", "").strip()
    if not repository:
        return None
    server = (env.get("GITHUB_SERVER_URL", "").strip() or "https://github.com").rstrip("/")
    return RepositoryPages(server, repository, env.get("GITHUB_REF_NAME", "").strip())
