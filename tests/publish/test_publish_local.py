"""Local mode writes whole files or none: an interrupted run never leaves half a README."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from digest.publish.local import write_files

REPO = Path(__file__).resolve().parents[2]


def test_writes_utf8_files_and_creates_folders(tmp_path: Path) -> None:
    write_files(tmp_path, {"archive/2026/2026-02-05.md": "Lévy 🧠 ‮x\n", "README.md": "new\n"})
    assert (tmp_path / "archive/2026/2026-02-05.md").read_bytes() == "Lévy 🧠 ‮x\n".encode()
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "new\n"
    assert oct((tmp_path / "README.md").stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "archive"]


def test_killed_while_writing_leaves_the_old_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("old readme\n", encoding="utf-8")
    marker = tmp_path / "fsync-reached"
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from digest.publish.local import write_files
        real_fsync = os.fsync
        calls = []
        def fsync_then_hang(fd):
            real_fsync(fd)
            calls.append(fd)
            if len(calls) == 2:
                Path({str(marker)!r}).write_text("x")
                time.sleep(60)
        os.fsync = fsync_then_hang
        write_files(Path({str(tmp_path)!r}), {{
            "archive/2026/2026-02-05.md": "page\\n",
            "README.md": "new readme " * 100000,
        }})
        """
    )
    # This checkout's code, whatever else is installed.
    process = subprocess.Popen(
        [sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert process.poll() is None, "writer exited before reaching the write"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "old readme\n"
    assert not (tmp_path / "archive/2026/2026-02-05.md").exists()
