"""`--check`: validate config.yml offline, without running the digest.

A forker's quickest answer to "is my config right?", and the daily workflow's step before the
run, so that a mistake fails in a second with one line naming the key.
"""

from __future__ import annotations

from pathlib import Path

from digest.config.settings import load_config
from digest.words import counted


def check_config(config_path: Path) -> str:
    """Validate the config (ConfigError when it is wrong) and return the one-line confirmation."""
    config = load_config(config_path)
    topics = len(config.categories)
    return f"{config_path} is valid: query {config.query!r}, {counted(topics, 'topic')}"
