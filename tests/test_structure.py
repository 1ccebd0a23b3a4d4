"""The codebase stays findable: the README's module table matches the files, no path tricks."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_module_table_names_every_module_and_only_existing_ones() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## How it works") :]
    named = set(re.findall(r"`(digest/[\w./*]+)`", table))
    files = {f"digest/{path.name}" for path in (REPO / "digest").iterdir() if path.is_file()}
    files -= {"digest/__init__.py"}
    globbed = {name for name in named if "*" in name}
    covered = {f for f in files if any(Path(f).match(g) for g in globbed)}
    assert files - covered == named - globbed
    assert all(any(Path(f).match(g) for f in files) for g in globbed)


def test_nothing_edits_sys_path() -> None:
    sources = [*REPO.glob("digest/*.py"), *REPO.glob("scripts/*.py"), *REPO.glob("tests/*.py")]
    offenders = [
        str(path.relative_to(REPO))
        for path in sources
        if path.name != "test_structure.py" and "sys.path" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
