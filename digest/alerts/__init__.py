"""Tell the owner when the digest is stuck: arXiv's calendar, a warning, an issue or a failure."""

from digest.alerts.watch import StaleDigestError, watch_freshness

__all__ = ["StaleDigestError", "watch_freshness"]
