"""End to end: the real bot, real Apprise, a local JSON webhook and a local SMTP server.

One message per run with news, naming its papers; none on quiet or dry runs; one when the
digest gets stuck and one when papers arrive again; a service that fails leaves the run's work
and exit code alone, and no URL's secret shows anywhere.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import use_github
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, FakePaper, seed_fake_papers, submitted_paper
from tests.fake_github import FakeGitHub, history, init_backing_repo, read_files
from tests.notify.receivers import (
    HOOK_TOKEN,
    MAIL_PASSWORD,
    JsonHook,
    Mailbox,
    free_port,
    mail_text,
    mailbox,
    message_links,
    message_text,
    silent_server,
)

# As in tests/alerts/test_alarm.py: a first run on Friday the 13th brings the seed's newest
# papers and nothing arrives after; with a 60-day window, quiet days change no file.
FIRST = "2026-02-13"  # Friday
QUIET = ["2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17"]  # Sat, Sun, Mon, Tue
STUCK = "2026-02-18"  # Wednesday: the third announcement day without news
STILL_STUCK = "2026-02-19"  # Thursday
AGAIN = "2026-02-20"  # Friday: papers arrive again
SECRETS = (HOOK_TOKEN, MAIL_PASSWORD)


@pytest.fixture
def summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "job-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    return path


@pytest.fixture
def local(
    arxiv_env: FakeArxiv, local_mode: None, monkeypatch: pytest.MonkeyPatch, summary: Path
) -> FakeArxiv:
    arxiv_env.set_papers(seed_fake_papers())
    return arxiv_env


@pytest.fixture
def hook(httpserver: HTTPServer) -> JsonHook:
    return JsonHook(httpserver)


@pytest.fixture
def mail() -> Iterator[Mailbox]:
    with mailbox() as box:
        yield box


def _site(root: Path) -> Site:
    return Site.create(root, window_days=60, alerts={"stale_after": 3})


def _arrival(arxiv_id: str, title: str, day: str) -> FakePaper:
    moment = at(day, hour=10)
    return submitted_paper(
        arxiv_id,
        moment,
        title=title,
        abstract="A spiking neural network on a neuromorphic chip.",
        authors=("Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"),
    )


def _abs_ids(links: list[str]) -> set[str]:
    prefix = "https://arxiv.org/abs/"
    return {link.removeprefix(prefix).rsplit("v", 1)[0] for link in links if prefix in link}


def _assert_no_secret(texts: dict[str, str | bytes]) -> None:
    for where, text in texts.items():
        data = text.encode() if isinstance(text, str) else text
        for secret in SECRETS:
            assert secret.encode() not in data, f"a secret shows in {where}"


def test_a_run_with_news_pushes_one_message_naming_every_new_paper(
    tmp_path: Path,
    local: FakeArxiv,
    hook: JsonHook,
    mail: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    summary: Path,
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", f"{hook.url()}, {mail.url()}")
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    listed = {record["id"] for record in site.archived()}
    [first] = hook.messages()
    assert first["title"].startswith(f"🧠 Open Neuromorphic - Daily ArXiv: {len(listed)} new")
    assert first["title"].endswith(f"({FIRST})")
    shown = _abs_ids(message_links(first))
    assert shown <= listed
    if shown != listed:  # a bounded message says how many it leaves to the README
        assert f"…and {len(listed - shown)} more in the digest's README" in message_text(first)

    local.add(
        _arrival("2602.13001", "Spikes on a *budget*", "2026-02-16"),
        _arrival("2602.13002", "Neuromorphic [vision] at the edge", "2026-02-16"),
    )
    assert site.run(at("2026-02-17").isoformat()) == 0
    [_, second] = hook.messages()
    assert second["title"] == ("🧠 Open Neuromorphic - Daily ArXiv: 2 new papers (2026-02-17)")
    text = message_text(second)
    assert "🆕 Spikes on a *budget*" in text
    assert "🆕 Neuromorphic [vision] at the edge" in text
    assert "Grace Hopper, Edsger Dijkstra, Barbara Liskov et al." in text
    assert _abs_ids(message_links(second)) == {"2602.13001", "2602.13002"}
    assert second["type"] == "info"

    assert len(mail.mails) == 2 and mail.logins == ["accepted", "accepted"]
    assert mail.mails[1]["Subject"] == second["title"]
    assert mail.mails[1]["To"] == "reader@example.org"
    body = mail_text(mail.mails[1])
    assert "Spikes on a *budget*" in body and "Neuromorphic [vision] at the edge" in body

    out, err = capsys.readouterr()
    assert "warning" not in err
    assert "pushed the news (2 new papers) to json (URL 1 of 2), mailto (URL 2 of 2)" in err
    _assert_no_secret(
        {"stdout": out, "stderr": err, "job summary": summary.read_text(encoding="utf-8")}
        | {name: content for name, content in site.files().items() if name != "config.yml"}
    )


def test_quiet_and_dry_runs_push_nothing(
    tmp_path: Path, local: FakeArxiv, hook: JsonHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", hook.url())
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    assert site.run(at(FIRST, hour=9).isoformat()) == 0  # the same day again: nothing new
    assert site.run(at(QUIET[0]).isoformat()) == 0
    local.add(_arrival("2602.14001", "A paper on a dry day", QUIET[1]))
    assert site.run(at(QUIET[2]).isoformat(), "--dry-run") == 0
    assert len(hook.messages()) == 1  # the first run's news only


def test_one_message_when_the_digest_gets_stuck_and_one_when_papers_arrive_again(
    tmp_path: Path,
    local: FakeArxiv,
    hook: JsonHook,
    mail: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", f"{hook.url()}\n{mail.url()}")
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    for day in QUIET:
        assert site.run(at(day).isoformat()) == 0
    assert len(hook.messages()) == 1  # the news of the first run

    assert site.run(at(STUCK).isoformat()) == 0
    assert site.run(at(STILL_STUCK).isoformat()) == 0
    [stuck] = hook.messages()[1:]
    assert stuck["type"] == "warning"
    assert "no news since 2026-02-13" in stuck["title"]
    assert "3 arXiv announcement days" in stuck["message"]
    assert mail.mails[-1]["Subject"] == stuck["title"]

    local.add(_arrival("2602.19001", "The stream resumes", STILL_STUCK))
    assert site.run(at(AGAIN).isoformat()) == 0
    news, again = hook.messages()[2:]
    assert "1 new paper" in news["title"] and "The stream resumes" in message_text(news)
    assert again["type"] == "success"
    assert again["title"] == "🧠 Open Neuromorphic - Daily ArXiv: papers arrive again"
    assert f"New papers arrived on {AGAIN}, the first since {FIRST}" in again["message"]
    assert len(mail.mails) == 4


def test_the_message_arrives_before_a_stale_run_fails(
    tmp_path: Path, local: FakeArxiv, hook: JsonHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """alerts.fail_run ends the stuck day's run with exit 1; the push has gone out already."""
    monkeypatch.setenv("DIGEST_NOTIFY", hook.url())
    site = Site.create(tmp_path / "repo", window_days=60, alerts={"fail_run": True})
    assert site.run(at(FIRST).isoformat()) == 0
    assert site.run(at("2026-02-17").isoformat()) == 0  # Tuesday: two quiet days
    assert site.run(at(STUCK).isoformat()) == 1
    assert [m["type"] for m in hook.messages()] == ["info", "warning"]


@pytest.mark.parametrize("failure", ["http 500", "closed port", "no answer"])
def test_a_failing_service_is_one_warning_naming_its_kind_and_the_run_succeeds(
    failure: str,
    tmp_path: Path,
    local: FakeArxiv,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    summary: Path,
) -> None:
    with silent_server() as hanging:
        broken = {
            "http 500": JsonHook(httpserver, status=500).url(),
            "closed port": f"json://127.0.0.1:{free_port()}/hook/{HOOK_TOKEN}",
            "no answer": f"json://127.0.0.1:{hanging}/hook/{HOOK_TOKEN}?rto=0.5&cto=0.5",
        }[failure]
        monkeypatch.setenv("DIGEST_NOTIFY", broken)
        site = _site(tmp_path / "repo")
        assert site.run(at(FIRST).isoformat()) == 0
    assert site.listed()  # the digest is written
    out, err = capsys.readouterr()
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: could not push the news (")
    assert " to json: " in warnings[0]
    assert "127.0.0.1" not in warnings[0]
    job_summary = summary.read_text(encoding="utf-8")
    assert "could not push the news" in job_summary
    _assert_no_secret({"stdout": out, "stderr": err, "job summary": job_summary})


def test_a_busy_day_arrives_as_one_bounded_message(
    tmp_path: Path, local: FakeArxiv, hook: JsonHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", hook.url())
    site = _site(tmp_path / "repo")
    assert site.run(at(FIRST).isoformat()) == 0
    busy = [
        _arrival(f"2602.{15000 + n}", f"Spiking network number {n}", "2026-02-16")
        for n in range(300)
    ]
    local.add(*busy)
    assert site.run(at("2026-02-17").isoformat()) == 0
    [news] = hook.messages()[1:]
    assert ": 300 new papers (2026-02-17)" in news["title"]
    assert len(news["message"]) <= 10_000  # the bound the README states
    shown = _abs_ids(message_links(news))
    assert 0 < len(shown) <= 50
    assert f"…and {300 - len(shown)} more in the digest's README." in message_text(news)


def test_without_digest_notify_nothing_is_pushed_said_or_imported(
    tmp_path: Path, local: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIGEST_NOTIFY", raising=False)
    site = _site(tmp_path / "repo")
    run = (
        "import sys; from digest.cli import main; "
        f"code = main(['--config', {str(site.root / 'config.yml')!r}, '--now', "
        f"{at(FIRST).isoformat()!r}]); print('apprise' in sys.modules); sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "False"
    assert "push" not in done.stderr.lower()


# --- GitHub mode ---------------------------------------------------------------------------


@pytest.fixture
def github(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch, summary: Path
) -> Iterator[FakeGitHub]:
    arxiv_env.set_papers(seed_fake_papers())
    seed = _site(tmp_path / "seed")
    files = {name: content.decode("utf-8") for name, content in seed.files().items()}
    backing = init_backing_repo(tmp_path / "origin.git", files)
    with FakeGitHub(backing) as fake:
        use_github(fake, monkeypatch)
        yield fake


def _checkout(github: FakeGitHub, root: Path) -> Site:
    subprocess.run(
        ["git", "clone", "-q", "-b", "main", str(github.repo_dir), str(root)], check=True
    )
    return Site(root)


def test_in_github_mode_the_message_follows_the_commit_and_links_the_readme(
    tmp_path: Path,
    github: FakeGitHub,
    arxiv_env: FakeArxiv,
    hook: JsonHook,
    mail: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    summary: Path,
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", f"{hook.url()} {mail.url()}")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    arxiv_env.add(
        *(
            _arrival(f"2602.{16000 + n}", f"Spiking network number {n}", "2026-02-12")
            for n in range(300)
        )
    )
    site = _checkout(github, tmp_path / "checkout")
    before = github.head()
    assert site.run(at(FIRST).isoformat()) == 0
    assert github.head() != before  # the commit landed
    [news] = hook.messages()
    readme = f"https://github.com/{github.repository}/blob/main/README.md"
    assert message_links(news)[-1] == readme
    assert "…and " in message_text(news) and "more: the full list" in message_text(news)
    out, err = capsys.readouterr()
    _assert_no_secret(
        {"stdout": out, "stderr": err, "job summary": summary.read_text(encoding="utf-8")}
        | {f"commit {c.sha}": c.message for c in history(github.repo_dir, "main")}
        | read_files(github.repo_dir, "main")
        | {f"mail {n}": sent.as_bytes() for n, sent in enumerate(mail.mails)}
    )


def test_in_github_mode_a_service_that_is_down_leaves_the_commit_standing(
    tmp_path: Path,
    github: FakeGitHub,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DIGEST_NOTIFY", JsonHook(httpserver, status=500).url())
    before = github.head()
    assert _checkout(github, tmp_path / "checkout").run(at(FIRST).isoformat()) == 0
    assert github.head() != before
    assert "could not push the news" in capsys.readouterr().err
    assert len(httpserver.log) == 1
