"""What's new at a glance: 🆕 marks, revisions, PDF and code links, arXiv's comment, counts.

Everything is checked the way GitHub shows it (cmark-gfm), with arXiv's text as hostile as it gets.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config.settings import DisplaySettings, parse
from digest.records import Entry, Paper
from digest.render.block import BlockSpec, render_block
from digest.render.code_links import CODE_HOSTS, code_links
from digest.render.items import NEW_MARK
from tests.factories import make_entry, make_paper
from tests.markdown_html import Node, rendered_tree

TOPICS = ["🛠 Hardware & Materials", "🧠 Algorithms & Theory"]
CHANGED = datetime(2026, 2, 5, 8, 41, tzinfo=UTC)
SAFE_CODE_URL = re.compile(
    rf"https://(?:{'|'.join(re.escape(host) for host in CODE_HOSTS)})/[A-Za-z0-9_./-]+"
)


def _render(entries: list[Entry], **display: object) -> str:
    entries = sorted(entries, key=lambda e: (e.arrived, e.paper.published), reverse=True)
    shown_as = parse({"full_days": 14} | display, DisplaySettings)
    spec = BlockSpec(
        title="Digest",
        description="Papers by topic.",
        window_days=14,
        order=TOPICS,
        display=shown_as,
        max_bytes=shown_as.max_page_bytes,
        day_links={e.arrived: (f"archive/{e.arrived}.md",) for e in entries},
    )
    return render_block(spec, entries).stamped(CHANGED)


def _entry(number: int, arrived: str, topic: int = 0, **paper: object) -> Entry:
    made = make_paper(f"2602.{number:05d}", published=f"{arrived}T09:00:00+00:00")
    return make_entry(msgspec.structs.replace(made, **paper), TOPICS[topic])


def _marked(tree: Node) -> dict[str, bool]:
    """Each listed paper's abstract link, and whether it carries the 🆕 mark."""
    items = tree.find_all("h3") + tree.find_all("li")
    return {
        str(item.find_all("a")[0].attrs["href"]): item.text().startswith(f"{NEW_MARK} ")
        for item in items
    }


def _links_line(tree: Node, paper: Paper) -> list[str]:
    """The hrefs of the paragraph that starts with the paper's PDF link."""
    for paragraph in tree.find_all("p"):
        anchors = paragraph.find_all("a")
        if anchors and anchors[0].attrs["href"] == paper.pdf_url and anchors[0].text() == "PDF":
            return [str(a.attrs["href"]) for a in anchors]
    raise AssertionError(f"no PDF line for {paper.arxiv_id}")


@pytest.mark.parametrize("full_days", [14, 1, 0])
def test_the_new_mark_is_on_exactly_the_newest_arrival_days_papers(full_days: int) -> None:
    entries = [
        _entry(1, "2026-02-03"),
        _entry(2, "2026-02-04", topic=1),
        _entry(3, "2026-02-04"),
        _entry(4, "2026-02-02", topic=1),
    ]
    marked = _marked(rendered_tree(_render(entries, full_days=full_days)))
    assert marked == {e.paper.abs_url: e.arrived == date(2026, 2, 4) for e in entries}


def test_an_unchanged_window_renders_byte_identical_and_news_moves_the_mark() -> None:
    entries = [_entry(n, f"2026-02-0{n}") for n in range(1, 5)]
    first = _render(entries)
    assert _render(list(reversed(entries))) == first
    revised = make_entry(
        msgspec.structs.replace(entries[0].paper, version=2, updated=CHANGED), TOPICS[0]
    )
    again = _render([revised, *entries[1:]])
    assert _marked(rendered_tree(again))[entries[3].paper.abs_url]
    news = _entry(9, "2026-02-05")
    marked = _marked(rendered_tree(_render([*entries, news])))
    assert [href for href, new in marked.items() if new] == [news.paper.abs_url]


def test_the_contents_line_counts_the_new_papers_of_each_topic() -> None:
    entries = [
        _entry(1, "2026-02-04"),
        _entry(2, "2026-02-04"),
        _entry(3, "2026-02-01"),
        _entry(4, "2026-02-01", topic=1),
    ]
    tree = rendered_tree(_render(entries))
    contents = [a.text() for a in tree.find_all("a") if str(a.attrs["href"]).startswith("#")]
    assert contents == [f"{TOPICS[0]} (3, 2 new)", f"{TOPICS[1]} (1)"]


def test_revised_papers_show_version_and_date_in_full_and_in_one_line() -> None:
    newest = _entry(1, "2026-02-04", version=3, updated=datetime(2026, 2, 4, 20, tzinfo=UTC))
    older = _entry(2, "2026-01-30", version=2, updated=datetime(2026, 2, 2, 7, tzinfo=UTC))
    plain = _entry(3, "2026-01-29")
    tree = rendered_tree(_render([newest, older, plain], full_days=1))
    assert len(tree.find_all("h3")) == 1 and len(tree.find_all("li")) == 2
    assert "v3, revised 2026-02-04" in tree.text()
    lines = {str(li.find_all("a")[0].attrs["href"]): li.text() for li in tree.find_all("li")}
    assert "2026-01-30 · v2, revised 2026-02-02 ·" in lines[older.paper.abs_url]
    assert "revised" not in lines[plain.paper.abs_url]


def test_every_paper_links_its_pdf_and_one_line_items_do_while_room_allows() -> None:
    papers = [_entry(n, f"2026-02-0{n}", abstract=f"Code: github.com/lab/tool{n}") for n in (1, 2)]
    tree = rendered_tree(_render(papers, full_days=1))
    full, brief = papers[1].paper, papers[0].paper
    assert _links_line(tree, full) == [full.pdf_url, "https://github.com/lab/tool2"]
    [line] = tree.find_all("li")
    assert [(a.text(), a.attrs["href"]) for a in line.find_all("a")] == [
        (brief.title, brief.abs_url),
        ("PDF", "https://arxiv.org/pdf/2602.00001v1"),
        ("code", "https://github.com/lab/tool1"),
    ]


def test_a_window_too_busy_for_one_line_links_drops_them_before_any_paper() -> None:
    entries = [
        _entry(day * 1000 + n, f"{date(2026, 2, 14) - timedelta(days=day)}", abstract="x " * 400)
        for day in range(14)
        for n in range(60)
    ]
    text = _render(entries, full_days=1, max_page_bytes=60_000)
    assert len(text.encode("utf-8")) <= 60_000
    lines = rendered_tree(text).find_all("li")
    assert lines and all(len(li.find_all("a")) == 1 for li in lines)


def test_code_links_are_found_in_abstract_and_comment_as_https_urls() -> None:
    abstract = (
        "Code at https://github.com/Lab/Spike-Net. Weights: huggingface.co/lab/model, "
        "mirror (http://www.GitLab.com/lab/spike_net.git), again github.com/Lab/Spike-Net/."
    )
    assert code_links(abstract, "Project: \\url{codeberg.org/a/b}") == (
        "https://github.com/Lab/Spike-Net",
        "https://huggingface.co/lab/model",
        "https://gitlab.com/lab/spike_net.git",
    )
    assert code_links("See https://bitbucket.org/x/y?at=main#readme") == (
        "https://bitbucket.org/x/y",
    )
    assert code_links(None, "Code: https://sourceforge.net/projects/tool") == (
        "https://sourceforge.net/projects/tool",
    )


@pytest.mark.parametrize(
    "text",
    [
        "we cite mygithub.com/a/b and notgithub.com/x/y",
        "mail git@github.com/a/b or me@gitlab.com",
        "https://github.com.evil.org/a/b and https://evil.org/github.com/a/b",
        "pages.github.com/a/b and github.community/a/b",
        "the github.com platform, github.com/, and the profile github.com/someone",
        "https://example.com/lab/tool and arxiv.org/abs/2602.00001",
        "github.com/%2e%2e/evil and github.com/<script>",
    ],
)
def test_code_links_ignore_what_is_not_a_repository_on_a_code_host(text: str) -> None:
    assert code_links(text) == ()


HOSTILE_CODE = {
    'https://github.com/a/b)"><script>alert(1)</script>': ["a/b"],
    "github.com/c/d](javascript:alert(1)) [x](github.com/e/f)": ["c/d", "e/f"],
    "github.com/g/h<img src=x onerror=alert(1)> github.com/i/j'onmouseover='alert(1)'": [
        "g/h",
        "i/j",
    ],
    "`github.com/k/l` **github.com/m/n** ~~github.com/o/p~~ <github.com/q/r>": [
        "k/l",
        "m/n",
        "o/p",
    ],
    "github.com/s/t_u_*v*_ &lt;github.com/w/x&gt; github.com/y/z\\": ["s/t_u_", "w/x", "y/z"],
}


@pytest.mark.parametrize("text", HOSTILE_CODE)
def test_hostile_code_urls_render_as_plain_https_links_and_nothing_else(text: str) -> None:
    entry = _entry(1, "2026-02-04", abstract=text, comment=text, title=text)
    tree = rendered_tree(_render([entry]))
    assert tree.tags() <= {"root", "h1", "h2", "h3", "p", "a", "em", "strong", "blockquote", "sub"}
    hrefs = _links_line(tree, entry.paper)
    assert hrefs == [entry.paper.pdf_url, *(f"https://github.com/{r}" for r in HOSTILE_CODE[text])]
    assert all(SAFE_CODE_URL.fullmatch(href) for href in hrefs[1:]), hrefs
    assert all(
        str(a.attrs["href"]).startswith(("https://", "http://", "#", "archive/"))
        for a in tree.find_all("a")
    )


def test_the_comment_is_one_short_escaped_line_in_full_items_only() -> None:
    comment = "Accepted at *ICML* 2026 <b>oral</b>; 12 pages, 5 figures. " + "More. " * 40
    shown = _entry(1, "2026-02-04", comment=comment)
    older = _entry(2, "2026-01-20", comment="Brief items leave this out")
    bare = _entry(3, "2026-02-04")
    tree = rendered_tree(_render([shown, older, bare], full_days=1))
    lines = [p.text() for p in tree.find_all("p") if p.text().startswith("Comment:")]
    assert len(lines) == 1
    assert lines[0].startswith("Comment: Accepted at *ICML* 2026 <b>oral</b>; 12 pages")
    assert lines[0].endswith("…") and len(lines[0]) <= len("Comment: ") + 150
    assert "Brief items leave this out" not in tree.text()


URL_PIECES = [
    "https://", "http://", "www.", "WWW.", "github.com", "GitHub.COM", "gitlab.com", "gitee.com",
    "huggingface.co", "bitbucket.org", "/", "/a", "/Repo", "-", ".", "./", " ", "@", ":", "x",
    "İ", "é", "(", ")", "/" + "p" * 60, ".git",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(URL_PIECES), max_size=30).map("".join), max_size=3))
def test_code_links_are_plain_https_links_to_known_hosts_whatever_the_text(
    texts: list[str],
) -> None:
    """Whatever pieces of URLs arXiv's text holds, at most three distinct safe links come out."""
    links = code_links(*texts)
    assert len(links) <= 3 and len(set(links)) == len(links)
    assert all(SAFE_CODE_URL.fullmatch(link) for link in links), links
