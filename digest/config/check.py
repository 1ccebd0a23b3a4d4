"""`--check`: validate config.yml without running the digest, and tell the workflow what it says.

The daily workflow's first job runs this. GitHub fixes a job's token permissions before the job
starts and accepts no expression in them, so whether the digest job may write issues is decided
by an earlier job: this one, from `alerts.open_issue`, through a step output. It reads nothing
but the config and touches no network, so it costs a second and fails fast on a bad config.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from digest.config.settings import Config, load_config
from digest.errors import DigestError
from digest.words import counted

OUTPUT_NAME = "open_issue"


class StepOutputError(DigestError):
    """GITHUB_OUTPUT is set but cannot be written: the workflow could not pick its digest job."""


def check_config(config_path: Path, env: Mapping[str, str]) -> str:
    """Validate the config (ConfigError when it is wrong), write the `open_issue` step output
    when GITHUB_OUTPUT is set, and return the one-line confirmation."""
    config = load_config(config_path)
    _write_step_output(env.get("GITHUB_OUTPUT", ""), _flag(config.alerts.open_issue))
    return _confirmation(config_path, config)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _write_step_output(path: str, value: str) -> None:
    """Append `open_issue=<value>` in GitHub's step-output file format (one `name=value` line)."""
    if not path:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as stream:
            stream.write(f"{OUTPUT_NAME}={value}\n")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise StepOutputError(
            f"cannot write the step output {OUTPUT_NAME} to GITHUB_OUTPUT {path} ({reason}); "
            "the workflow cannot choose its digest job: rerun it, or unset GITHUB_OUTPUT "
            "outside GitHub Actions"
        ) from None


def _confirmation(config_path: Path, config: Config) -> str:
    topics = len(config.categories)
    return (
        f"{config_path} is valid: query {config.query!r}, {counted(topics, 'topic')}, "
        f"alerts.open_issue {_flag(config.alerts.open_issue)}"
    )
