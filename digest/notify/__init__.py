"""Push each run's news, and the stuck-digest alarm, to chat, e-mail or phone through Apprise.

DIGEST_NOTIFY holds one or more Apprise URLs (slack://, discord://, mailto://, ntfys://, json://
and the rest Apprise speaks). Without it nothing is sent or said, and Apprise is not imported.
A push that fails is a warning naming the service's kind, never its URL: the run's own work
stands and it exits 0.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import msgspec

from digest.alerts.calendar import Recovered, Stale
from digest.errors import SettingsError
from digest.notify.compose import (
    Budget,
    Message,
    RunNews,
    headline,
    news_message,
    recovered_message,
    stuck_message,
    test_message,
)
from digest.notify.urls import VARIABLE, notify_urls, service_name

if TYPE_CHECKING:
    from digest.notify.send import Delivery

__all__ = ["Notifier", "RunNews", "notifier_from_env", "notify_test"]

log = logging.getLogger(__name__)


class NotifySettingsError(SettingsError):
    """--notify-test without DIGEST_NOTIFY, or without Apprise installed (exit code 2)."""


class Notifier(msgspec.Struct, frozen=True):
    """Where this run's pushes go: the DIGEST_NOTIFY URLs, never shown."""

    urls: tuple[str, ...]

    def __repr__(self) -> str:  # the URLs hold tokens, wherever a notifier is printed
        return f"Notifier({len(self.urls)} URLs)"

    def news(self, news: RunNews) -> None:
        """One message with the run's news, when it has any."""
        if not (news.added or news.revised):
            return
        self._push(f"the news ({headline(news)})", lambda budget: news_message(news, budget))

    def freshness(self, alarm: Stale | Recovered | None, title: str) -> None:
        """The alarm's two moments (alerts.freshness_alarm): the digest got stuck today, or it
        moves again."""
        if isinstance(alarm, Stale):
            message = stuck_message(title, alarm.last_news, alarm.quiet_days)
            self._push("that the digest is stuck", lambda _: message)
        elif isinstance(alarm, Recovered):
            message = recovered_message(title, alarm.last_news, alarm.today, alarm.quiet_days)
            self._push("that papers arrive again", lambda _: message)

    def _push(self, what: str, compose: Callable[[Budget], Message]) -> None:
        """Send to every URL; say once what went through and warn for each that did not."""
        deliveries = _deliver(self.urls, compose)
        if deliveries is None:
            log.warning("%s; nothing was pushed", _MISSING_APPRISE)
            return
        sent = [service_name(self.urls, d.position, d.service) for d in deliveries if d.sent]
        if sent:
            log.info("pushed %s to %s", what, ", ".join(sent))
        for delivery in deliveries:
            if not delivery.sent:
                log.warning(
                    "could not push %s to %s: %s; the run's own work is done all the same "
                    "(check that DIGEST_NOTIFY URL, and try it with arxiv-digest --notify-test)",
                    what,
                    service_name(self.urls, delivery.position, delivery.service),
                    delivery.problem,
                )


def notifier_from_env(env: Mapping[str, str]) -> Notifier | None:
    """The notifier DIGEST_NOTIFY asks for, or None when it is unset or blank."""
    urls = notify_urls(env)
    return Notifier(urls) if urls else None


def notify_test(env: Mapping[str, str]) -> tuple[list[str], bool]:
    """--notify-test: one test message to each URL; a line per service, and whether all went
    through. Each failure is also said as an error."""
    urls = notify_urls(env)
    if not urls:
        raise NotifySettingsError(
            f"{VARIABLE} is not set: put one or more Apprise URLs in it (see 'Get the news "
            "pushed' in the README), then run --notify-test again"
        )
    deliveries = _deliver(urls, lambda _: test_message())
    if deliveries is None:
        raise NotifySettingsError(_MISSING_APPRISE)
    lines = []
    for delivery in deliveries:
        name = service_name(urls, delivery.position, delivery.service)
        if delivery.sent:
            lines.append(f"{name}: test message sent")
        else:
            lines.append(f"{name}: not sent")
            log.error("%s: the test message was not sent: %s", name, delivery.problem)
    return lines, all(delivery.sent for delivery in deliveries)


_MISSING_APPRISE = (
    f"{VARIABLE} is set but Apprise is not installed: install the pinned requirements "
    "(pip install -r requirements.txt)"
)


def _deliver(urls: tuple[str, ...], compose: Callable[[Budget], Message]) -> list[Delivery] | None:
    """Apprise is imported here, the first time a message goes out; None when it is missing."""
    try:
        from digest.notify.send import deliver
    except ImportError:
        return None
    return deliver(urls, compose)
