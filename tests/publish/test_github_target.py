"""Choosing GitHub mode is cheap, and tokens HTTP cannot carry are refused."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from digest.publish.github.errors import GithubSettingsError
from digest.publish.github.target import target_from_env
from tests.digest_site import Site
from tests.fake_arxiv import FakeArxiv

REPO = Path(__file__).resolve().parents[2]
# printable-ASCII pieces around what an HTTP header cannot carry; "SECRET" marks the token's text
UNSENDABLE_TOKENS = [
    "ghp_SECRETpart€SECRETtail",  # not latin-1: http.client raises UnicodeEncodeError
    "ghp_SECRETpartéSECRETtail",  # latin-1, but no GitHub token holds it
    "ghp_SECRETpart SECRETtail",
    "ghp_SECRETpart\x00SECRETtail",
    "ghp_SECRETpart\u200bSECRETtail",  # a zero-width space pasted along with the token
]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_local_runs_do_not_import_the_http_libraries() -> None:
    """The entry point reads the target on every run; PyGithub alone takes ~0.4 s to import."""
    probe = (
        "import sys, digest.publish.github.target, digest.publish.github.errors; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'github', 'urllib3', 'requests'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_a_printed_target_never_shows_its_token() -> None:
    """Logs, tracebacks under DIGEST_DEBUG and f-strings all print the target by repr."""
    env = {"GITHUB_TOKEN": "ghs_SECRETSECRETSECRET", "GITHUB_REPOSITORY": "octo/digest"}
    target = target_from_env(env)
    assert target is not None and target.token == env["GITHUB_TOKEN"]
    for shown in (repr(target), str(target), f"{target}", repr([target])):
        assert "SECRET" not in shown and "octo/digest" in shown


@pytest.mark.parametrize("token", UNSENDABLE_TOKENS)
def test_unsendable_token_is_named_never_shown(token: str) -> None:
    env = {"GITHUB_TOKEN": token, "GITHUB_REPOSITORY": "o/r"}
    with pytest.raises(GithubSettingsError) as caught:
        target_from_env(env)
    text = str(caught.value)
    assert caught.value.setting == "GITHUB_TOKEN"
    assert text.startswith("GITHUB_TOKEN must be printable ASCII")
    assert "${{ secrets.GITHUB_TOKEN }}" in text  # the fix
    assert "SECRET" not in text
    assert "\n" not in text


def test_trailing_newline_of_a_pasted_secret_is_forgiven() -> None:
    target = target_from_env({"GITHUB_TOKEN": "ghs_abc123\n", "GITHUB_REPOSITORY": "o/r"})
    assert target is not None
    assert target.token == "ghs_abc123"  # noqa: S105 - a test value, not a secret


def test_unsendable_token_stops_the_run_with_one_line(
    tmp_path: Path,
    arxiv_env: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    site = Site.create(tmp_path / "site")
    before = site.files()
    monkeypatch.setenv("GITHUB_TOKEN", UNSENDABLE_TOKENS[0])
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo-org/arxiv-digest")
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{closed_port()}/api/v3")  # offline
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    code = site.run("2026-02-10T05:00:00+00:00")

    out, err = capsys.readouterr()
    assert code != 0
    (line,) = err.splitlines()
    assert "GITHUB_TOKEN must be printable ASCII" in line
    assert "SECRET" not in out + err + caplog.text
    assert site.files() == before
