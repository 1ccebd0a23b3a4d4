"""The codebase stays findable: stages as packages, named in the README, without import cycles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "digest"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The digest modules `path` imports at module level or in a function (not for typing)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("digest"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("digest")}
    return found


def _stage(module: str) -> str:
    """The top-level unit a module belongs to: its stage package, or itself."""
    return ".".join(module.split(".")[:2])


def test_digest_holds_few_modules_and_one_package_per_stage() -> None:
    modules = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(modules) <= 15, modules
    stages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert {"config", "archive", "plan", "fetch", "window", "categorize", "render"} <= stages
    assert {"publish", "alerts"} <= stages


def test_the_readme_names_every_stage_package() -> None:
    """Checked while the README holds this documentation: a fork may replace it with its own."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it works") :] if "## How it works" in readme else ""
    named = set(re.findall(r"`digest/(\w+)/`", section))
    stages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert named == (stages if section else set())


def test_no_import_cycle_between_stages() -> None:
    """Data flows one way: no stage package imports one that imports it back."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = _stage(_module_name(path))
        targets = {_stage(module) for module in _imports(path)} - {source}
        graph.setdefault(source, set()).update(targets)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(node for node in graph if reaches(node, node, {node}))
    assert cycles == []


def test_nothing_edits_sys_path() -> None:
    sources = [
        *REPO.glob("digest/**/*.py"),
        *REPO.glob("scripts/*.py"),
        *REPO.glob("tests/**/*.py"),
    ]
    offenders = [
        str(path.relative_to(REPO))
        for path in sources
        if path.name != "test_structure.py" and "sys.path" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
