"""Offline checks of the .github/ folder: the workflows and the Dependabot config.

Schema validation uses the schemas bundled with check-jsonschema (nothing is downloaded);
the rest asserts the properties a reviewer of a bot holding a write token cares about.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.factories import NEUROMORPHIC_CONFIG

ROOT = Path(__file__).resolve().parent.parent
GITHUB_DIR = ROOT / ".github"
WORKFLOWS_DIR = GITHUB_DIR / "workflows"
DIGEST = WORKFLOWS_DIR / "digest.yml"
CI = WORKFLOWS_DIR / "ci.yml"
DEPENDABOT = GITHUB_DIR / "dependabot.yml"
WORKFLOW_FILES = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])

BOT_SCRIPT = "scripts/update_digest.py"
BOT_COMMAND = f"python {BOT_SCRIPT}"
CHECK_COMMAND = f"{BOT_COMMAND} --check"
CI_COMMAND = "bash .ci/run"
AUTH_EXPRESSION = "${{ secrets.GITHUB_TOKEN }}"

SHA_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^v\d+(?:\.\d+){0,2}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?:#\s*(?P<comment>.*?))?\s*$")

# Any attempt by check-jsonschema to reach the network fails at once instead of
# succeeding (or hanging) somewhere a test should not depend on the network.
OFFLINE_ENV = {
    **os.environ,
    **{
        name: "http://127.0.0.1:9"
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
    },
    "NO_PROXY": "",
    "no_proxy": "",
}


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path.name}: not a YAML mapping"
    return doc


def _triggers(doc: dict[str, Any]) -> dict[str, Any]:
    """The `on:` mapping; PyYAML (YAML 1.1) reads the key `on` as the boolean True."""
    on = doc["on"] if "on" in doc else doc[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on or {}


def _steps(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in doc["jobs"].items() for step in job.get("steps", [])]


def _action(step: dict[str, Any]) -> str:
    """`actions/checkout` for `actions/checkout@<sha>`; empty for `run:` steps."""
    return str(step.get("uses", "")).partition("@")[0]


def _steps_using(doc: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for _, step in _steps(doc) if _action(step) == action]


def _bot_step(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one step that runs the digest (not `--check`)."""
    found = [
        (job, step)
        for job, step in _steps(doc)
        if BOT_SCRIPT in step.get("run", "") and "--check" not in step["run"]
    ]
    assert len(found) == 1, f"expected exactly one step running {BOT_SCRIPT}, found {len(found)}"
    return found[0]


def _check_step(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one step that runs `--check`."""
    found = [(job, step) for job, step in _steps(doc) if "--check" in step.get("run", "")]
    assert len(found) == 1, f"expected exactly one step running --check, found {len(found)}"
    return found[0]


def _run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's script as the runner does: GitHub runs `shell: bash` steps as
    `bash --noprofile --norc -eo pipefail {0}`."""
    path = cwd / "step.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _strings(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every string value in a parsed YAML document, with the key path leading to it."""
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _strings(value, (*path, key))]
    if isinstance(node, list):
        return [item for i, value in enumerate(node) for item in _strings(value, (*path, i))]
    return [(path, node)] if isinstance(node, str) else []


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=OFFLINE_ENV,
        check=False,
    )


def _requirement_names(path: Path) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            match = re.match(r"[A-Za-z0-9._-]+", line)
            assert match, f"{path.name}: cannot read {line!r}"
            names.append(match.group(0).lower())
    return names


# --- schema validation (bundled schemas, offline) -------------------------------------


def test_expected_workflows_exist() -> None:
    """Every workflow is present, so the parametrised checks below cover them."""
    assert {DIGEST, CI} == set(WORKFLOW_FILES)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_matches_bundled_schema(path: Path) -> None:
    """GitHub rejects an invalid workflow only when it tries to run it: catch that here."""
    result = _check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


def test_dependabot_matches_bundled_schema() -> None:
    """Dependabot silently ignores a config it cannot read; validate it here instead."""
    result = _check_jsonschema("vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


@pytest.mark.parametrize(
    ("source", "schema", "old", "new"),
    [
        (DIGEST, "vendor.github-workflows", "issues: write", "issues: writ"),
        (DIGEST, "vendor.github-workflows", "    runs-on: ubuntu-latest\n", ""),
        (DIGEST, "vendor.github-workflows", "- cron: ", "- cronn: "),
        (DEPENDABOT, "vendor.dependabot", "interval: weekly", "interval: fortnightly"),
    ],
    ids=[
        "bad-permission",
        "no-runs-on",
        "bad-schedule-key",
        "bad-interval",
    ],
)
def test_schema_check_rejects_a_broken_file(
    tmp_path: Path, source: Path, schema: str, old: str, new: str
) -> None:
    """The schema tests above can fail: a broken copy of a real file is rejected."""
    text = source.read_text(encoding="utf-8")
    assert old in text, f"{source.name} no longer contains {old!r}: update this test"
    broken = tmp_path / source.name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _check_jsonschema(schema, broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Schema validation errors were encountered" in result.stdout + result.stderr


# --- rules for every workflow ----------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(path: Path) -> None:
    """A tag can be moved to malicious code; a full commit SHA cannot. The comment says
    which release it is, for reviewers and for Dependabot."""
    found = [
        m for line in path.read_text(encoding="utf-8").splitlines() if (m := USES_LINE.match(line))
    ]
    doc = _load(path)
    pins = found
    parsed = [step["uses"] for _, step in _steps(doc) if "uses" in step]
    assert [m["ref"] for m in pins] == parsed, "every uses: must be on its own line"
    assert pins, f"{path.name} uses no action"
    for m in pins:
        assert SHA_PINNED.match(m["ref"]), f"not pinned to a 40-hex commit SHA: {m['ref']}"
        assert m["comment"] and VERSION_COMMENT.match(m["comment"]), (
            f"{m['ref']} needs a trailing '# vX.Y.Z' comment, got {m['comment']!r}"
        )


def test_each_action_is_pinned_to_the_same_release_everywhere() -> None:
    """Two SHAs for one action means one workflow was left behind by an upgrade."""
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if (m := USES_LINE.match(line)) and not m["ref"].startswith("./"):
                action, _, sha = m["ref"].partition("@")
                pins.setdefault(action, set()).add(f"{sha} # {m['comment']}")
    assert pins
    for action, versions in pins.items():
        assert len(versions) == 1, f"{action} pinned differently: {sorted(versions)}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_does_not_persist_credentials(path: Path) -> None:
    """Nothing pushes with git, so the token must not be left in .git/config."""
    steps = _steps_using(_load(path), "actions/checkout")
    assert steps, f"{path.name} does not check out the repository"
    for step in steps:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_setup_python_uses_the_pip_cache(path: Path) -> None:
    """Python 3.11 as the project targets, and a pip cache keyed on the requirements."""
    steps = _steps_using(_load(path), "actions/setup-python")
    assert steps, f"{path.name} does not set up Python"
    for step in steps:
        options = step.get("with", {})
        assert options.get("python-version") == "3.11"  # a string: YAML reads 3.10 as 3.1
        assert options.get("cache") == "pip"
        assert "requirements" in str(options.get("cache-dependency-path", ""))


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    """The default job timeout is 6 hours; a hung run would block the next ones."""
    for name, job in _load(path)["jobs"].items():
        assert job.get("steps"), f"job {name} has no steps"
        timeout = job.get("timeout-minutes")
        assert isinstance(timeout, int), f"job {name} has no timeout-minutes"
        assert 0 < timeout <= 60, f"job {name}: timeout-minutes {timeout}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_inside_run_scripts(path: Path) -> None:
    """`${{ }}` is pasted into the script before bash sees it, so an input could inject
    shell; values must come in through `env:`."""
    for job, step in _steps(_load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"job {job}, step {step.get('name')!r}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_privileged_triggers(path: Path) -> None:
    """pull_request_target and workflow_run run fork code with a write token."""
    triggers = _triggers(_load(path))
    assert not {"pull_request_target", "workflow_run"} & set(triggers)


def test_only_the_digest_job_can_write() -> None:
    """Least privilege: everything is read-only except the digest job, which commits and may
    open the stale-digest issue."""
    writes = set()
    for path in WORKFLOW_FILES:
        doc = _load(path)
        for job_name, job in doc["jobs"].items():
            for scope in (doc.get("permissions", {}), job.get("permissions", {})):
                assert isinstance(scope, dict), f"{path.name}: permissions must be a mapping"
                writes |= {
                    (path, job_name, name) for name, level in scope.items() if level == "write"
                }
    assert writes == {(DIGEST, "digest", "contents"), (DIGEST, "digest", "issues")}


# --- the daily digest ------------------------------------------------------------------


def test_digest_triggers() -> None:
    """Runs on a schedule and by hand only: a push must not commit a new digest."""
    assert set(_triggers(_load(DIGEST))) == {"schedule", "workflow_dispatch"}


def test_digest_schedule_is_off_the_hour() -> None:
    """Scheduled runs at minute 0 are the most likely to be delayed or dropped."""
    schedule = _triggers(_load(DIGEST))["schedule"]
    assert schedule
    for entry in schedule:
        fields = entry["cron"].split()
        assert len(fields) == 5, entry["cron"]
        minute = fields[0]
        assert minute.isdigit(), f"minute must be one fixed value: {entry['cron']}"
        assert 0 < int(minute) < 60, entry["cron"]


def test_digest_manual_inputs() -> None:
    """A manual run can replay a given time (`now`) or preview without committing."""
    inputs = _triggers(_load(DIGEST))["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"now", "dry_run", "since"}
    assert inputs["since"]["type"] == "string" and inputs["since"].get("default", "") == ""
    assert inputs["now"]["type"] == "string"
    assert not inputs["now"].get("required", False)
    assert inputs["now"].get("default", "") == ""
    assert inputs["dry_run"]["type"] == "boolean"
    assert not inputs["dry_run"].get("required", False)
    assert inputs["dry_run"].get("default") is False


def test_digest_runs_never_overlap() -> None:
    """Two runs committing at once would race for the branch; a running one is kept."""
    concurrency = _load(DIGEST)["concurrency"]
    assert "digest" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_digest_is_one_job_with_exactly_the_permissions_it_needs() -> None:
    """One job installs once and runs the bot; it may commit and open the stale-digest issue,
    and nothing else (no top-level grant, no other scope)."""
    doc = _load(DIGEST)
    assert list(doc["jobs"]) == ["digest"]
    assert "permissions" not in doc
    assert doc["jobs"]["digest"]["permissions"] == {"contents": "write", "issues": "write"}
    runs = [step.get("run", "") for _, step in _steps(doc)]
    assert sum("pip install" in run for run in runs) == 1


def test_config_is_checked_before_the_bot_runs() -> None:
    """A broken config.yml fails the `--check` step, before anything is fetched."""
    doc = _load(DIGEST)
    steps = doc["jobs"]["digest"]["steps"]
    _, check = _check_step(doc)
    _, bot = _bot_step(doc)
    assert check["run"].strip() == CHECK_COMMAND
    assert steps.index(check) < steps.index(bot)


def test_digest_timeout_outlasts_the_arxiv_retry_budget() -> None:
    """The bot may retry arXiv for 10 minutes; the job must not be killed before."""
    job, _ = _bot_step(_load(DIGEST))
    assert _load(DIGEST)["jobs"][job]["timeout-minutes"] > 10


def test_digest_installs_only_runtime_requirements() -> None:
    """The daily job needs the bot's dependencies, not the test tools."""
    runs = [step["run"] for _, step in _steps(_load(DIGEST)) if "run" in step]
    installs = [run for run in runs if "pip install" in run]
    assert installs
    assert all("-r requirements.txt" in run for run in installs)
    assert not any("requirements-dev" in run for run in runs)


def test_secrets_reach_the_bot_only_through_its_env() -> None:
    """The token and the notification URLs appear once each: in the bot step's env, not in
    other steps, job env or CI."""
    doc = _load(DIGEST)
    job, step = _bot_step(doc)
    assert step["env"]["GITHUB_TOKEN"] == AUTH_EXPRESSION
    assert step["env"]["DIGEST_NOTIFY"] == "${{ secrets.DIGEST_NOTIFY }}"
    index = doc["jobs"][job]["steps"].index(step)
    expected = [
        ("jobs", job, "steps", index, "env", name) for name in ("GITHUB_TOKEN", "DIGEST_NOTIFY")
    ]
    for path in WORKFLOW_FILES:
        secret_uses = [
            where
            for where, text in _strings(_load(path))
            if re.search(r"\bsecrets\.|\bgithub\.token\b", text)
        ]
        assert secret_uses == (expected if path == DIGEST else []), path.name


def test_bot_command_line() -> None:
    """The workflow runs the same command a forker's README tells them to run."""
    _, step = _bot_step(_load(DIGEST))
    commands = [line.strip() for line in step["run"].splitlines() if BOT_SCRIPT in line]
    assert len(commands) == 1, commands
    assert commands[0].startswith(BOT_COMMAND + " ") or commands[0] == BOT_COMMAND
    assert step["env"]["RUN_NOW"] == "${{ inputs.now }}"
    assert step["env"]["DRY_RUN"] == "${{ inputs.dry_run }}"
    assert step["env"]["SINCE"] == "${{ inputs.since }}"


def test_bot_script_exists() -> None:
    """The workflow must not point at a script that is not in the repository."""
    assert (ROOT / BOT_SCRIPT).is_file()


NOW = "2025-01-31T05:17:00Z"


@pytest.mark.parametrize(
    ("run_now", "dry_run", "since", "expected"),
    [
        ("", "", "", []),  # an empty inputs context
        ("", "false", "", []),  # a scheduled run: the callers pass `inputs.dry_run == true`
        (NOW, "false", "", ["--now", NOW]),
        ("", "true", "", ["--dry-run"]),
        (NOW, "true", "", ["--now", NOW, "--dry-run"]),
        ("", "false", "2025-01-01", ["--since", "2025-01-01"]),
        ('$(touch pwned) "; touch pwned', "false", "", ["--now", '$(touch pwned) "; touch pwned']),
        ("", "false", "$(touch pwned)", ["--since", "$(touch pwned)"]),
    ],
    ids=[
        "empty",
        "schedule-or-dispatch-default",
        "now",
        "dry-run",
        "now-and-dry-run",
        "backfill",
        "hostile-now",
        "hostile-since",
    ],
)
def test_bot_step_arguments(
    tmp_path: Path, run_now: str, dry_run: str, since: str, expected: list[str]
) -> None:
    """Run the step's script with bash as the runner does, against a stand-in `python`
    that records its arguments: `--now` only when given, `--dry-run` only when true,
    and the input passed as one literal argument."""
    doc = _load(DIGEST)
    assert doc["defaults"]["run"]["shell"] == "bash"  # the script uses bash arrays
    _, step = _bot_step(doc)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_python = bin_dir / "python"
    fake_python.write_text('#!/bin/sh\nprintf "%s\\0" "$@" > "$ARGV_OUT"\n', encoding="utf-8")
    fake_python.chmod(0o755)
    argv_out = tmp_path / "argv"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "ARGV_OUT": str(argv_out),
        "RUN_NOW": run_now,
        "DRY_RUN": dry_run,
        "SINCE": since,
    }
    result = _run_step(step["run"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    argv = argv_out.read_bytes().decode().split("\0")[:-1]
    assert argv == [BOT_SCRIPT, *expected]
    assert not (tmp_path / "pwned").exists()


def _check_step_in(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the digest job's `--check` step with bash, with the real Python as `python`, in
    `folder` (a stand-in checkout holding config.yml and the bot's script)."""
    doc = _load(DIGEST)
    assert doc["defaults"]["run"]["shell"] == "bash"
    _, step = _check_step(doc)
    assert step["run"].strip() == CHECK_COMMAND
    (folder / "scripts").mkdir()
    shutil.copy(ROOT / BOT_SCRIPT, folder / BOT_SCRIPT)
    bin_dir = folder.parent / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        # The checkout under test, even when another one is pip-installed (-e .).
        "PYTHONPATH": str(ROOT),
        "GITHUB_ACTIONS": "true",
        **env,
    }
    return _run_step(step["run"], folder, env)


def _checkout_with(tmp_path: Path, old: str, new: str) -> Path:
    """A folder holding a realistic config.yml (the Open Neuromorphic digest's, whatever a fork
    made of its own) with `old` replaced by `new`."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    text = NEUROMORPHIC_CONFIG.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the config no longer holds {old!r} once: update this test"
    (folder / "config.yml").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_check_step_confirms_the_config_in_one_line(tmp_path: Path) -> None:
    """The step says in one line that the config is valid, and nothing else."""
    folder = _checkout_with(tmp_path, "window_days: 14\n", "window_days: 7\n")
    result = _check_step_in(folder, {})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("config.yml is valid: query ")
    assert result.stderr == ""


def test_check_step_fails_fast_on_a_broken_config(tmp_path: Path) -> None:
    """A bad config.yml stops the job at the check: exit 2, one line, an error annotation."""
    folder = _checkout_with(tmp_path, "window_days: 14\n", "window_days: 0\n")
    result = _check_step_in(folder, {})
    assert result.returncode == 2
    message = "config.yml: window_days: must be a whole number of at least 1"
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == f"::error::{message}\n"


# --- CI ----------------------------------------------------------------------------------


def test_ci_triggers() -> None:
    """Tests run on every push and pull request."""
    assert {"push", "pull_request"} <= set(_triggers(_load(CI)))


def test_ci_is_read_only() -> None:
    """CI only reads the repository."""
    doc = _load(CI)
    assert doc["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in doc["jobs"].values())


def test_ci_runs_exactly_the_repository_test_command() -> None:
    """CI runs `bash .ci/run`, so CI and a local run cannot drift, then checks the fork's own
    config.yml offline."""
    doc = _load(CI)
    runs = [step["run"].strip() for _, step in _steps(doc) if "run" in step]
    assert runs == [CI_COMMAND, CHECK_COMMAND]
    for step in _steps_using(doc, "actions/setup-python"):
        assert step["with"]["cache-dependency-path"] == "requirements*.txt"


def test_ci_script_exists() -> None:
    """The CI workflow must not point at a script that is not in the repository."""
    assert (ROOT / CI_COMMAND.split()[-1]).is_file()


# --- Dependabot ------------------------------------------------------------------------


def test_dependabot_watches_pip_and_actions_weekly() -> None:
    """Pinned requirements and SHA-pinned actions only stay current if proposed."""
    doc = _load(DEPENDABOT)
    assert doc["version"] == 2
    updates = {entry["package-ecosystem"]: entry for entry in doc["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    for entry in updates.values():
        assert entry["directory"] == "/"
        assert entry["schedule"]["interval"] == "weekly"
        assert entry.get("groups"), "one PR per dependency each week is noise: group them"


def test_dependabot_pip_groups_match_the_requirement_files() -> None:
    """Test tools and the bot's runtime libraries land in separate PRs."""
    groups = next(
        entry["groups"]
        for entry in _load(DEPENDABOT)["updates"]
        if entry["package-ecosystem"] == "pip"
    )
    dev_patterns = [p.lower() for p in groups["dev-tools"]["patterns"]]
    runtime = _requirement_names(ROOT / "requirements.txt")
    dev_only = [
        name for name in _requirement_names(ROOT / "requirements-dev.txt") if name not in runtime
    ]
    assert runtime
    assert dev_only
    for name in runtime:
        assert not any(fnmatch.fnmatchcase(name, p) for p in dev_patterns), name
    for name in dev_only:
        assert any(fnmatch.fnmatchcase(name, p) for p in dev_patterns), name
    assert "*" in groups["runtime"]["patterns"]
    # Dependabot puts a dependency in the first group that matches it.
    assert list(groups) == ["dev-tools", "runtime"]
