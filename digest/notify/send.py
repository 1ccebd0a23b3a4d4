"""Send one message to each URL through Apprise, each composed for what its service takes.

Imported only when DIGEST_NOTIFY is set. Apprise's own log lines and the HTTP libraries' may
quote a URL with its token, so none of them is let out while sending; the bot says what happened
in its own words, naming the service's kind only. Every service is bounded in time: Apprise's
socket timeouts (4 s to connect and 4 s to read for web services, 15 s to connect by SMTP; a URL
may set its own with ?cto= and ?rto=) and SERVICE_SECONDS for the whole delivery with retries.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import apprise
import msgspec

from digest.notify.compose import Budget, Message

SERVICE_SECONDS = 30.0
# Markdown that Apprise turns into HTML grows (tags, quoted links): half the service's limit
# leaves it room; Markdown and plain text are sent as written, with a tenth to spare for
# services that count bytes or UTF-16 units rather than characters.
_HTML_SHARE = 0.5
_TEXT_SHARE = 0.9


class Delivery(msgspec.Struct, frozen=True):
    """Whether the message reached one URL's service (Apprise's name for it, such as "Slack"),
    and if not, why in a few words."""

    position: int
    sent: bool
    problem: str = ""
    service: str = ""


def deliver(urls: tuple[str, ...], compose: Callable[[Budget], Message]) -> list[Delivery]:
    """One message to each URL, one after the other; never raises."""
    asset = apprise.AppriseAsset(service_timeout=SERVICE_SECONDS)
    return [_deliver_one(position, url, asset, compose) for position, url in enumerate(urls)]


def _deliver_one(
    position: int, url: str, asset: apprise.AppriseAsset, compose: Callable[[Budget], Message]
) -> Delivery:
    try:
        with _silenced():
            service = apprise.Apprise.instantiate(url, asset=asset)
            if service is None:
                return Delivery(position, False, "Apprise does not understand this URL")
            name = str(service.service_name or "")
            message = compose(_budget(service))
            sender = apprise.Apprise(asset=asset)
            sender.add(service)
            result = sender.notify(
                body=message.body,
                title=message.title,
                notify_type=apprise.NotifyType(message.kind.value),
                body_format=apprise.NotifyFormat.MARKDOWN
                if message.markdown
                else apprise.NotifyFormat.TEXT,
            )
    except Exception as error:  # a plugin's bug must not stop the run; its text may quote the URL
        return Delivery(position, False, f"Apprise failed ({type(error).__name__})")
    if result.status == apprise.AppriseResultStatus.SUCCESS:
        return Delivery(position, True, service=name)
    if result.status == apprise.AppriseResultStatus.TIMEOUT:
        return Delivery(position, False, f"no answer within {SERVICE_SECONDS:.0f} s", name)
    problem = "the service refused it, did not answer in time or could not be reached"
    return Delivery(position, False, problem, name)


def _budget(service: apprise.plugins.NotifyBase) -> Budget:
    """Markdown where the service shows it (or Apprise turns it into the service's HTML), plain
    text otherwise; the length the service takes."""
    declared = service.notify_format
    formats = {declared} if isinstance(declared, str) else set(declared)
    native = apprise.NotifyFormat.MARKDOWN in formats
    markdown = native or apprise.NotifyFormat.HTML in formats
    share = _TEXT_SHARE if native or not markdown else _HTML_SHARE
    return Budget(int(service.body_maxlen * share), int(service.title_maxlen), markdown)


@contextmanager
def _silenced() -> Iterator[None]:
    """No log record and no Python warning while Apprise works: they may quote the URL."""
    level = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(level)
