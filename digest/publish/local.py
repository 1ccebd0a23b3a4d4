"""Write the run's files into the working tree so that none is ever left half-written, and let
one local run at a time write a digest's folder."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from digest.errors import DigestError


class RunInProgressError(DigestError):
    """Another run is writing the same digest (exit code 1)."""


@contextmanager
def only_run(folder: Path) -> Iterator[None]:
    """Hold a lock on `folder` (the config's folder) while the block runs, or fail at once: a
    second run would delete the first one's staged files as leftovers of an interrupted run,
    and both would write the same pages. The lock is the operating system's (flock on the
    folder itself): no file is left behind, and a run that dies releases it."""
    if not folder.is_dir():  # no config there either: loading it names the problem
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgressError(
                f"another run of the digest is writing {folder}; wait for it to finish"
            ) from None
        yield
    finally:
        os.close(descriptor)


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
