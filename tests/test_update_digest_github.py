"""GitHub mode end to end: real PyGithub against a local GitHub backed by a real git repository.

Each run starts from a fresh checkout of the branch, as the workflow does.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from tests.conftest import use_github
from tests.digest_site import Site, arrivals, at, expected_listed, expected_window
from tests.fake_arxiv import FakeArxiv, seed_fake_papers
from tests.fake_github import (
    FAKE_TOKEN,
    OTHER_NAME,
    FakeGitHub,
    commit_files,
    history,
    init_backing_repo,
    read_files,
)


@dataclass
class Remote:
    github: FakeGitHub
    backing: Path
    workdir: Path
    runs: int = 0

    def checkout(self) -> Site:
        """A fresh clone of main, like actions/checkout."""
        self.runs += 1
        target = self.workdir / f"checkout-{self.runs}"
        subprocess.run(
            ["git", "clone", "-q", "-b", "main", str(self.backing), str(target)], check=True
        )
        return Site(target)

    def run(self, now: datetime) -> int:
        return self.checkout().run(now.isoformat())

    def commits(self) -> list[str]:
        return [commit.message for commit in history(self.backing, "main")]


@pytest.fixture
def remote(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Remote]:
    arxiv_env.set_papers(seed_fake_papers())
    seed = Site.create(tmp_path / "seed")
    files = {name: content.decode("utf-8") for name, content in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    with FakeGitHub(backing) as github:
        use_github(github, monkeypatch)
        yield Remote(github, backing, tmp_path / "work")


def test_one_commit_per_day_with_news_and_none_without(
    remote: Remote, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remote.run(at("2026-02-10")) == 0
    assert remote.run(at("2026-02-10", hour=8)) == 0  # nothing new since the morning run
    assert remote.run(at("2026-02-11")) == 0
    commits = remote.commits()
    assert len(commits) == 3  # the initial commit and one per day with news
    newest, first = commits[0], commits[1]
    assert first.startswith(
        f"digest: {len(expected_window(at('2026-02-10')))} new papers (2026-02-10)"
    )
    assert (
        newest.splitlines()[0].startswith("digest: ") and "(2026-02-11)" in newest.splitlines()[0]
    )
    files = read_files(remote.backing, "main")
    runs = [at("2026-02-10"), at("2026-02-10", hour=8), at("2026-02-11")]
    listed = Site(remote.checkout().root).listed()
    assert {pid for pid, _ in listed} == expected_listed(runs)
    for pid, version in listed:
        if pid not in expected_listed(runs[:2]):
            assert f"https://arxiv.org/abs/{pid}v{version}" in newest
    pages = {f"archive/{day:%Y}/{day}.md" for day in arrivals(runs).values()}
    assert pages <= set(files)
    feed = feedparser.parse(files["feed.xml"])  # committed along with the README
    ids = [item.id for item in feed.entries]
    assert sorted(ids) == sorted(f"https://arxiv.org/abs/{pid}" for pid, _ in listed)
    # The README's feed link is the address a feed reader subscribes to, the feed's own.
    feed_links = [
        a for a in Site(remote.checkout().root).tree().find_all("a") if a.text() == "Atom feed"
    ]
    (self_link,) = [link.href for link in feed.feed.links if link.rel == "self"]
    assert [str(a.attrs["href"]) for a in feed_links] == [self_link]
    assert self_link.endswith("/main/feed.xml")
    assert FAKE_TOKEN not in capsys.readouterr().out
    assert all(
        not r.body or "author" not in r.body
        for r in remote.github.requests_to("POST", "git/commits")
    )


def test_commit_message_lists_new_papers_per_category(remote: Remote) -> None:
    assert remote.run(at("2026-02-13")) == 0
    message = remote.commits()[0]
    lines = message.splitlines()
    assert lines[1] == ""
    assert "🛠 Hardware & Materials:" in lines
    assert any(line.startswith("- ") for line in lines)
    assert all(
        line.startswith("  https://arxiv.org/abs/")
        for i, line in enumerate(lines)
        if lines[i - 1].startswith("- ")
    )


def test_a_commit_landing_during_the_run_is_kept(remote: Remote) -> None:
    site = remote.checkout()
    commit_files(remote.backing, "main", {"NOTES.md": "someone else's notes\n"}, "Add notes")
    assert site.run(at("2026-02-10").isoformat()) == 0
    commits = history(remote.backing, "main")
    assert commits[0].message.startswith("digest: ")
    assert commits[1].author_name == OTHER_NAME and commits[0].parents == (commits[1].sha,)
    assert read_files(remote.backing, "main")["NOTES.md"] == "someone else's notes\n"


def test_a_readme_edited_during_the_run_keeps_the_edit_under_the_new_list(remote: Remote) -> None:
    site = remote.checkout()
    readme = read_files(remote.backing, "main")["README.md"] + "\nA maintainer's new section.\n"
    head = commit_files(remote.backing, "main", {"README.md": readme}, "Edit README")
    assert site.run(at("2026-02-10").isoformat()) == 0
    commits = history(remote.backing, "main")
    assert commits[1].sha == head and commits[0].parents == (head,)
    published = read_files(remote.backing, "main")["README.md"]
    assert published.endswith("A maintainer's new section.\n")
    assert {pid for pid, _ in remote.checkout().listed()} == expected_window(at("2026-02-10"))


def test_missing_write_permission_fails_cleanly(
    remote: Remote, capsys: pytest.CaptureFixture[str]
) -> None:
    remote.github.inject(
        "POST",
        r"git/trees",
        status=403,
        body={"message": "Resource not accessible by integration"},
        times=None,
    )
    before = history(remote.backing, "main")
    assert remote.run(at("2026-02-10")) == 1
    assert history(remote.backing, "main") == before
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "contents: write" in err and FAKE_TOKEN not in err


def test_catch_up_after_missed_days_commits_once(remote: Remote) -> None:
    assert remote.run(at("2026-02-02")) == 0
    assert remote.run(at("2026-02-02") + timedelta(days=5)) == 0
    assert len(remote.commits()) == 3
    listed = remote.checkout().listed()
    assert {pid for pid, _ in listed} == expected_listed([at("2026-02-02"), at("2026-02-07")])


def test_files_kept_with_windows_line_ends_are_rewritten_like_any_other(remote: Remote) -> None:
    """A checkout holds each file's bytes as the branch does: a feed or page someone committed
    with CRLF line ends is seen as unchanged since the run read it, and is rewritten."""
    assert remote.run(at("2026-02-10")) == 0
    files = read_files(remote.backing, "main")
    crlf = {
        name: text.replace("\n", "\r\n")
        for name, text in files.items()
        if name == "feed.xml" or name.startswith("archive/")
    }
    commit_files(remote.backing, "main", crlf, "Windows line ends")
    assert remote.run(at("2026-02-11")) == 0
    newest = read_files(remote.backing, "main")
    assert "\r\n" not in newest["feed.xml"], "the feed was rewritten by the bot"
    assert remote.commits()[0].startswith("digest: ")
    feed = feedparser.parse(newest["feed.xml"])
    assert feed.entries
