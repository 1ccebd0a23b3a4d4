"""When the stuck-digest alarm pushes: once when the digest gets stuck, once when it moves again.

The bot keeps no memory of what it pushed, so both moments are read off arXiv's calendar:

- stuck: today is an announcement day and the quiet announcement days since the last news
  reached `alerts.stale_after` exactly today (the days after count higher, and a weekend or
  holiday leaves the count where it was, so only one day matches);
- moving again: this run brought news, and the last news before it was stale by yesterday.

A second run on that same day pushes again; a digest whose runs skip that day never pushes that
it got stuck (the run's warning and the issue still say it).
"""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from digest.alerts.calendar import Stale, is_announcement_day, staleness
from digest.config.settings import AlertSettings


class Recovered(msgspec.Struct, frozen=True):
    """News arrived `today`, the first since `last_news`, after `quiet_days` quiet days."""

    last_news: date
    quiet_days: int
    today: date


def freshness_alarm(
    previous_news: date | None, today: date, *, news: bool, settings: AlertSettings
) -> Stale | Recovered | None:
    """What to push about freshness: that the digest got stuck today (Stale), that it moves
    again (Recovered), or nothing. `previous_news` is the last day news arrived before this run.
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
