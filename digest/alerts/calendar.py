"""When is the digest stuck? arXiv's announcement calendar, and the days it went without news.

Pure date arithmetic: no file, no network. arXiv announces Sunday to Thursday at 20:00 US
Eastern, so a run sees news on Monday to Friday mornings UTC, except on the holidays it lists.
Weekends and holidays never count as quiet days.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import msgspec

from digest.config.settings import AlertSettings
from digest.words import counted

_WEEKDAYS = 5  # Monday to Friday: date.weekday() 0 to 4


class Stale(msgspec.Struct, frozen=True):
    """The digest has had no new paper on `quiet_days` announcement days since `last_news`."""

    last_news: date
    quiet_days: int

    def message(self) -> str:
        """One line: how long, since when, and what to check."""
        return (
            f"no new paper on {counted(self.quiet_days, 'arXiv announcement day')} in a row; "
            f"news last arrived on {self.last_news}: check the query in config.yml and arXiv's "
            "status (https://status.arxiv.org)"
        )


def is_announcement_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < _WEEKDAYS and day not in holidays


def announcement_days(after: date, through: date, holidays: Collection[date]) -> int:
    """How many announcement days fall after `after`, up to and including `through`."""
    if through <= after:
        return 0
    span = (through - after).days
    weeks, rest = divmod(span, 7)
    weekdays = weeks * _WEEKDAYS + sum(
        (after + timedelta(days=offset)).weekday() < _WEEKDAYS for offset in range(1, rest + 1)
    )
    off = {day for day in holidays if after < day <= through and day.weekday() < _WEEKDAYS}
    return weekdays - len(off)


def staleness(last_news: date | None, today: date, settings: AlertSettings) -> Stale | None:
    """Stale when `settings.stale_after` announcement days up to `today` brought no new paper;
    a digest that never had news (`last_news` None) is never stale."""
    if last_news is None:
        return None
    quiet = announcement_days(last_news, today, settings.holidays)
    return Stale(last_news, quiet) if quiet >= settings.stale_after else None


class Recovered(msgspec.Struct, frozen=True):
    """News arrived `today`, the first since `last_news`, after `quiet_days` quiet days."""

    last_news: date
    quiet_days: int
    today: date


def freshness_alarm(
    previous_news: date | None, today: date, *, news: bool, settings: AlertSettings
) -> Stale | Recovered | None:
    """What to push (digest/notify) about freshness: that the digest got stuck today (Stale),
    that it moves again (Recovered), or nothing. `previous_news` is the last day news arrived
    before this run.

    The bot keeps no memory of what it pushed, so both moments are read off arXiv's calendar:
    stuck is the announcement day the quiet days reach `alerts.stale_after` (a weekend or
    holiday leaves the count where it was, so one day matches); moving again is a run with news
    after the last news had gone stale. A second run on that day pushes again.
    """
    if news:
        if previous_news is None:
            return None
        was_stale = staleness(previous_news, today - timedelta(days=1), settings)
        return None if was_stale is None else Recovered(previous_news, was_stale.quiet_days, today)
    stale = staleness(previous_news, today, settings)
    if stale is None or stale.quiet_days != settings.stale_after:
        return None
    return stale if is_announcement_day(today, settings.holidays) else None
