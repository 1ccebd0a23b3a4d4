"""Merge fetched papers into what the archive knows, and pick the rolling window by arrival."""

from digest.window.merge import Horizon, Merge, in_window, merge, newest_first, window_start

__all__ = ["Horizon", "Merge", "in_window", "merge", "newest_first", "window_start"]
