"""--notify-test: a forker tries the setup once by hand; DIGEST_NOTIFY is read as written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from digest.cli import main
from digest.layout import repository_pages
from digest.notify.urls import notify_urls, service_name
from tests.notify.receivers import (
    HOOK_TOKEN,
    MAIL_PASSWORD,
    JsonHook,
    Mailbox,
    free_port,
    mail_text,
    mailbox,
)


@pytest.fixture
def mail() -> Iterator[Mailbox]:
    with mailbox() as box:
        yield box


def test_a_test_message_reaches_each_service_and_each_says_so(
    httpserver: HTTPServer,
    mail: Mailbox,
    local_mode: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = JsonHook(httpserver)
    monkeypatch.setenv("DIGEST_NOTIFY", f"{hook.url()},{mail.url()}")
    assert main(["--notify-test"]) == 0
    [message] = hook.messages()
    assert message["title"] == "arXiv digest: test message"
    assert "--notify-test" in message["message"]
    assert "--notify-test" in mail_text(mail.mails[0])
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "json (URL 1 of 2): test message sent",
        "mailto (URL 2 of 2): test message sent",
    ]
    assert HOOK_TOKEN not in out + err and MAIL_PASSWORD not in out + err


def test_a_service_that_fails_the_test_exits_1_naming_its_kind(
    httpserver: HTTPServer,
    local_mode: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = JsonHook(httpserver)
    closed = f"mailto://bot:{MAIL_PASSWORD}@example.org:{free_port()}?smtp=127.0.0.1&mode=insecure"
    monkeypatch.setenv("DIGEST_NOTIFY", f"{hook.url()} {closed} not-a-url")
    assert main(["--notify-test"]) == 1
    assert len(hook.messages()) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "json (URL 1 of 3): test message sent",
        "mailto (URL 2 of 3): not sent",
        "an entry without scheme:// (URL 3 of 3): not sent",
    ]
    errors = err.splitlines()
    assert errors[0].startswith("error: mailto (URL 2 of 3): the test message was not sent: ")
    assert errors[1].startswith("error: an entry without scheme:// (URL 3 of 3)")
    assert MAIL_PASSWORD not in out + err and "127.0.0.1" not in err


def test_without_digest_notify_the_test_says_what_to_set(
    local_mode: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DIGEST_NOTIFY", raising=False)
    assert main(["--notify-test"]) == 2
    assert "DIGEST_NOTIFY is not set" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["--notify-test", "--dry-run"])
    assert usage.value.code == 2
    assert "--notify-test takes no other option" in capsys.readouterr().err


def test_urls_split_on_spaces_new_lines_and_commas_between_urls() -> None:
    env = {
        "DIGEST_NOTIFY": " slack://a/b/c ,discord://1/x\n\nmailto://u:p@example.org?to=a@x.org,b@x.org"
        ",  ntfys://ntfy.sh/topic,\n"
    }
    assert notify_urls(env) == (
        "slack://a/b/c",
        "discord://1/x",
        "mailto://u:p@example.org?to=a@x.org,b@x.org",
        "ntfys://ntfy.sh/topic",
    )
    assert notify_urls({"DIGEST_NOTIFY": " \n "}) == ()
    assert notify_urls({}) == ()


def test_the_readme_link_points_at_the_branch_the_run_publishes_to() -> None:
    pages = repository_pages({"GITHUB_REPOSITORY": "octo/digest", "GITHUB_REF_NAME": "main"})
    assert pages is not None
    assert pages.file("docs/README.md") == "https://github.com/octo/digest/blob/main/docs/README.md"
    unknown_branch = repository_pages({"GITHUB_REPOSITORY": "octo/digest"})
    assert unknown_branch is not None
    assert unknown_branch.file("README.md") == "https://github.com/octo/digest"
    assert repository_pages({}) is None


def test_services_are_named_by_kind_never_by_url() -> None:
    urls = ("json://127.0.0.1/hook/t0ken", "https://hooks.slack.com/services/T0/B0/s3cret")
    assert service_name(urls, 0) == "json (URL 1 of 2)"
    assert service_name(urls, 1, "Slack") == "https (Slack) (URL 2 of 2)"
    assert service_name(("mailto://u:p@example.org",), 0, "E-Mail") == "mailto"
    assert service_name(("t0ken-without-scheme",), 0) == "an entry without scheme://"
