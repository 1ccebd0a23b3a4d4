"""What people see of a run: stderr lines, Actions annotations and the job summary, one path."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.output import Output, setup_output
from digest.publish.github.client import redacted_logs
from digest.publish.github.errors import REDACTED
from tests.markdown_html import Node, rendered_tree

REPO = Path(__file__).resolve().parents[1]
FAKE_GHS = "ghs_0123456789abcdefSECRET"  # a fake token


@pytest.fixture(autouse=True)
def _plain_output_afterwards() -> Iterator[None]:
    """Leave no Actions-mode output behind for the tests that run after these."""
    yield
    setup_output({})


@pytest.fixture
def summary(tmp_path: Path) -> Path:
    return tmp_path / "step_summary.md"


def actions(summary: Path) -> Output:
    return setup_output({"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})


def summary_items(summary: Path) -> list[str]:
    """The job summary's list items as GitHub shows them."""
    return [own_text(item) for item in rendered_tree(summary.read_text()).find_all("li")]


def own_text(item: Node) -> str:
    """An item's text without its sub-list's."""
    parts = [c if isinstance(c, str) else "" if c.tag == "ul" else c.text() for c in item.children]
    return "".join(parts).strip()


@pytest.mark.parametrize(
    "logger",
    [
        "digest.fetch.pages",
        "digest.publish.github.commit",
        "github.GithubRetry",
        "urllib3.connectionpool",
        "arxiv",
    ],
)
def test_a_warning_reaches_stderr_an_annotation_and_the_job_summary(
    logger: str, summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = actions(summary)
    logging.getLogger(logger).warning("attempt %d/%d did not land; retrying", 1, 3)
    output.finish(["fetched 3 papers"])
    seen = capsys.readouterr()
    assert seen.err == "warning: attempt 1/3 did not land; retrying\n"
    assert seen.out == "::warning::attempt 1/3 did not land; retrying\nfetched 3 papers\n"
    assert summary_items(summary) == [
        "fetched 3 papers",
        "warning: attempt 1/3 did not land; retrying",
    ]


def test_outside_actions_a_warning_is_no_annotation(capsys: pytest.CaptureFixture[str]) -> None:
    output = setup_output({"GITHUB_ACTIONS": "false"})
    logging.getLogger("digest.fetch").warning("arXiv request failed (timeout); retrying")
    output.finish(["fetched 3 papers"])
    seen = capsys.readouterr()
    assert seen.err == "warning: arXiv request failed (timeout); retrying\n"
    assert seen.out == "fetched 3 papers\n"


def test_errors_from_the_entry_point_take_the_same_path(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = actions(summary)
    output.warn("arXiv returned no papers")
    output.fail("GitHub refused the commit: give the workflow contents: write")
    output.finish([])
    seen = capsys.readouterr()
    assert seen.err.splitlines() == [
        "warning: arXiv returned no papers",
        "error: GitHub refused the commit: give the workflow contents: write",
    ]
    assert seen.out.splitlines() == [
        "::warning::arXiv returned no papers",
        "::error::GitHub refused the commit: give the workflow contents: write",
    ]
    assert summary_items(summary) == [
        "warning: arXiv returned no papers",
        "error: GitHub refused the commit: give the workflow contents: write",
    ]


def test_info_from_the_bot_reaches_stderr_only(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = actions(summary)
    logging.getLogger("digest.publish.github.commit").info("published %d file(s)", 2)
    logging.getLogger("github.GithubRetry").info("Setting next backoff to 60s")
    logging.getLogger("arxiv").info("Requesting page (first: True, try: 0)")
    output.finish(["committed abc to o/r"])
    seen = capsys.readouterr()
    assert seen.err == "published 2 file(s)\n"
    assert seen.out == "committed abc to o/r\n"
    assert summary_items(summary) == ["committed abc to o/r"]


def test_a_message_is_one_line_and_escaped_for_the_annotation(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = actions(summary)
    logging.getLogger("digest.fetch").warning("arXiv said:\r\n  %d%%  of\tthe feed\nis bad", 50)
    output.finish([])
    seen = capsys.readouterr()
    assert seen.err == "warning: arXiv said: 50% of the feed is bad\n"
    assert seen.out == "::warning::arXiv said: 50%25 of the feed is bad\n"
    assert summary_items(summary) == ["warning: arXiv said: 50% of the feed is bad"]


def test_the_job_summary_shows_any_text_as_written(summary: Path) -> None:
    odd = "1. <b>not bold</b> *x* _y_ `z` [l](u) | a ~b~ &amp; back\\slash # end"
    output = actions(summary)
    output.warn("# heading? > quote? " + odd)
    output.finish(["- not a sublist", odd, "  Hardware & Materials: 3"])
    tree = rendered_tree(summary.read_text())
    assert summary_items(summary) == [
        "- not a sublist",
        odd,
        "Hardware & Materials: 3",
        "warning: # heading? > quote? " + odd,
    ]
    assert tree.tags() == {"root", "h3", "p", "strong", "ul", "li"}
    assert own_text(tree.find_all("ul")[1].find_all("li")[0]) == "Hardware & Materials: 3"


def test_setting_up_twice_says_each_warning_once(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions(summary)
    output = actions(summary)
    logging.getLogger("github.GithubRetry").warning("Retry-After too long")
    output.finish([])
    seen = capsys.readouterr()
    assert seen.err == "warning: Retry-After too long\n"
    assert seen.out == "::warning::Retry-After too long\n"
    assert summary_items(summary) == ["warning: Retry-After too long"]


def test_the_publishers_token_filter_still_applies(
    summary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = actions(summary)
    with redacted_logs(FAKE_GHS):
        logging.getLogger("github.Requester").warning("server echoed %s", FAKE_GHS)
    output.finish([])
    seen = capsys.readouterr()
    assert FAKE_GHS not in seen.err + seen.out + summary.read_text()
    assert seen.err == f"warning: server echoed {REDACTED}\n"


def test_an_unwritable_job_summary_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = setup_output({"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path)})
    output.finish(["committed abc to o/r"])
    seen = capsys.readouterr()
    assert seen.out.splitlines()[0] == "committed abc to o/r"
    assert f"warning: cannot add to the job summary {tmp_path} (Is a directory)" in seen.err
    assert "::warning::cannot add to the job summary" in seen.out


def test_a_closed_stdout_file_is_a_warning(
    summary: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    output = actions(summary)
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    output.finish(["committed abc to o/r"])
    warning = "cannot print the summary to stdout (I/O operation on closed file)"
    assert f"warning: {warning}" in capsys.readouterr().err
    assert summary_items(summary)[0] == "committed abc to o/r"
    assert warning in summary_items(summary)[1]


RUN = """
import logging, os
from digest.output import setup_output
output = setup_output(os.environ)
logging.getLogger("digest.fetch").warning("arXiv was slow")
output.finish(["committed abc to o/r"])
"""


def run(code: str, summary: Path, shell_redirects: str = "", **kwargs: object) -> tuple[int, str]:
    """Run `code` in a fresh interpreter as in Actions; return its exit code and stderr."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    command = ["bash", "-c", f'exec "$0" -c "$1" {shell_redirects}', sys.executable, code]
    result = subprocess.run(
        command, env=env, stderr=subprocess.PIPE, text=True, check=False, **kwargs
    )
    return result.returncode, result.stderr


def test_a_closed_stdout_still_finishes_with_exit_0(summary: Path) -> None:
    code, err = run(RUN, summary, ">&-")
    assert code == 0
    assert err.splitlines() == [
        "warning: arXiv was slow",
        "warning: cannot print the summary to stdout (stdout is closed); the run itself is "
        "unaffected",
    ]
    assert summary_items(summary) == [
        "committed abc to o/r",
        "warning: arXiv was slow",
        "warning: cannot print the summary to stdout (stdout is closed); the run itself is "
        "unaffected",
    ]


def test_a_broken_pipe_on_stdout_still_finishes_with_exit_0(summary: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        code, err = run(RUN, summary, stdout=write_end)
    finally:
        os.close(write_end)
    assert code == 0
    assert err.splitlines() == [
        "warning: arXiv was slow",
        "warning: cannot print the summary to stdout (Broken pipe); the run itself is unaffected",
    ]


def test_with_stdout_and_stderr_closed_the_summary_is_still_written(summary: Path) -> None:
    code, err = run(RUN, summary, ">&- 2>&-")
    assert (code, err) == (0, "")
    assert summary_items(summary)[:2] == ["committed abc to o/r", "warning: arXiv was slow"]


def test_pygithub_imported_after_setup_says_nothing_twice(summary: Path) -> None:
    code = """
import logging, os
from digest.output import setup_output
output = setup_output(os.environ)
import github  # its import adds a stderr handler of its own to the 'github' logger
logging.getLogger("github.GithubRetry").info("Setting next backoff to 60s")
logging.getLogger("github.GithubRetry").warning("Retrying after connection broken")
output.finish([])
"""
    status, err = run(code, summary, ">/dev/null")
    assert status == 0
    assert err == "warning: Retrying after connection broken\n"


def test_output_loads_without_the_network_libraries() -> None:
    """Start-up stays fast: errors can be said before PyGithub, requests or arxiv are loaded."""
    code = (
        "import sys, digest.output; print(sorted({'github', 'requests', 'arxiv'} & {*sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "[]\n"
