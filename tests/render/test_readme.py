"""The generated block is found however the markers are spaced, and there is never a second one."""

from __future__ import annotations

import pytest

from digest.render.readme import BLOCK_END, BLOCK_START, ReadmeError, replace_block, split_readme

NEW = f"{BLOCK_START}\nnew list\n{BLOCK_END}"
HAND = "\n## About\n\nHand-written.\n"


@pytest.mark.parametrize(
    "readme",
    [
        f"{BLOCK_START} \nold\n{BLOCK_END}\t\n{HAND}",
        f"  {BLOCK_START}\nold\n\t{BLOCK_END}\n{HAND}",
        f"\ufeff{BLOCK_START}\nold\n{BLOCK_END}\n{HAND}",
        f"{BLOCK_START}\r\nold\r\n{BLOCK_END}\r\n{HAND}",
    ],
    ids=["trailing-space-and-tab", "leading-space-and-tab", "byte-order-mark", "crlf"],
)
def test_spaced_markers_are_found_and_the_block_replaced_once(readme: str) -> None:
    updated = replace_block(readme, NEW)
    assert updated.count(BLOCK_START) == 1 and updated.count(BLOCK_END) == 1
    assert "old" not in updated
    assert updated.startswith(NEW)
    assert updated.endswith("## About\n\nHand-written.\n")
    assert replace_block(updated, NEW) == updated


@pytest.mark.parametrize(
    "readme",
    [
        f"{BLOCK_START}\nold\n{BLOCK_END}\n{BLOCK_START}\nolder\n{BLOCK_END}\n",
        f"{BLOCK_START}\nold\n",
        f"{BLOCK_END}\nold\n{BLOCK_START}\n",
        f"Intro {BLOCK_START} inline\nold\n{BLOCK_END}\n",
    ],
    ids=["two-blocks", "no-end", "reversed", "marker-inside-a-line"],
)
def test_an_ambiguous_readme_fails_naming_the_file_and_the_fix(readme: str) -> None:
    with pytest.raises(ReadmeError) as caught:
        split_readme(readme, "site/README.md")
    message = str(caught.value)
    assert "site/README.md" in message and "restore" in message and "\n" not in message


def test_a_readme_without_markers_gets_the_block_on_top() -> None:
    assert replace_block("# My project\n", NEW) == f"{NEW}\n\n# My project\n"
