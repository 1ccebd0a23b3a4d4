"""Web addresses written out in arXiv's text are working links on GitHub (cmark-gfm), and
escaping them never lets anything else become a link, an image or emphasis."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from digest.config.settings import AbstractDisplay, DisplaySettings, parse
from digest.fetch.entries import clean_text
from digest.records import Entry
from digest.render.block import BlockSpec, render_block
from digest.render.items import full_item
from tests.factories import make_entry, make_paper
from tests.markdown_html import Node, rendered_tree

TOPIC = "🧠 Algorithms & Theory"
# As written, and where GitHub's link goes (a www. address to http://).
ADDRESSES = [
    ("https://github.com/foo/my_repo", "https://github.com/foo/my_repo"),
    ("http://www.cs.toronto.edu/~kriz/cifar.html", "http://www.cs.toronto.edu/~kriz/cifar.html"),
    ("https://example.org/get?a=1&b=2", "https://example.org/get?a=1&b=2"),
    ("www.cs.toronto.edu/~kriz/cifar.html", "http://www.cs.toronto.edu/~kriz/cifar.html"),
]


def _entry(**paper: object) -> Entry:
    return make_entry(msgspec.structs.replace(make_paper(), **paper), TOPIC)


def _render(
    entries: list[Entry], description: str = "Papers by topic.", full_days: int = 14
) -> Node:
    shown_as = parse({"full_days": full_days}, DisplaySettings)
    spec = BlockSpec(
        title="Digest",
        description=description,
        window_days=14,
        order=[TOPIC],
        display=shown_as,
        max_bytes=shown_as.max_page_bytes,
        day_links={e.arrived: (f"archive/{e.arrived}.md",) for e in entries},
    )
    block = render_block(spec, entries).stamped(datetime(2026, 2, 5, 8, 41, tzinfo=UTC))
    return rendered_tree(block)


def _links(node: Node) -> list[tuple[str, str]]:
    return [(a.text(), str(a.attrs["href"])) for a in node.find_all("a")]


def _comment(tree: Node) -> Node:
    return next(p for p in tree.find_all("p") if p.text().startswith("Comment:"))


@pytest.mark.parametrize(("url", "href"), ADDRESSES)
def test_an_address_in_the_abstract_or_comment_links_to_itself(url: str, href: str) -> None:
    entry = _entry(abstract=f"Code and data: {url}. We study spikes.", comment=f"Code at {url}")
    tree = _render([entry])
    abstract = tree.find_all("blockquote")[0]
    assert abstract.text().strip() == f"Code and data: {url}. We study spikes."
    assert _links(abstract) == [(url, href)]
    assert _links(_comment(tree)) == [(url, href)]


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See https://x.org/a_b.", ["https://x.org/a_b"]),
        ("Data (see https://x.org/a_b) and more", ["https://x.org/a_b"]),
        ("Code: https://x.org/a_b), then", ["https://x.org/a_b"]),
        (
            "The set https://en.wikipedia.org/wiki/Set_(mathematics).",
            ["https://en.wikipedia.org/wiki/Set_(mathematics)"],
        ),
        (
            'Both "https://x.org/c_d"; and [https://x.org/e_f]!',
            [
                "https://x.org/c_d",
                "https://x.org/e_f",
            ],
        ),
    ],
)
def test_punctuation_after_an_address_is_left_out_of_the_link(text: str, urls: list[str]) -> None:
    abstract = _render([_entry(abstract=text)]).find_all("blockquote")[0]
    assert abstract.text().strip() == text
    assert _links(abstract) == [(url, url) for url in urls]


def test_markup_around_an_address_stays_text() -> None:
    text = (
        "[x](https://evil.example) [y](javascript:alert(1)) _not emphasis https://x.org/a_b "
        "nor this_ ![i](https://x.org/i.png) <https://x.org/z_z> *a https://x.org/*b* c*"
    )
    abstract = _render([_entry(abstract=text)]).find_all("blockquote")[0]
    assert abstract.text().strip() == text
    assert abstract.tags() == {"blockquote", "p", "a"}  # no emphasis, image or HTML
    assert _links(abstract) == [
        (url, url)
        for url in [
            "https://evil.example",
            "https://x.org/a_b",
            "https://x.org/i.png",
            "https://x.org/z_z",
            "https://x.org/*b",
        ]
    ]


def test_an_address_in_a_title_stays_text_inside_the_link_to_arxiv() -> None:
    url = "https://github.com/foo/spike_net"
    title = f"SpikeNet ({url}): fast spikes"
    entry = _entry(title=title, abstract=f"Code: {url}")
    tree = _render([entry])
    in_full = tree.find_all("h3")[0]
    in_one_line = _render([entry], full_days=0).find_all("li")[0]
    for item in (in_full, in_one_line):
        title_link = item.find_all("a")[0]
        assert (title_link.text(), title_link.attrs["href"]) == (title, entry.paper.abs_url)
        assert title_link.find_all("a") == [title_link]  # no link inside the title's link
    assert _links(tree.find_all("blockquote")[0]) == [(url, url)]


CUT = f"Accepted at ICML 2026. {'Code: ' * 17}"


@pytest.mark.parametrize(
    ("comment", "shown"),
    [
        (f"{CUT}https://github.com/foo_bar/my_repo", f"{CUT}https://github.com/foo_b…"),
        ("Costs at https://x.org/price_$5_$6 apply", "Costs at https://x.org/price_$5_$6 apply"),
        ("Slides at https://x.org/a_b&amp;c", "Slides at https://x.org/a_b&amp;c"),
    ],
)
def test_an_address_no_link_can_show_as_written_is_text_not_a_broken_link(
    comment: str, shown: str
) -> None:
    """Cut short by the comment's length, or holding what a link would show otherwise."""
    line = _comment(_render([_entry(comment=comment)]))
    assert line.text() == f"Comment: {shown}"
    assert line.find_all("a") == []


def test_an_address_in_the_configs_description_links_to_itself() -> None:
    url = "https://github.com/octo-org/my_digest/issues"
    tree = _render([], description=f"Suggest a paper at {url}.")
    assert _links(tree.find_all("p")[1]) == [(url, url)]


# Pieces of addresses and of the marks around them, so that examples hold many of both.
_PIECES = st.sampled_from(
    [
        *"()[].,;:!?'\"`*_~<>\\$|&#-1@ ",
        "https://",
        "http://",
        "HTTPS://",
        "ftp://",
        "www.",
        "x.org",
        "/a_b",
        "/~u",
        "?q=1&r=2",
        "&amp;",
        "%5C",
        "javascript:",
        "mailto:",
        "…",
        "\n",
    ]
)


@settings(max_examples=300)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=3)), min_size=1, max_size=40).map("".join))
def test_any_text_shows_as_written_and_every_link_goes_where_it_says(text: str) -> None:
    """In the title (a link itself), the abstract and the comment (cut at 150 characters)."""
    written = " ".join(clean_text(text).split())
    assume(written)
    entry = _entry(title=written, abstract=written, comment=written)
    tree = rendered_tree(full_item(entry, AbstractDisplay.FULL, latest=False))
    assert _links(tree.find_all("h3")[0]) == [(written, entry.paper.abs_url)]
    cut = written if len(written) <= 150 else written[:149].rstrip() + "…"
    for part, shown in [
        (tree.find_all("blockquote")[0], written),
        (_comment(tree), f"Comment: {cut}"),
    ]:
        assert part.text().strip() == shown
        assert part.tags() <= {"blockquote", "p", "a", "em"}  # em: the word "Comment:"
        for link_text, href in _links(part):
            # GitHub links a www. address to http:// and an e-mail address to mailto:
            assert unquote(href) in {
                unquote(f"{scheme}{link_text}") for scheme in ("", "http://", "mailto:")
            }
