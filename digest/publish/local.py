"""Write the run's files into the working tree so that none is ever left half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

# mkstemp names: .README.md.k3j2x9.tmp beside README.md (.feed.xml.k3j2x9.tmp beside the feed),
# removed by the next run if orphaned.
_LEFTOVERS = (".*.md.*.tmp", ".*.xml.*.tmp")


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Stage every file next to its target first, then rename each into place.

    A rename replaces a file whole, so an interruption leaves each file old or new. Files are
    renamed in the given order: callers put the README last, so an interrupted run is repaired
    by the next one, which re-renders the README from the archive.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, text in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, text), target))
        for temporary, target in staged:
            temporary.replace(target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def remove_leftovers(folders: Iterable[Path]) -> list[Path]:
    """Delete staged files an interrupted run left in `folders`; return what was removed."""
    removed = []
    for folder in folders:
        for pattern in _LEFTOVERS if folder.is_dir() else ():
            for path in folder.glob(pattern):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _stage(target: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(target.stat().st_mode & 0o777 if target.exists() else 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
