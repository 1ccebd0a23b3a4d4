"""The text of a day's archive page: full records in front matter, a readable list below.

A day that brought more papers than fit one page under the byte budget is split into parts, in
the order the papers were recorded; each part links to the next and says which part it is.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import frontmatter
import msgspec

from digest.front_matter import EncodedRecord, FlowYamlHandler, encode_record
from digest.markdown import authors_line, blocks, bullets, day, escape, heading, link
from digest.records import Entry

if TYPE_CHECKING:
    from digest.archive import DayPage

# Room for a part's heading, summary and links, beside its papers.
_PART_OVERHEAD_BYTES = 2_000
# Around a paper's record and item: line breaks, comma, bullet, with a few bytes to spare.
_SLOT_MARKUP_BYTES = 19

log = logging.getLogger(__name__)


class _Slot(msgspec.Struct, frozen=True):
    """One paper on a day's page: whether it arrived or was revised that day, its record and
    list item (made once: sizing the parts needs them, and the parts are written from them),
    and its size."""

    updated: bool
    entry: Entry
    record: EncodedRecord
    item: str
    size: int


def render_parts(
    page: DayPage, order: Sequence[str], max_bytes: int, first_file: int = 1
) -> list[str]:
    """The texts of the page's parts: one, unless the papers do not fit under `max_bytes`;
    the parts will be files numbered from `first_file`."""
    slots = [_slot(False, entry) for entry in page.new]
    slots += [_slot(True, entry) for entry in page.updated]
    groups = _pack(slots, max_bytes - _PART_OVERHEAD_BYTES)
    total = len(groups)
    texts = [
        _text(page, group, order, (i + 1, total), first_file + i) for i, group in enumerate(groups)
    ]
    for number, text in enumerate(texts, start=1):
        if len(text.encode("utf-8")) > max_bytes:
            log.warning(
                "archive page %s part %d is %d bytes, over display.max_page_bytes: one paper's "
                "record alone is that large",
                page.day,
                number,
                len(text.encode("utf-8")),
            )
    return texts


def _slot(updated: bool, entry: Entry) -> _Slot:
    record, item = encode_record(entry.to_record()), _item(entry)
    size = len(record.encode("utf-8")) + len(item.encode("utf-8")) + _SLOT_MARKUP_BYTES
    return _Slot(updated, entry, record, item, size)


def _pack(slots: Sequence[_Slot], room: int) -> list[list[_Slot]]:
    """Fill parts in order; a part is never empty, so a page always has at least one."""
    groups: list[list[_Slot]] = [[]]
    used = 0
    for slot in slots:
        if groups[-1] and used + slot.size > room:
            groups.append([])
            used = 0
        groups[-1].append(slot)
        used += slot.size
    return groups


def _text(
    page: DayPage,
    group: Sequence[_Slot],
    order: Sequence[str],
    part: tuple[int, int],
    file_number: int,
) -> str:
    number, total = part
    new = [slot for slot in group if not slot.updated]
    updated = [slot for slot in group if slot.updated]
    metadata: dict[str, object] = {
        "date": page.day.isoformat(),
        "last_run": page.last_run.isoformat(),
        "query": page.query,
        "rules": page.rules,
        "started": page.started.isoformat() if page.started else None,
        "part": number,
        "parts": total,
        "new": [slot.record for slot in new],
        "updated": [slot.record for slot in updated],
    }
    post = frontmatter.Post(_body(page, new, updated, order, part, file_number))
    post.metadata.update(metadata)
    return frontmatter.dumps(post, handler=FlowYamlHandler()) + "\n"


def _body(
    page: DayPage,
    new: Sequence[_Slot],
    updated: Sequence[_Slot],
    order: Sequence[str],
    part: tuple[int, int],
    file_number: int,
) -> str:
    number, total = part
    title = f"arXiv digest: {page.day:%Y-%m-%d}"
    if total > 1:
        title += f" (part {number} of {total})"
    summary = (
        f"{len(page.new)} new and {len(page.updated)} updated papers on this day; "
        f"last run {page.last_run:%Y-%m-%d %H:%M} UTC."
    )
    if total > 1:
        summary += f" This part lists {len(new)} new and {len(updated)} updated."
    sections = []
    for name, slots in (("New papers", new), ("Updated papers", updated)):
        if slots:
            sections.append(blocks(heading(2, name), bullets(_ranked(slots, order))))
    next_part = ""
    if number < total:
        next_name = f"{page.day:%Y-%m-%d}-{file_number + 1}.md"
        next_part = f"Continued in {link(f'part {number + 1} of {total}', next_name)}."
    return blocks(heading(1, title), summary, *sections, next_part)


def _ranked(slots: Sequence[_Slot], order: Sequence[str]) -> list[str]:
    """The slots' items, in the config's category order."""
    rank = {name: index for index, name in enumerate(order)}

    def key(slot: _Slot) -> tuple[int, str]:
        category = slot.entry.decision.category
        return rank.get(category, len(rank)), category

    return [slot.item for slot in sorted(slots, key=key)]


def _item(entry: Entry) -> str:
    paper = entry.paper
    title = link(escape(paper.title) or paper.versioned_id, paper.abs_url)
    authors = escape(authors_line(paper.authors)) or "(no authors listed)"
    return (
        f"{title}: {authors}; submitted {day(paper.published)}; "
        f"{escape(entry.decision.category)} ({escape(entry.decision.reason)})"
    )
