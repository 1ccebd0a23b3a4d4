"""publish_commit against a local fake of GitHub backed by a real git repository.

Real PyGithub talks HTTP to tests/fake_github.py; assertions read the resulting commits with git.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

from digest.publish.github.commit import git_blob_sha, publish_commit
from digest.publish.github.errors import (
    BranchKeptMovingError,
    BranchNotFoundError,
    ChangedSinceReadError,
    EmptyRepositoryError,
    GithubApiError,
    GithubAuthError,
    GithubNetworkError,
    GithubPermissionError,
    GithubRateLimitError,
    GithubServerError,
    GithubSettingsError,
    InvalidPathError,
    ProtectedBranchError,
    PublishError,
    RepositoryNotFoundError,
    TruncatedListingError,
)
from digest.publish.github.target import DEFAULT_API_URL, GithubTarget, target_from_env
from digest.render.readme import BLOCK_END, BLOCK_START, replace_block
from tests.fake_github import (
    BOT_EMAIL,
    BOT_NAME,
    FakeGitHub,
    RecordedRequest,
    commit_files,
    git,
    history,
    init_backing_repo,
    read_commit,
    read_files,
)

INITIAL = {
    "README.md": "# arXiv digest\n\nNothing yet.\n",
    "archive/2024-05-01.md": "# 2024-05-01\n\n- an old paper\n",
    "config.yml": "field: cs.LG\n",
}
MESSAGE = "Update digest for 2024-05-02"
E = TypeVar("E", bound=PublishError)
FAST: dict[str, Any] = {
    "throttle": False,
    "retries": 2,
    "backoff_factor": 0.0,
    "timeout_seconds": 5,
    "max_rate_limit_wait": 1,
}
REF = r"/git/refs?/heads/main$"
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"


@pytest.fixture
def backing(tmp_path: Path) -> Path:
    return init_backing_repo(tmp_path / "origin.git", INITIAL)


@pytest.fixture
def fake(backing: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub(backing) as server:
        yield server


@pytest.fixture
def target(fake: FakeGitHub) -> GithubTarget:
    return GithubTarget(fake.base_url, fake.repository, "main", fake.token)


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture everything, PyGithub's debug output included, to prove the token never shows."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="github")  # PyGithub pins its logger to INFO


def publish(target: GithubTarget, files: dict[str, str], **overrides: Any) -> str | None:
    """The sha of the commit that landed, or None."""
    landed = publish_commit(target, files, MESSAGE, **{**FAST, **overrides})
    return None if landed is None else landed.sha


def new_files() -> dict[str, str]:
    return {
        "README.md": "# arXiv digest\n\n- a new paper — naïve Bayes, 日本語\n",
        "archive/2024-05-02.md": "# 2024-05-02\n\n- a new paper\n",
        "archive/2024-05-01.md": INITIAL["archive/2024-05-01.md"],
    }


def expect_failure(
    target: GithubTarget,
    fake: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    kind: type[E],
    *phrases: str,
    **overrides: Any,
) -> E:
    """Publishing fails as exactly `kind`, says `phrases`, leaves the branch alone, never leaks."""
    before = fake.head()
    with pytest.raises(PublishError) as caught:
        publish(target, new_files(), **overrides)
    error = caught.value
    text = str(error)
    assert type(error) is kind, f"{type(error).__name__}: {text}"
    assert isinstance(error, kind)  # for the type checker
    for phrase in phrases:
        assert phrase in text
    assert "\n" not in text
    assert target.token not in text
    assert target.token not in caplog.text
    assert fake.head() == before
    assert all(request.status != 200 for request in fake.requests_to("PATCH"))
    return error


# --- the commit ------------------------------------------------------------------------------


def test_one_commit_holds_every_changed_file(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    initial = fake.head()

    sha = publish(target, new_files())

    assert sha is not None
    assert sha == fake.head()
    commit = read_commit(backing, sha)
    assert commit.parents == (initial,)
    assert commit.message == MESSAGE
    assert (commit.author_name, commit.author_email) == (BOT_NAME, BOT_EMAIL)
    assert [c.sha for c in history(backing, "main")] == [sha, initial]
    assert read_files(backing, "main") == {**INITIAL, **new_files()}
    (create,) = fake.requests_to("POST", "/git/commits$")
    assert set(create.body) == {"message", "tree", "parents"}  # no author, no committer
    (patch,) = fake.requests_to("PATCH", REF)
    assert patch.body == {"sha": sha, "force": False}


def test_unchanged_files_are_not_sent(target: GithubTarget, fake: FakeGitHub) -> None:
    publish(target, new_files())

    (tree,) = fake.requests_to("POST", "/git/trees$")
    sent = sorted(element["path"] for element in tree.body["tree"])
    assert sent == ["README.md", "archive/2024-05-02.md"]
    assert tree.body["base_tree"] == read_commit(fake.repo_dir, "main~1").tree


def test_what_landed_names_only_the_files_the_commit_changed(
    target: GithubTarget, fake: FakeGitHub
) -> None:
    """The run's report names what the commit changed: not a file the branch already held as
    written, nor one to remove that the branch no longer had."""
    files: dict[str, str | None] = {
        **new_files(),
        "config.yml": None,
        "archive/2024-04-30.md": None,
    }

    landed = publish_commit(target, files, MESSAGE, **FAST)

    assert landed is not None and landed.sha == fake.head()
    assert landed.written == ("README.md", "archive/2024-05-02.md")
    assert landed.removed == ("config.yml",)


def test_nothing_changed_makes_no_commit(target: GithubTarget, fake: FakeGitHub) -> None:
    before = fake.head()

    assert publish(target, dict(INITIAL)) is None

    assert fake.head() == before
    assert fake.requests_to("POST") == []
    assert fake.requests_to("PATCH") == []


def test_truncated_listing_still_makes_no_empty_commit(
    target: GithubTarget, fake: FakeGitHub
) -> None:
    fake.truncate_trees = True  # GitHub truncates recursive listings of huge trees
    before = fake.head()

    assert publish(target, dict(INITIAL)) is None

    assert fake.requests_to("POST") == []
    assert fake.head() == before


def test_no_files_means_no_request(target: GithubTarget, fake: FakeGitHub) -> None:
    assert publish(target, {}) is None
    assert fake.requests == []


def test_default_branch_is_read_from_the_repository(tmp_path: Path) -> None:
    backing = init_backing_repo(tmp_path / "trunk.git", INITIAL, branch="trunk")
    with FakeGitHub(backing, default_branch="trunk") as fake:
        target = GithubTarget(fake.base_url, fake.repository, None, fake.token)

        sha = publish(target, new_files())

        assert sha == fake.head("trunk")
        assert fake.requests_to("GET", f"^{fake.repo_path}$")
        assert fake.requests_to("PATCH", "/git/refs/heads/trunk$")


def test_executable_mode_is_kept(target: GithubTarget, fake: FakeGitHub, backing: Path) -> None:
    blob = git(backing, "hash-object", "-w", "--stdin", stdin=b"#!/bin/sh\n")
    tree = git(backing, "mktree", stdin=f"100755 blob {blob}\trun.sh\n".encode())
    script = git(backing, "commit-tree", tree, "-p", "main", stdin=b"Add an executable script")
    git(backing, "update-ref", "refs/heads/main", script)

    publish(target, {"run.sh": "#!/bin/sh\necho hi\n"})

    assert git(backing, "ls-tree", "main", "run.sh").startswith("100755 blob")


@pytest.mark.parametrize("text", ["", "naïve — 日本語\n", "no newline"])
def test_git_blob_sha_matches_git(backing: Path, text: str) -> None:
    data = text.encode()
    assert git_blob_sha(data) == git(backing, "hash-object", "--stdin", stdin=data)


# --- someone else moves the branch ---------------------------------------------------------------


class LandBeforePatch:
    """A before_request hook: someone else's commit lands just before our PATCH, `count` times."""

    def __init__(self, backing: Path, count: int = 1) -> None:
        self.backing = backing
        self.count = count
        self.landed: list[str] = []

    def __call__(self, request: RecordedRequest) -> None:
        if request.method == "PATCH" and len(self.landed) < self.count:
            files = {f"notes/other-{len(self.landed)}.md": "their change\n"}
            self.landed.append(commit_files(self.backing, "main", files, "Their commit"))


def test_concurrent_commit_is_kept_and_ours_goes_on_top(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    initial = fake.head()
    fake.before_request = hook = LandBeforePatch(backing)

    sha = publish(target, new_files())

    assert sha is not None
    (theirs,) = hook.landed
    assert [c.sha for c in history(backing, "main")] == [sha, theirs, initial]
    assert read_commit(backing, sha).parents == (theirs,)
    files = read_files(backing, "main")
    assert files["notes/other-0.md"] == "their change\n"
    assert files["README.md"] == new_files()["README.md"]
    assert [r.status for r in fake.requests_to("PATCH", REF)] == [422, 200]


def test_concurrent_commit_with_our_content_leaves_nothing_to_do(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    def hook(request: RecordedRequest) -> None:
        if request.method == "PATCH" and len(fake.requests_to("PATCH")) == 1:
            commit_files(backing, "main", new_files(), "Same content, other run")

    fake.before_request = hook

    assert publish(target, new_files()) is None

    assert len(history(backing, "main")) == 2


def test_branch_that_keeps_moving_gives_up_after_attempts(
    target: GithubTarget, fake: FakeGitHub, backing: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.before_request = hook = LandBeforePatch(backing, count=99)

    with pytest.raises(PublishError) as caught:
        publish(target, new_files(), attempts=3)

    assert isinstance(caught.value, BranchKeptMovingError)
    assert caught.value.attempts == 3
    assert "concurrency" in str(caught.value)
    assert fake.head() == hook.landed[-1]  # theirs are kept, ours never landed
    assert len(fake.requests_to("PATCH")) == 3


# --- answers that got lost -------------------------------------------------------------------


def test_timed_out_update_that_landed_gives_one_commit(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    initial = fake.head()
    fake.inject("PATCH", REF, delay=2.5)  # applied, but answered after the client gave up

    sha = publish(target, new_files(), timeout_seconds=1)

    assert sha == fake.head()
    assert [c.sha for c in history(backing, "main")] == [sha, initial]
    assert len(fake.requests_to("PATCH")) == 1


def test_timed_out_update_that_did_not_land_is_retried(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    initial = fake.head()
    fake.inject("PATCH", REF, status=504, delay=2.5)

    sha = publish(target, new_files(), timeout_seconds=1)

    assert [c.sha for c in history(backing, "main")] == [sha, initial]
    assert len(fake.requests_to("PATCH")) == 2


def test_server_error_on_an_update_that_landed_gives_one_commit(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    initial = fake.head()
    fake.inject("PATCH", REF, status=502, land=True)

    sha = publish(target, new_files())

    assert [c.sha for c in history(backing, "main")] == [sha, initial]
    assert len(fake.requests_to("PATCH")) == 1


def test_transient_server_errors_are_retried(target: GithubTarget, fake: FakeGitHub) -> None:
    fake.inject("POST", "/git/trees$", status=502)
    fake.inject("GET", "/git/commits/", status=503)

    assert publish(target, new_files()) == fake.head()
    assert [r.status for r in fake.requests_to("POST", "/git/trees$")] == [502, 201]


def test_short_rate_limit_is_waited_out(target: GithubTarget, fake: FakeGitHub) -> None:
    fake.inject(
        "POST",
        "/git/commits$",
        status=403,
        body={"message": "You have exceeded a secondary rate limit."},
        headers={"Retry-After": "0"},
    )

    assert publish(target, new_files()) == fake.head()


# --- clear failures ----------------------------------------------------------------------------


def test_bad_credentials(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = GithubTarget(target.api_url, target.repository, "main", "ghs_wrongToken42")
    error = expect_failure(wrong, fake, caplog, GithubAuthError, "401", "GITHUB_TOKEN")
    assert error.status == 401


def test_read_only_token(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject(
        "POST",
        "/git/trees$",
        status=403,
        body={"message": "Resource not accessible by integration"},
        times=None,
    )
    error = expect_failure(
        target, fake, caplog, GithubPermissionError, "contents: write", "Workflow permissions"
    )
    assert (error.status, error.integration) == (403, True)


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [("POST", "/git/trees$", 403, GithubPermissionError), ("PATCH", REF, 422, GithubApiError)],
)
def test_token_echoed_by_the_server_is_scrubbed(
    target: GithubTarget,
    fake: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    status: int,
    kind: type[GithubApiError],
) -> None:
    echo = f"Resource not accessible by integration (token {target.token})"
    fake.inject(method, path, status=status, body={"message": echo}, times=None)

    error = expect_failure(target, fake, caplog, kind, "(token ***)")

    assert error.__cause__ is None and error.__suppress_context__
    assert error.server_message.endswith("(token ***)")  # the carried data is scrubbed too


def test_logs_are_scrubbed_too(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject("PATCH", REF, status=422, body={"message": f"echo {target.token}"})

    expect_failure(target, fake, caplog, GithubApiError, attempts=1)

    assert "echo ***" in caplog.text  # PyGithub logged the body, with the token replaced


@pytest.mark.parametrize("branch", ["main", None])
def test_missing_repository(
    fake: FakeGitHub, caplog: pytest.LogCaptureFixture, branch: str | None
) -> None:
    target = GithubTarget(fake.base_url, "octo-org/no-such-repo", branch, fake.token)
    error = expect_failure(
        target,
        fake,
        caplog,
        RepositoryNotFoundError,
        "'octo-org/no-such-repo'",
        "GITHUB_REPOSITORY",
    )
    assert error.repository == "octo-org/no-such-repo"


def test_missing_branch(fake: FakeGitHub, caplog: pytest.LogCaptureFixture) -> None:
    target = GithubTarget(fake.base_url, fake.repository, "gh-pages", fake.token)
    error = expect_failure(
        target, fake, caplog, BranchNotFoundError, "branch 'gh-pages'", "GITHUB_REF_NAME"
    )
    assert error.branch == "gh-pages"


def test_empty_repository(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with FakeGitHub(init_backing_repo(tmp_path / "empty.git", None)) as fake:
        target = GithubTarget(fake.base_url, fake.repository, None, fake.token)
        expect_failure(target, fake, caplog, EmptyRepositoryError, "409", "initial commit")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (422, 'Required status check "build" is expected.'),
        (403, "Protected branch update failed for refs/heads/main."),
        (422, "Repository rule violations found\n\nCommits must have verified signatures.\n\n"),
        (409, "Changes must be made through a pull request."),
    ],
)
def test_protected_branch(
    target: GithubTarget,
    fake: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    status: int,
    message: str,
) -> None:
    fake.inject("PATCH", REF, status=status, body={"message": message}, times=None)
    error = expect_failure(
        target, fake, caplog, ProtectedBranchError, "branch protection on 'main'", "bypass"
    )
    assert (error.status, error.branch) == (status, "main")
    assert len(fake.requests_to("PATCH")) == 1  # not retried: it would fail the same way


def test_persistent_server_errors(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject("GET", "/git/ref/heads/main$", status=503, times=None)
    error = expect_failure(target, fake, caplog, GithubServerError, "503", "githubstatus", "re-run")
    assert error.status == 503
    assert len(fake.requests_to("GET", "/git/ref/")) == FAST["retries"] + 1


def test_persistent_server_errors_on_the_update(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject("PATCH", REF, status=500, times=None)
    error = expect_failure(target, fake, caplog, GithubServerError, "500", "re-run", attempts=2)
    assert error.status == 500
    assert len(fake.requests_to("PATCH")) == 2  # PyGithub never repeats a PATCH itself


def test_primary_rate_limit(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    reset = int(time.time()) + 3600
    fake.inject(
        "GET",
        "/git/ref/",
        status=403,
        body={
            "message": "API rate limit exceeded for installation ID 1.",
            "documentation_url": RATE_LIMIT_DOCS,
        },
        headers={
            "x-ratelimit-remaining": "0",
            "x-ratelimit-limit": "1000",
            "x-ratelimit-reset": str(reset),
        },
        times=None,
    )
    reset_text = time.strftime("%H:%M UTC", time.gmtime(reset))
    error = expect_failure(
        target,
        fake,
        caplog,
        GithubRateLimitError,
        "rate-limited",
        f"re-run the workflow after {reset_text}",
    )
    assert error.reset == datetime.fromtimestamp(reset, UTC)


def test_secondary_rate_limit_longer_than_allowed(
    target: GithubTarget, fake: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inject(
        "POST",
        "/git/trees$",
        status=403,
        body={"message": SECONDARY_RATE_LIMIT},
        times=None,
    )
    error = expect_failure(target, fake, caplog, GithubRateLimitError, "re-run the workflow later")
    assert error.reset is None


@pytest.mark.parametrize(
    ("headers", "requests"),
    [({"Retry-After": "0"}, FAST["retries"] + 1), ({"Retry-After": "3600"}, 1), ({}, 1)],
)
def test_too_many_requests(
    target: GithubTarget,
    fake: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    requests: int,
) -> None:
    fake.inject("POST", "/git/commits$", status=429, headers=headers, times=None)
    started = time.monotonic()

    expect_failure(target, fake, caplog, GithubRateLimitError, "rate-limited", "re-run")

    assert time.monotonic() - started < 5  # a long Retry-After fails fast instead of sleeping
    assert len(fake.requests_to("POST", "/git/commits$")) == requests


def test_unreachable_api(target: GithubTarget, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = GithubTarget(
        f"http://127.0.0.1:{port}/api/v3", target.repository, "main", target.token
    )

    with pytest.raises(PublishError) as caught:
        publish(nowhere, new_files())

    assert isinstance(caught.value, GithubNetworkError)
    assert caught.value.unanswered
    assert caught.value.api_url == nowhere.api_url
    assert "GITHUB_API_URL" in str(caught.value)
    assert target.token not in str(caught.value) + caplog.text


@pytest.mark.parametrize("path", ["/etc/passwd", "a/../b", "a//b", "", ".git/config", "a\\b"])
def test_bad_paths_are_refused_before_any_request(
    target: GithubTarget, fake: FakeGitHub, path: str
) -> None:
    with pytest.raises(InvalidPathError) as caught:
        publish(target, {path: "x"})
    assert caught.value.path == path
    assert fake.requests == []


def test_token_with_a_newline_is_refused(target: GithubTarget, fake: FakeGitHub) -> None:
    padded = GithubTarget(target.api_url, target.repository, "main", target.token + "\n")
    with pytest.raises(GithubSettingsError) as caught:
        publish(padded, new_files())
    assert caught.value.setting == "GITHUB_TOKEN"
    assert target.token not in str(caught.value)
    assert fake.requests == []


@pytest.mark.parametrize("token", ["ghp_SECRETpart€SECRETtail", "ghp_SECRETpart\u200bSECRET"])
def test_token_http_cannot_carry_is_refused_without_showing_it(
    target: GithubTarget,
    fake: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    token: str,
) -> None:
    odd = GithubTarget(target.api_url, target.repository, "main", token)
    with pytest.raises(GithubSettingsError) as caught:
        publish(odd, new_files())
    text = str(caught.value)
    assert caught.value.setting == "GITHUB_TOKEN"
    assert "GITHUB_TOKEN must be printable ASCII" in text
    assert "\n" not in text
    assert "SECRET" not in text + caplog.text + "".join(capfd.readouterr())
    assert fake.requests == []


# --- the fake answers like GitHub ---------------------------------------------------------------


def call(fake: FakeGitHub, method: str, tail: str, body: Any = None, token: str = "") -> Any:
    response = requests.request(
        method,
        f"{fake.base_url}{fake.repo_path}{tail}",
        json=body,
        headers={"Authorization": f"Bearer {token or fake.token}"},
        timeout=5,
    )
    return response.status_code, response.json()


def test_fake_rejects_a_wrong_token(fake: FakeGitHub) -> None:
    assert call(fake, "GET", "", token="ghs_nope")[0] == 401  # noqa: S106 - a wrong token
    assert call(fake, "GET", "")[1]["default_branch"] == "main"


def test_fake_tree_entries_create_keep_and_delete(fake: FakeGitHub, backing: Path) -> None:
    head = read_commit(backing, "main")
    readme = git(backing, "rev-parse", "main:README.md")
    entries = [
        {"path": "new/file.md", "mode": "100644", "type": "blob", "content": "new\n"},
        {"path": "copy.md", "mode": "100644", "type": "blob", "sha": readme},
        {"path": "config.yml", "mode": "100644", "type": "blob", "sha": None},
    ]
    status, tree = call(fake, "POST", "/git/trees", {"base_tree": head.tree, "tree": entries})
    assert status == 201
    status, commit = call(
        fake, "POST", "/git/commits", {"message": "m", "tree": tree["sha"], "parents": [head.sha]}
    )
    assert status == 201
    assert commit["author"]["name"] == BOT_NAME
    files = read_files(backing, commit["sha"])
    assert files["new/file.md"] == "new\n"
    assert files["copy.md"] == files["README.md"]
    assert "config.yml" not in files


def test_fake_refuses_what_github_refuses(fake: FakeGitHub, backing: Path) -> None:
    head = read_commit(backing, "main")
    missing = [{"path": "nope.md", "mode": "100644", "type": "blob", "sha": None}]
    assert call(fake, "POST", "/git/trees", {"base_tree": head.tree, "tree": missing})[0] == 422
    root = git(backing, "commit-tree", head.tree, stdin=b"unrelated root")
    status, body = call(fake, "PATCH", "/git/refs/heads/main", {"sha": root, "force": False})
    assert (status, body["message"]) == (422, "Update is not a fast forward")
    assert fake.head() == head.sha
    assert call(fake, "GET", "/git/ref/heads/nope")[0] == 404
    assert call(fake, "GET", "/pulls")[0] == 404
    assert call(fake, "GET", "/issues/7")[0] == 404


def test_fake_records_an_author_when_one_is_sent(fake: FakeGitHub, backing: Path) -> None:
    head = read_commit(backing, "main")
    author = {"name": "A Person", "email": "a@example.com", "date": "2024-05-02T06:00:00Z"}
    body = {"message": "m", "tree": head.tree, "parents": [head.sha], "author": author}
    status, commit = call(fake, "POST", "/git/commits", body)
    assert status == 201
    assert read_commit(backing, commit["sha"]).author_date == "2024-05-02T06:00:00Z"
    assert fake.requests_to("POST", "/git/commits$")[0].body["author"] == author


# --- target_from_env ---------------------------------------------------------------------------


def test_target_repr_hides_the_token() -> None:
    target = GithubTarget(DEFAULT_API_URL, "o/r", None, "ghs_secret")
    assert "ghs_secret" not in repr(target)
    assert "ghs_secret" not in str(target)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GITHUB_REPOSITORY": "o/r"},
        {"GITHUB_TOKEN": "ghs_x"},
        {"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "o/r"},
        {"GITHUB_TOKEN": "ghs_x", "GITHUB_REPOSITORY": "  "},
    ],
)
def test_local_mode_without_token_and_repository(env: dict[str, str]) -> None:
    assert target_from_env(env) is None


def test_target_from_actions_environment() -> None:
    env = {
        "GITHUB_TOKEN": "ghs_x",
        "GITHUB_REPOSITORY": "octo-org/arxiv-digest",
        "GITHUB_API_URL": "https://ghe.example.com/api/v3/",
        "GITHUB_REF_NAME": "main",
    }
    assert target_from_env(env) == GithubTarget(
        "https://ghe.example.com/api/v3", "octo-org/arxiv-digest", "main", "ghs_x"
    )


def test_target_defaults() -> None:
    env = {"GITHUB_TOKEN": "ghs_x", "GITHUB_REPOSITORY": "o/r", "GITHUB_REF_NAME": ""}
    assert target_from_env(env) == GithubTarget(DEFAULT_API_URL, "o/r", None, "ghs_x")


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("GITHUB_REPOSITORY", "just-a-name", "owner/name"),
        ("GITHUB_REPOSITORY", "o/r/extra", "owner/name"),
        ("GITHUB_REPOSITORY", "o/..", "owner/name"),
        ("GITHUB_REPOSITORY", "ghs_secret_token/r x", "owner/name"),
        ("GITHUB_API_URL", "api.github.com", "GITHUB_API_URL"),
    ],
)
def test_target_from_env_rejects_malformed_values(key: str, value: str, phrase: str) -> None:
    env = {"GITHUB_TOKEN": "ghs_secret_token", "GITHUB_REPOSITORY": "o/r", key: value}
    with pytest.raises(GithubSettingsError) as caught:
        target_from_env(env)
    assert caught.value.setting == key
    text = str(caught.value)
    assert phrase in text
    assert "ghs_secret_token" not in text
    assert "\n" not in text


def test_a_file_changed_since_it_was_read_is_not_overwritten(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    theirs = commit_files(backing, "main", {"config.yml": "field: cs.NE\n"}, "Retarget")
    with pytest.raises(ChangedSinceReadError) as caught:
        publish(
            target, {"config.yml": "field: cs.AI\n"}, base={"config.yml": INITIAL["config.yml"]}
        )
    assert (caught.value.path, caught.value.branch) == ("config.yml", "main")
    assert "config.yml changed on branch 'main' after this run read it" in str(caught.value)
    assert fake.head() == theirs


def test_a_file_changed_since_it_was_read_is_redone_on_the_new_text(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    edited = INITIAL["README.md"] + "Their line.\n"
    theirs = commit_files(backing, "main", {"README.md": edited}, "Edit README")
    sha = publish(
        target,
        {"README.md": INITIAL["README.md"] + "Our line.\n"},
        base={"README.md": INITIAL["README.md"]},
        rebase={"README.md": lambda text: (text or "") + "Our line.\n"},
    )
    assert read_files(backing, "main")["README.md"] == edited + "Our line.\n"
    assert [c.sha for c in history(backing, "main")][:2] == [sha, theirs]


# --- a truncated tree listing never hides a file ---------------------------------------------

HAND_WRITTEN_README = (
    f"{BLOCK_START}\n- an old paper\n{BLOCK_END}\n\n## About\n\nHand-written, keep me.\n"
)
NEW_BLOCK = f"{BLOCK_START}\n- a new paper\n{BLOCK_END}"


def test_truncated_listing_keeps_the_readme_hand_written_part(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    """The README read at the start is still on the branch: only its block changes."""
    commit_files(backing, "main", {"README.md": HAND_WRITTEN_README}, "Hand-written README")
    fake.truncate_trees = True  # a recursive listing would leave README.md out
    planned = replace_block(HAND_WRITTEN_README, NEW_BLOCK)
    seen: list[str | None] = []

    def rebase(text: str | None) -> str:
        seen.append(text)
        return replace_block(text or "", NEW_BLOCK)

    publish(
        target,
        {"README.md": planned},
        base={"README.md": HAND_WRITTEN_README},
        rebase={"README.md": rebase},
    )

    readme = read_files(backing, "main")["README.md"]
    assert readme == planned
    assert "Hand-written, keep me." in readme
    assert seen == []  # unchanged since read: nothing to redo


def test_truncated_listing_gives_the_rebase_the_branch_text(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    """Edited on the branch during the run: the new block goes on top of the branch's text."""
    commit_files(backing, "main", {"README.md": HAND_WRITTEN_README}, "Hand-written README")
    edited = HAND_WRITTEN_README + "Added during the run.\n"
    commit_files(backing, "main", {"README.md": edited}, "Edit README")
    fake.truncate_trees = True
    seen: list[str | None] = []

    def rebase(text: str | None) -> str:
        seen.append(text)
        return replace_block(text or "", NEW_BLOCK)

    publish(
        target,
        {"README.md": replace_block(HAND_WRITTEN_README, NEW_BLOCK)},
        base={"README.md": HAND_WRITTEN_README},
        rebase={"README.md": rebase},
    )

    assert seen == [edited]
    assert read_files(backing, "main")["README.md"] == replace_block(edited, NEW_BLOCK)


def test_folder_listed_in_part_publishes_nothing(
    target: GithubTarget, fake: FakeGitHub, backing: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Even one folder's own listing can be cut short: absence is then unknown, so stop."""
    commit_files(backing, "main", {"README.md": HAND_WRITTEN_README}, "Hand-written README")
    fake.truncate_trees = True
    fake.truncate_folders = {git(backing, "rev-parse", "main^{tree}")}
    rebuilt: list[str | None] = []

    def rebase(text: str | None) -> str:
        rebuilt.append(text)
        return replace_block(text or "", NEW_BLOCK)

    error = expect_failure(
        target,
        fake,
        caplog,
        TruncatedListingError,
        "README.md",
        "truncated",
        base={"README.md": HAND_WRITTEN_README},
        rebase={"README.md": rebase},
    )

    assert (error.path, error.folder) == ("README.md", "")
    assert rebuilt == []
    assert fake.requests_to("POST") == []
    assert "Hand-written, keep me." in read_files(backing, "main")["README.md"]


def test_truncated_folder_that_lists_the_file_is_trusted(
    target: GithubTarget, fake: FakeGitHub, backing: Path
) -> None:
    """An entry present in a truncated listing is real; only absence is in doubt."""
    fake.truncate_folders = {git(backing, "rev-parse", "main^{tree}")}  # lists archive/ only

    sha = publish(target, {"archive/2024-05-01.md": "# 2024-05-01\n\n- revised\n"})

    assert sha == fake.head()
    assert read_files(backing, "main")["archive/2024-05-01.md"].endswith("revised\n")
