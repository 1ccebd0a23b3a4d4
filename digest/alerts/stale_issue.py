"""The one "digest is stuck" issue, opened and closed through GitHub's Issues API (PyGithub).

Imported only in GitHub mode with `alerts.open_issue` on. The issue is found by its fixed title
among the open issues, so the bot never opens a second while one is open. Failures come back as
the PublishError types of digest.publish.github.errors, worded for issues.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from github.Issue import Issue
from github.Repository import Repository

from digest.publish.github.client import ClientSettings, make_client, redacted_logs
from digest.publish.github.errors import GithubApiError, GithubPermissionError, Scene
from digest.publish.github.failures import explained
from digest.publish.github.target import GithubTarget, check_token

STALE_TITLE = "arXiv digest: no new papers"
_GONE = 410  # GitHub's answer to any issue request when the repository has issues disabled


class IssuesDisabledError(GithubApiError):
    """410: the repository has its Issues feature switched off."""

    def _words(self, scene: Scene) -> str:
        return (
            f"issues are switched off in {self.repository} ({self.said}): enable them in "
            "Settings → General → Features, or set alerts.open_issue: false in config.yml"
        )


class IssuePermissionError(GithubApiError):
    """403: the token has no `issues: write`. The daily workflow asks for it only when the
    config.yml its first job read turns alerts.open_issue on; a run outside that workflow, or an
    older copy of it, gets none."""

    def _words(self, scene: Scene) -> str:
        return (
            f"the token may not write issues in {self.repository} ({self.said}) while "
            f"{self.doing}: the workflow asks for 'issues: write' only when alerts.open_issue is "
            "true in the config.yml it reads: check that .github/workflows/digest.yml is the "
            "current one (outside it, use a token that may write issues), or set "
            "alerts.open_issue: false"
        )


def open_stale_issue(target: GithubTarget, body: str) -> int | None:
    """Open the issue unless one is open: the new issue's number, or None when one was open."""
    with _repository(target, "looking for an open stale-digest issue") as (repo, scene):
        if _find_open(repo) is not None:
            return None
        with _issues(scene.at("opening the stale-digest issue")):
            return repo.create_issue(title=STALE_TITLE, body=body).number


def close_stale_issue(target: GithubTarget, comment: str) -> int | None:
    """Comment on the open issue and close it: its number, or None when none was open."""
    with _repository(target, "looking for an open stale-digest issue") as (repo, scene):
        issue = _find_open(repo)
        if issue is None:
            return None
        with _issues(scene.at(f"closing issue #{issue.number}")):
            issue.create_comment(comment)
            issue.edit(state="closed")
        return issue.number


def _find_open(repo: Repository) -> Issue | None:
    """By title: every listed issue carries it, so no issue is fetched on its own."""
    return next(
        (issue for issue in repo.get_issues(state="open") if issue.title == STALE_TITLE), None
    )


@contextmanager
def _repository(target: GithubTarget, doing: str) -> Iterator[tuple[Repository, Scene]]:
    """The repository through a bounded client, with token-free logs and issue-worded errors."""
    check_token(target.token)
    settings = ClientSettings()
    scene = Scene(target.repository, "", target.api_url, settings.retries, doing, target.token)
    client = make_client(target.api_url, target.token, settings)
    with client, redacted_logs(target.token), _issues(scene):
        yield client.get_repo(target.repository), scene


@contextmanager
def _issues(scene: Scene) -> Iterator[None]:
    """explained(), with a refused write and disabled issues worded for this feature."""
    try:
        with explained(scene):
            yield
    except GithubPermissionError as error:
        raise IssuePermissionError(
            scene.at(error.doing), error.status, error.server_message
        ) from None
    except GithubApiError as error:
        if error.status != _GONE:
            raise
        raise IssuesDisabledError(
            scene.at(error.doing), error.status, error.server_message
        ) from None
