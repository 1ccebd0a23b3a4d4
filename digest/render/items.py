"""How one paper looks in the README block: in full, or in one line.

A reader sees at a glance what is new (🆕), which version is shown and when it was revised,
where the PDF and the code are, and arXiv's comment ("Accepted at …"). All of arXiv's text is
escaped; the code links are built from a strict pattern (see `digest.render.code_links`).
"""

from __future__ import annotations

from digest.config.settings import AbstractDisplay
from digest.markdown import authors_line, blocks, bold, day, escape, heading, italics
from digest.markdown import link as md_link
from digest.records import Entry, Paper
from digest.render.code_links import code_links

NEW_MARK = "🆕"
MAX_TITLE_CHARS = 400
MAX_BRIEF_TITLE_CHARS = 200
MAX_ABSTRACT_CHARS = 4000
MAX_COMMENT_CHARS = 150


def full_item(entry: Entry, abstracts: AbstractDisplay, latest: bool) -> str:
    """Heading, dates and authors, links, comment, and the abstract as `abstracts` says."""
    paper = entry.paper
    title = md_link(escape(paper.title, MAX_TITLE_CHARS) or paper.versioned_id, paper.abs_url)
    dates = bold(day(paper.published)) + _revised(paper)
    authors = escape(authors_line(paper.authors))
    byline = f"{dates} | {italics(authors)}" if authors else dates
    head = blocks(heading(3, _marked(title, latest)), byline, _links(paper), _comment(paper))
    abstract = escape(paper.abstract, MAX_ABSTRACT_CHARS, links=True) or "(no abstract)"
    if abstracts is AbstractDisplay.NONE:
        return head
    if abstracts is AbstractDisplay.FOLDED:
        return blocks(head, f"<details><summary>Abstract</summary>\n\n{abstract}\n\n</details>")
    return blocks(head, f"> {abstract}")


def brief_item(entry: Entry, latest: bool, *, links: bool) -> str:
    """One list line, with or without the PDF and first code repository links (the byte
    budget picks which)."""
    paper = entry.paper
    title = md_link(escape(paper.title, MAX_BRIEF_TITLE_CHARS) or paper.versioned_id, paper.abs_url)
    line = f"- {_marked(title, latest)} · {bold(day(paper.published))}{_revised(paper)}"
    if links:
        line += f" · {md_link('PDF', paper.pdf_url)}"
        line += "".join(f" · {md_link('code', url)}" for url in _code(paper)[:1])
    authors = escape(authors_line(paper.authors))
    return f"{line} · {italics(authors)}" if authors else line


def _marked(title: str, latest: bool) -> str:
    return f"{NEW_MARK} {title}" if latest else title


def _revised(paper: Paper) -> str:
    return f" · v{paper.version}, revised {day(paper.updated)}" if paper.version > 1 else ""


def _links(paper: Paper) -> str:
    line = md_link("PDF", paper.pdf_url)
    code = [md_link(escape(url.removeprefix("https://")), url) for url in _code(paper)]
    return f"{line} · Code: {' · '.join(code)}" if code else line


def _code(paper: Paper) -> tuple[str, ...]:
    return code_links(paper.abstract, paper.comment)


def _comment(paper: Paper) -> str:
    comment = escape(paper.comment or "", MAX_COMMENT_CHARS, links=True)
    return f"{italics('Comment:')} {comment}" if comment else ""
