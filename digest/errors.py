"""The one family of errors the bot explains: each says in one line what went wrong and what to
do, and carries the exit code the run ends with."""

from __future__ import annotations


class DigestError(Exception):
    """The run failed and changed nothing (exit code 1)."""

    exit_code = 1


class SettingsError(DigestError):
    """A mistake in config.yml, the environment or the command line (exit code 2)."""

    exit_code = 2
