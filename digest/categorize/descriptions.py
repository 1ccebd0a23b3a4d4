"""A topic's optional one-line description, as words that count toward it.

A short keyword list misses much of what a topic's papers say; the words a forker uses to
explain the topic fill in, at a lower weight, when they tell this topic apart from the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.config.settings import CategorySpec

# Words a description shares with any topic of any field: they say nothing about one topic.
_COMMON_WORDS = frozenset(
    [
        "about",
        "also",
        "among",
        "and",
        "applications",
        "approach",
        "based",
        "between",
        "both",
        "contribution",
        "different",
        "each",
        "either",
        "from",
        "into",
        "like",
        "many",
        "method",
        "more",
        "most",
        "much",
        "other",
        "over",
        "paper",
        "papers",
        "same",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "used",
        "uses",
        "using",
        "very",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whose",
        "with",
        "within",
        "without",
        "work",
        "works",
    ]
)
_DESCRIPTION_WORD = re.compile(r"[^\W\d_]{4,}")


def description_words(spec: CategorySpec, specs: Sequence[CategorySpec]) -> tuple[str, ...]:
    """The words of the topic's description that can tell it apart, singular, in order."""
    others = {
        _singular(word)
        for other in specs
        if other is not spec
        for word in _DESCRIPTION_WORD.findall(other.description.lower())
    }
    listed = {keyword.lower() for keyword in spec.keywords}
    words = (_singular(word) for word in _DESCRIPTION_WORD.findall(spec.description.lower()))
    return tuple(
        dict.fromkeys(
            word
            for word in words
            if word not in _COMMON_WORDS and word not in others and word not in listed
        )
    )


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "is", "us")) else word
