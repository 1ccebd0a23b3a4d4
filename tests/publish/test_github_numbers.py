"""Numbers in GitHub's answers are not trusted: a rate-limit reset or a Retry-After out of any
plausible range still gives the rate-limit message, without a time, never a crash."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.publish.github.commit import publish_commit
from digest.publish.github.errors import GithubRateLimitError, PublishError
from digest.publish.github.target import GithubTarget
from tests.fake_github import FakeGitHub, init_backing_repo

FAST = {"throttle": False, "retries": 2, "backoff_factor": 0.0, "timeout_seconds": 5}
PRIMARY = "API rate limit exceeded for installation ID 1."


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub(init_backing_repo(tmp_path / "origin.git")) as server:
        yield server


def _publish_fails(fake: FakeGitHub) -> PublishError:
    target = GithubTarget(fake.base_url, fake.repository, "main", fake.token)
    before = fake.head()
    started = time.monotonic()
    with pytest.raises(PublishError) as caught:
        publish_commit(target, {"README.md": "# new\n"}, "digest", max_rate_limit_wait=1, **FAST)
    assert time.monotonic() - started < 10
    assert fake.head() == before
    return caught.value


@pytest.mark.parametrize(
    "reset", ["99999999999999", str(10**17), "-5", "²", "1" * 400, "0", "12.5"]
)
def test_a_primary_limit_with_a_reset_out_of_range_is_reported_without_a_time(
    fake: FakeGitHub, reset: str
) -> None:
    fake.inject(
        "GET",
        "/git/ref/",
        status=403,
        body={"message": PRIMARY},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
        times=None,
    )
    error = _publish_fails(fake)
    assert type(error) is GithubRateLimitError, str(error)
    assert error.reset is None
    assert "re-run the workflow later" in str(error)


@pytest.mark.parametrize(
    "retry_after",
    ["²", "-5", "99999999999999999999", "Wed, 04 Feb 2026 05:00:10 -0000", "Mon, 01 Jan 9999"],
)
def test_a_rate_limit_with_an_odd_retry_after_is_reported_as_one(
    fake: FakeGitHub, retry_after: str
) -> None:
    fake.inject(
        "POST",
        "/git/blobs$|/git/trees$",
        status=429,
        times=None,
        headers={"Retry-After": retry_after},
    )
    error = _publish_fails(fake)
    assert type(error) is GithubRateLimitError, f"{type(error).__name__}: {error}"
