"""Tell the owner when the digest is stuck: arXiv's calendar, a warning, an issue or a failure."""

from digest.alerts.calendar import Recovered, Stale, freshness_alarm
from digest.alerts.watch import StaleDigestError, watch_freshness

__all__ = [
    "Recovered",
    "Stale",
    "StaleDigestError",
    "freshness_alarm",
    "watch_freshness",
]
