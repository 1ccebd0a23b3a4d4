"""Local stand-ins for the services a digest pushes to: a JSON webhook (Apprise's json://) and an
SMTP server (Apprise's mailto://) that insists on a password. Loopback only.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from lxml import html
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.markdown_html import rendered_tree

HOOK_TOKEN = "hooktoken-6f1c9a2e"  # noqa: S105 (the secret in the webhook's path)
MAIL_PASSWORD = "mailpass-93b7d4"  # noqa: S105 (the secret in the mailto:// URL)
MAIL_USER = "digestbot"


@dataclass
class JsonHook:
    """Apprise's generic JSON webhook at /hook/<token>: what it received, answered with
    `status` (500 plays a service that is down), after `delay` seconds."""

    server: HTTPServer
    status: int = 200
    delay: float = 0.0

    def __post_init__(self) -> None:
        self.server.expect_request(f"/hook/{HOOK_TOKEN}", method="POST").respond_with_handler(
            self._answer
        )

    def _answer(self, request: Request) -> Response:
        time.sleep(self.delay)
        return Response("ok" if self.status == 200 else "down", status=self.status)

    def url(self, query: str = "") -> str:
        return f"json://127.0.0.1:{self.server.port}/hook/{HOOK_TOKEN}{query}"

    def messages(self) -> list[dict[str, Any]]:
        """Each POSTed payload: Apprise's title, message and type."""
        return [json.loads(request.get_data()) for request, _ in self.server.log]


def message_text(payload: dict[str, Any]) -> str:
    """What a reader sees of a Markdown message: rendered as GitHub renders it, as text."""
    return rendered_tree(str(payload["message"])).text()


def message_links(payload: dict[str, Any]) -> list[str]:
    return [str(a.attrs["href"]) for a in rendered_tree(str(payload["message"])).find_all("a")]


@dataclass
class Mailbox:
    """An SMTP server that accepts mail only after a login with MAIL_PASSWORD."""

    port: int
    mails: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mails.append(parsed)
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password == MAIL_PASSWORD.encode()
        self.logins.append("accepted" if ok else "refused")
        return AuthResult(success=ok)

    def url(self) -> str:
        return (
            f"mailto://{MAIL_USER}:{MAIL_PASSWORD}@example.org:{self.port}"
            "?smtp=127.0.0.1&mode=insecure&to=reader@example.org"
        )


def mail_text(mail: EmailMessage) -> str:
    """The mail's body as a reader sees it: the HTML part's text, or the plain part."""
    part = mail.get_body(preferencelist=("html", "plain"))
    assert part is not None
    content = str(part.get_content())
    if part.get_content_type() == "text/html":
        return str(html.fromstring(content).text_content())
    return content


@contextmanager
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        authenticator=box.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def free_port() -> int:
    """A loopback port nothing listens on (a closed port plays an unreachable service)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a service that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
