"""Tell the owner when the digest is stuck, and when it recovers.

Every stale run warns in one line (stderr, an Actions annotation and the job summary, through
logging). Opt-ins go further: one GitHub issue, opened while stuck and closed with a comment
when papers arrive again, and a failing run. PyGithub is imported only for the issue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from digest.alerts.calendar import Stale, staleness
from digest.config.settings import AlertSettings
from digest.errors import DigestError
from digest.words import counted

if TYPE_CHECKING:
    from digest.publish.github.target import GithubTarget

log = logging.getLogger(__name__)


class StaleDigestError(DigestError):
    """The digest is stuck and `alerts.fail_run` asks for a failing run (exit code 1)."""


def watch_freshness(
    last_news: date | None,
    settings: AlertSettings,
    target: GithubTarget | None,
    *,
    today: date,
    news: bool,
    dry_run: bool,
) -> None:
    """The alarm stage: from the last day news arrived (today when this run brought papers),
    report while the digest is stuck."""
    stale = staleness(today if news else last_news, today, settings)
    report_staleness(stale, settings, target, today=today, news_today=news, dry_run=dry_run)


def report_staleness(
    stale: Stale | None,
    settings: AlertSettings,
    target: GithubTarget | None,
    *,
    today: date,
    news_today: bool,
    dry_run: bool,
) -> None:
    """Warn (or fail) while stale; open the issue when asked to (GitHub mode only), and close
    it on the next run that brings papers."""
    github = target if settings.open_issue and not dry_run else None
    if stale is None:
        if github is not None and news_today:
            _close_issue(github, today)
        return
    if github is not None:
        _open_issue(github, stale)
    if settings.fail_run:
        raise StaleDigestError(f"{stale.message()} (alerts.fail_run is on)")
    log.warning("%s", stale.message())


def _open_issue(target: GithubTarget, stale: Stale) -> None:
    from digest.alerts.stale_issue import open_stale_issue

    body = (
        "The digest has found no new paper on "
        f"{counted(stale.quiet_days, 'arXiv announcement day')} in a row; news last arrived on "
        f"{stale.last_news}. Check the query in config.yml and arXiv's status "
        "(https://status.arxiv.org). The bot closes this issue when papers arrive again."
    )
    _on_issue(lambda: open_stale_issue(target, body), "open", "opened", "the digest is stuck")


def _close_issue(target: GithubTarget, today: date) -> None:
    from digest.alerts.stale_issue import close_stale_issue

    comment = f"New papers arrived on {today}: the digest is moving again."
    _on_issue(lambda: close_stale_issue(target, comment), "close", "closed", "papers arrive again")


def _on_issue(act: Callable[[], int | None], verb: str, done: str, why: str) -> None:
    """Act on the stale-digest issue; a GitHub failure is a warning, never a failed run (the
    digest's own commit has landed by now)."""
    from digest.publish.github.errors import PublishError

    try:
        number = act()
    except PublishError as error:
        log.warning("could not %s the stale-digest issue: %s", verb, error)
        return
    if number is not None:
        log.info("%s issue #%d: %s", done, number, why)
