"""The command line as a forker and the workflow meet it: exit codes and one-line messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, Fault, seed_fake_papers

REPO = Path(__file__).resolve().parents[1]
NOW = at("2026-02-14")


def _run(
    site: Site, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "update_digest.py"),
            "--config",
            str(site.root / "config.yml"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=clean | (env or {}),
        check=False,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "repo")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("window_days: 0\n", "window_days: Input should be greater than or equal to 1"),
        ("categoris: []\n", "categoris: unknown key; did you mean 'categories'?"),
        ("title: 'unclosed\n", "invalid YAML"),
    ],
)
def test_bad_config_exits_2_with_one_line_and_writes_nothing(
    site: Site, config: str, expected: str
) -> None:
    (site.root / "config.yml").write_text(config, encoding="utf-8")
    before = site.files()
    result = _run(site, "--now", NOW.isoformat())
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert site.files() == before


def test_bad_now_is_a_usage_error(site: Site) -> None:
    result = _run(site, "--now", "yesterday")
    assert result.returncode == 2
    assert "not an ISO-8601 time: 'yesterday'" in result.stderr


def test_in_actions_errors_become_annotations(
    site: Site, arxiv_env: FakeArxiv, tmp_path: Path
) -> None:
    arxiv_env.fail_always(Fault.http(503))
    (site.root / "config.yml").write_text(
        (site.root / "config.yml")
        .read_text(encoding="utf-8")
        .replace("retry_budget_seconds: 5", "retry_budget_seconds: 0.1"),
        encoding="utf-8",
    )
    summary = tmp_path / "summary.md"
    result = _run(
        site,
        "--now",
        NOW.isoformat(),
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error::arXiv kept failing for the whole retry budget")
    assert "Traceback" not in result.stderr


def test_in_actions_the_summary_reaches_the_run_page(site: Site, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _run(
        site, "--now", NOW.isoformat(), "--dry-run", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "dry run: would write archive/2026/2026-02-14.md, README.md" in text
    assert "🛠 Hardware & Materials" in text


def test_a_bad_arxiv_url_is_named_and_not_retried(site: Site) -> None:
    result = _run(site, "--now", NOW.isoformat(), env={"ARXIV_API_URL": "export.arxiv.org/api"})
    assert result.returncode == 2
    assert "ARXIV_API_URL must be the full http(s) URL" in result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_errors_are_annotations_in_actions(site: Site) -> None:
    result = _run(site, "--now", "next tuesday", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 2
    assert result.stdout.startswith("::error::argument --now: not an ISO-8601 time")
