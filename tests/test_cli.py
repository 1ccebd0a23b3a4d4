"""The command line as a forker and the workflow meet it: exit codes and one-line messages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.digest_site import Site, at, expected_window
from tests.fake_arxiv import FakeArxiv, Fault, seed_fake_papers
from tests.markdown_html import rendered_tree

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
        # PYTHONPATH: the checkout under test, even when another one is pip-installed (-e .).
        env=clean | {"PYTHONPATH": str(REPO)} | (env or {}),
        check=False,
        timeout=120,
    )


def _replacing(shipped: str, config: str) -> str:
    """`shipped` with the top-level keys `config` sets taken out, then `config`: a key written
    twice is a mistake of its own."""
    keys = {line.split(":")[0] for line in config.splitlines() if line[:1].isalpha()}
    kept, skipping = [], False
    for line in shipped.splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.split(":")[0] in keys
        if not skipping:
            kept.append(line)
    return "".join(kept) + config


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv) -> Site:
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "repo")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("window_days: 0\n", "window_days: must be a whole number of at least 1"),
        ("categoris: []\n", "categoris: unknown key; did you mean 'categories'?"),
        ("title: 'unclosed\n", "invalid YAML"),
    ],
)
def test_bad_config_exits_2_with_one_line_and_writes_nothing(
    site: Site, config: str, expected: str
) -> None:
    shipped = (site.root / "config.yml").read_text(encoding="utf-8")
    (site.root / "config.yml").write_text(_replacing(shipped, config), encoding="utf-8")
    before = site.files()
    result = _run(site, "--now", NOW.isoformat())
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert site.files() == before


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("yesterday", "not an ISO-8601 time: 'yesterday'"),
        ("0001-01-01T00:00:00+14:00", "is outside 1991-08-01 to 2999-12-31"),
        ("9999-12-31T23:59:59-12:00", "is outside 1991-08-01 to 2999-12-31"),
        ("1970-01-01", "is outside 1991-08-01 to 2999-12-31"),
    ],
)
def test_bad_now_is_a_usage_error(site: Site, now: str, expected: str) -> None:
    before = site.files()
    result = _run(site, "--now", now)
    assert result.returncode == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and site.files() == before


def test_python_m_digest_runs_the_bot(site: Site) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digest", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=site.root,
    )
    assert result.returncode == 0 and "--config" in result.stdout and "--now" in result.stdout


def test_a_readme_that_is_not_utf8_fails_naming_it(site: Site) -> None:
    (site.root / "README.md").write_bytes(b"<!-- digest:start -->\n\xff\xfe\n")
    before = site.files()
    result = _run(site, "--now", NOW.isoformat())
    assert result.returncode == 1
    assert "README.md is not UTF-8 text" in result.stderr and result.stderr.count("\n") == 1
    assert site.files() == before


def test_a_finished_run_exits_0_when_its_summary_cannot_be_written(site: Site) -> None:
    result = _run(site, "--now", NOW.isoformat(), env={"GITHUB_STEP_SUMMARY": str(site.root)})
    assert result.returncode == 0
    assert "cannot add to the job summary" in result.stderr
    assert "wrote " in result.stdout


def test_staged_files_left_by_an_interrupted_run_are_removed(site: Site) -> None:
    leftovers = [
        site.root / ".README.md.x1y2z3.tmp",
        site.root / "archive/2026/.2026-02-13.md.a.tmp",
        site.root / ".feed.xml.q7r8s9.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half-written", encoding="utf-8")
    assert _run(site, "--now", NOW.isoformat()).returncode == 0
    assert not any(path.exists() for path in leftovers)


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
    annotations = result.stdout.splitlines()
    assert annotations[-1].startswith("::error::arXiv kept failing for the whole retry budget")
    assert all(line.startswith("::warning::arXiv request to") for line in annotations[:-1])
    assert "no run has succeeded yet" in annotations[-1]
    assert "Traceback" not in result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "error: arXiv kept failing" in text and "retrying in" in text


def test_in_actions_the_summary_reaches_the_run_page(site: Site, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = _run(
        site, "--now", NOW.isoformat(), "--dry-run", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert "dry run: would write archive/2026/2026-02-01.md" in text
    assert "🛠 Hardware \\& Materials" in text  # escaped for Markdown, shown as written
    shown = rendered_tree(text)
    said = shown.text()
    assert "List last changed: 2026-02-14 05:00 UTC" in said  # the freshness line readers see
    assert re.search(r"asked arXiv for .* \(\d+ requests\)", said) and re.search(
        r"took [\d.]+ s", said
    )
    links = {str(a.attrs["href"]) for a in shown.find_all("a")}
    new_links = [href for href in links if href.startswith("https://arxiv.org/abs/")]
    new = len(expected_window(NOW))
    assert len(new_links) == min(new, 50), "the new papers are links, up to 50"
    assert new <= 50 or f"…and {new - 50} more" in said


def test_a_bad_arxiv_url_is_named_and_not_retried(site: Site) -> None:
    result = _run(site, "--now", NOW.isoformat(), env={"ARXIV_API_URL": "export.arxiv.org/api"})
    assert result.returncode == 2
    assert "ARXIV_API_URL must be the full http(s) URL" in result.stderr
    assert result.stderr.count("\n") == 1


def test_usage_errors_are_annotations_in_actions(site: Site) -> None:
    result = _run(site, "--now", "next tuesday", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 2
    assert result.stdout.startswith("::error::argument --now: not an ISO-8601 time")


# --- --check: the forker's offline config check ----------------------------------------------


def test_check_validates_offline_in_one_line(site: Site, arxiv_env: FakeArxiv) -> None:
    config = site.root / "config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    before = site.files()
    result = _run(site, "--check")
    assert result.returncode == 0, result.stderr
    topics = len(settings["categories"])
    assert result.stdout == f"{config} is valid: query {settings['query']!r}, {topics} topics\n"
    assert result.stderr == ""
    assert site.files() == before
    assert arxiv_env.requests == [], "--check asks arXiv nothing"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("window_days: 0\n", "window_days: must be a whole number of at least 1"),
        ("alerts:\n  open_issue: maybe\n", "alerts.open_issue: must be true or false"),
        ("title: 'unclosed\n", "invalid YAML"),
    ],
)
def test_check_of_a_bad_config_exits_2_with_one_line(
    site: Site, config: str, expected: str
) -> None:
    shipped = (site.root / "config.yml").read_text(encoding="utf-8")
    (site.root / "config.yml").write_text(_replacing(shipped, config), encoding="utf-8")
    result = _run(site, "--check")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_takes_no_run_options(site: Site) -> None:
    result = _run(site, "--check", "--dry-run")
    assert result.returncode == 2
    assert result.stderr == "error: --check takes no other option than --config (see --help)\n"


def test_check_loads_neither_the_pipeline_nor_pygithub(site: Site) -> None:
    """The workflow's first job stays a second long: only the config is read."""
    script = (
        "import sys\n"
        "from digest.cli import main\n"
        f"code = main(['--check', '--config', {str(site.root / 'config.yml')!r}])\n"
        "loaded = sorted(m for m in ('digest.pipeline', 'digest.fetch.pages', 'github', 'arxiv')"
        " if m in sys.modules)\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr
