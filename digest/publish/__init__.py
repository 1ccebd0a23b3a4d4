"""Publish a run's files: write them atomically, or commit them through GitHub (`github/`)."""

from digest.publish.publisher import Published, publish

__all__ = ["Published", "publish"]
