"""Find and replace the generated block in a README without touching the hand-written rest.

The markers are recognised however a human or an editor spaced them: leading or trailing spaces
and tabs, CRLF line ends, and a UTF-8 byte-order mark before the first line. There is never more
than one generated block: a README whose block cannot be found unambiguously is an error.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from digest.errors import DigestError

BLOCK_START = "<!-- digest:start -->"
BLOCK_END = "<!-- digest:end -->"
BOM = "\ufeff"

_STAMP = re.compile(r"List last changed: (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)")


# The least room a block needs: its heading, freshness and contents lines, a few papers.
MIN_BLOCK_BYTES = 8_000


class ReadmeError(DigestError):
    """The README's generated block cannot be found unambiguously, or the file is unreadable."""


class ReadmeUpdate(msgspec.Struct, frozen=True):
    """The README's new block, applied to whatever text the README has when it is written."""

    path: str
    block: str

    def apply(self, text: str | None) -> str:
        return replace_block(text or "", self.block, self.path)


def block_room(name: str, hand_written: str, max_bytes: int) -> int:
    """How many bytes the block may take so that the whole file stays within `max_bytes`, or a
    ReadmeError when the hand-written part leaves too little."""
    used = len(hand_written.encode("utf-8")) + 2  # the line breaks around the block
    room = max_bytes - used
    if room < MIN_BLOCK_BYTES:
        raise ReadmeError(
            f"{name}: its hand-written part takes {used:,} of the {max_bytes:,} bytes of "
            f"display.max_page_bytes, leaving {max(room, 0):,} for the digest, less than the "
            f"{MIN_BLOCK_BYTES:,} it needs: shorten the text outside the digest block or raise "
            "display.max_page_bytes (nothing was changed)"
        )
    return room


def split_readme(text: str, name: str = "README") -> tuple[str, str, str]:
    """(before, block, after) of a README; a README without markers gets the block on top."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _is_marker(line, BLOCK_START, i)]
    ends = [i for i, line in enumerate(lines) if _is_marker(line, BLOCK_END, i)]
    if not starts and not ends and BLOCK_START not in text and BLOCK_END not in text:
        return "", "", text
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ReadmeError(
            f"{name} must hold exactly one '{BLOCK_START}' line followed by one '{BLOCK_END}' "
            "line, each alone on its line; restore them around the generated part (nothing "
            "was changed)"
        )
    before = "".join(lines[: starts[0]]).removeprefix(BOM)
    block = "".join(lines[starts[0] : ends[0] + 1]).removeprefix(BOM).rstrip("\r\n")
    after = "".join(lines[ends[0] + 1 :])
    return before, block, after


def _is_marker(line: str, marker: str, index: int) -> bool:
    if index == 0:
        line = line.removeprefix(BOM)
    return line.strip(" \t\r\n") == marker


def read_readme(path: Path, name: str) -> str:
    """The README's text ('' when there is none yet), without a byte-order mark."""
    if not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8").removeprefix(BOM)
    except UnicodeDecodeError:
        raise ReadmeError(
            f"{name} is not UTF-8 text: save it as UTF-8 (nothing was changed)"
        ) from None


def replace_block(text: str, block: str, name: str = "README") -> str:
    """The README with `block` in place of the old one (or on top when it had none)."""
    before, _, after = split_readme(text, name)
    after = after if after.startswith(("\n", "\r\n")) or not after else "\n" + after
    return f"{before}{block}\n{after}"


def previous_stamp(block: str) -> datetime | None:
    """When the block now on the page says its list last changed."""
    match = _STAMP.search(block)
    if match is None:
        return None
    return datetime.fromisoformat(match[1].removesuffix(" UTC")).replace(tzinfo=UTC)


def listed_at(text: str, name: str = "README") -> datetime | None:
    """When the README's list last changed, as its block says: the list it shows is the window
    as of then (None: no block, or one without a stamp)."""
    return previous_stamp(split_readme(text, name)[1])


def freshness_line(block: str) -> str:
    """The block's line that says when its list last changed ('' for a block without one)."""
    return next((line for line in block.splitlines() if _STAMP.search(line)), "")
