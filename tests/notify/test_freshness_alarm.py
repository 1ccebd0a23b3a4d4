"""When the alarm pushes, decided without memory: once when stuck, once when papers return."""

from __future__ import annotations

from datetime import date, timedelta

from digest.alerts import Recovered, freshness_alarm
from digest.alerts.calendar import Stale
from digest.config.settings import AlertSettings

FRIDAY = date(2026, 2, 13)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_a_month_without_news_pushes_once_on_the_day_it_gets_stuck() -> None:
    settings = AlertSettings(stale_after=3, holidays=())
    pushed = {
        day: alarm
        for day in _days(FRIDAY, date(2026, 3, 20))
        if (alarm := freshness_alarm(FRIDAY, day, news=False, settings=settings))
    }
    assert pushed == {date(2026, 2, 18): Stale(FRIDAY, 3)}  # Mon, Tue, Wed


def test_a_weekend_or_holiday_after_the_stuck_day_pushes_nothing_more() -> None:
    wednesday = date(2026, 2, 11)
    settings = AlertSettings(stale_after=2, holidays=(date(2026, 2, 16),))
    pushed = [
        day
        for day in _days(wednesday, date(2026, 2, 20))
        if freshness_alarm(wednesday, day, news=False, settings=settings)
    ]
    assert pushed == [date(2026, 2, 13)]  # Thu, Fri; not the weekend, the holiday or after


def test_papers_after_a_stuck_spell_push_that_they_arrive_again() -> None:
    settings = AlertSettings(stale_after=3, holidays=())
    again = freshness_alarm(FRIDAY, date(2026, 2, 19), news=True, settings=settings)
    assert again == Recovered(FRIDAY, 3, date(2026, 2, 19))


def test_papers_before_the_digest_got_stuck_push_no_all_clear() -> None:
    settings = AlertSettings(stale_after=3, holidays=())
    assert freshness_alarm(FRIDAY, date(2026, 2, 18), news=True, settings=settings) is None
    assert freshness_alarm(FRIDAY, FRIDAY, news=True, settings=settings) is None
    assert freshness_alarm(None, FRIDAY, news=True, settings=settings) is None  # a first run
    assert freshness_alarm(None, date(2026, 3, 2), news=False, settings=settings) is None
