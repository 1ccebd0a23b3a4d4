"""A fork stays green: its own config.yml passes `--check`, and the tests still pass once a fork
has replaced config.yml and the README's text, as "Make it yours" tells it to."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
END_MARKER = "<!-- digest:end -->"
# Reading the repository's own config.yml or README.md: what a fork replaces.
_READS_FORKED_FILE = re.compile(r"""(?:REPO|ROOT)\s*/\s*["'](?:config\.yml|README\.md)["']""")


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        # The copy under test, even when another checkout is pip-installed (-e .).
        env={**os.environ, "PYTHONPATH": str(cwd)},
        timeout=300,
    )


def test_the_repository_config_passes_check() -> None:
    """What CI should run on every fork's config.yml, whatever digest it describes."""
    result = _python("-m", "digest", "--check", "--config", "config.yml", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("config.yml is valid: query ")


def _modules_reading_forked_files(root: Path) -> tuple[list[str], list[str]]:
    """Test modules that read config.yml or README.md of the checkout, and helpers that do."""
    tests, helpers = [], []
    for path in sorted((root / "tests").rglob("*.py")):
        if path.name == Path(__file__).name or not _READS_FORKED_FILE.search(path.read_text()):
            continue
        name = str(path.relative_to(root))
        (tests if path.name.startswith("test_") else helpers).append(name)
    return tests, helpers


def _fork(tmp_path: Path) -> Path:
    """A copy of this checkout with an example over config.yml and the README's text replaced."""
    fork = tmp_path / "fork"
    shutil.copytree(
        REPO,
        fork,
        ignore=shutil.ignore_patterns(".git", "__pycache__", "*_cache"),
    )
    shutil.copy(fork / "examples" / "astro-ph-exoplanets.yml", fork / "config.yml")
    readme = (fork / "README.md").read_text(encoding="utf-8")
    own = "\n## About\n\nNew papers on exoplanet atmospheres, every weekday.\n"
    (fork / "README.md").write_text(
        readme[: readme.index(END_MARKER) + len(END_MARKER)] + "\n" + own, encoding="utf-8"
    )
    return fork


def test_a_fork_with_its_own_config_and_readme_keeps_the_tests_green(tmp_path: Path) -> None:
    """Every test module still imports in the fork, and the ones that read the files a fork
    replaces pass there (the others never see them: helpers may not read them)."""
    tests, helpers = _modules_reading_forked_files(REPO)
    assert helpers == [], "helpers must give tests their own config and README"
    assert "tests/config/test_config.py" in tests
    fork = _fork(tmp_path)
    collected = _python("-m", "pytest", "--collect-only", "-q", cwd=fork)
    assert collected.returncode == 0, collected.stdout[-3000:]
    result = _python("-m", "pytest", "-q", *tests, cwd=fork)
    assert result.returncode == 0, result.stdout[-3000:]  # 0: every selected test passed
