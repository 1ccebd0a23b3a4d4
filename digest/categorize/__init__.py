"""Put each paper in one topic, with the evidence that decided it, from config.yml alone."""

from digest.categorize.rules import Rules, build_rules, categorize

__all__ = ["Rules", "build_rules", "categorize"]
