"""The one "digest is stuck" issue, opened and closed through GitHub's Issues API (PyGithub).

Imported only in GitHub mode with `alerts.open_issue` on. The bot's issue is the open issue
(never a pull request, which GitHub lists among issues) with its fixed title and a hidden marker
in its body, opened by the workflow's bot or by someone with write access (a forker's own
token): an outsider's issue or PR with the same title and marker is neither adopted nor closed.
So the bot never opens a second while its own is open. Failures come back as the PublishError
types of digest.publish.github.errors, worded for issues.
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
STALE_MARKER = "<!-- arxiv-digest:stale -->"
# Who may have opened the bot's issue: the workflow's bot, or a token of someone who may write
# to the repository (GitHub's author_association of its owner, members and collaborators).
_BOT_LOGIN = "github-actions[bot]"
_TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
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
            return repo.create_issue(title=STALE_TITLE, body=f"{body}\n\n{STALE_MARKER}").number


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
    """The bot's own open issue, from the listing alone: every listed issue carries what
    `_is_ours` reads, so no issue is fetched on its own."""
    return next((issue for issue in repo.get_issues(state="open") if _is_ours(issue)), None)


def _is_ours(issue: Issue) -> bool:
    """Title, marker, no pull request, and an author who may write to the repository."""
    return (
        issue.title == STALE_TITLE
        and issue.pull_request is None
        and STALE_MARKER in (issue.body or "")
        and (issue.user.login == _BOT_LOGIN or issue.author_association in _TRUSTED_ASSOCIATIONS)
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
