"""Counts in words, so every line the bot says reads as English: "1 request", "2 requests"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str = "") -> str:
    """`number` and `noun`, the noun plural unless the number is one (`plural` when irregular)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
