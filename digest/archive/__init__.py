"""The archive: day pages that are the bot's only memory, read once per run and written whole."""

from digest.archive.days import DayUpdate, updated_days
from digest.archive.page import ArchiveError, DayPage
from digest.archive.store import Archive, DayFiles, read_archive

__all__ = [
    "Archive",
    "ArchiveError",
    "DayFiles",
    "DayPage",
    "DayUpdate",
    "read_archive",
    "updated_days",
]
