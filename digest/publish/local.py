"""Write the run's files into the working tree so that none is ever left half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath


def write_files(root: Path, files: Mapping[str, str | None]) -> None:
    """Stage every file next to its target first, then rename each into place (or remove it).

    A rename replaces a file whole, so an interruption leaves each file old or new. Files are
    renamed and removed in the given order: callers put the README last, so an interrupted run
    is repaired by the next one, which re-renders the README from the archive.
    """
    staged: list[tuple[Path | None, Path]] = []
    try:
        for relative, text in files.items():
            target = root / relative
            if text is None:
                staged.append((None, target))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, text), target))
        for temporary, target in staged:
            if temporary is None:
                target.unlink(missing_ok=True)
            else:
                temporary.replace(target)
    finally:
        for temporary, _ in staged:
            if temporary is not None:
                temporary.unlink(missing_ok=True)


def remove_leftovers(root: Path, declared: Iterable[str]) -> list[Path]:
    """Delete the files an interrupted run left staged beside the `declared` ones (config-
    relative paths or patterns, like archive/*/*.md); return what was removed."""
    removed = []
    for pattern in declared:
        posix = PurePosixPath(pattern)
        for path in sorted(root.glob(str(posix.parent / f".{posix.name}.*.tmp"))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _stage(target: Path, text: str) -> Path:
    # mkstemp names: .README.md.k3j2x9.tmp beside README.md, which remove_leftovers finds.
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
