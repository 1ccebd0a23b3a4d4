"""The news message as each kind of service gets it: Markdown or plain text, within its limit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest
from apprise.conversion import markdown_to_html

from digest.notify.compose import Budget, RunNews, news_message
from digest.records import Entry
from tests.factories import make_entry, make_paper
from tests.markdown_html import Node, parse_html, rendered_tree

ORDER = ("🧠 Algorithms & Theory", "🛠 Hardware & Materials", "📂 General")
README = "https://github.com/octo-org/arxiv-digest/blob/main/README.md"
DISCORD = Budget(body_chars=1800, title_chars=250, markdown=True)  # Discord takes 2,000
TELEGRAM = Budget(body_chars=3686, title_chars=0, markdown=True)  # no title of its own
NTFY = Budget(body_chars=7020, title_chars=200, markdown=False)  # plain text


def _news(
    new: Sequence[Entry], updated: Sequence[Entry] = (), readme: str | None = README
) -> RunNews:
    return RunNews("Neuro Digest", date(2026, 2, 14), readme, tuple(new), tuple(updated), ORDER)


def _busy(count: int) -> list[Entry]:
    return [
        make_entry(
            make_paper(f"2602.{n:05d}", title=f"A long title about spiking networks, part {n}"),
            ORDER[n % 2],
        )
        for n in range(count)
    ]


def test_papers_come_by_topic_in_the_configs_order_then_the_revised() -> None:
    hardware = make_entry(make_paper("2602.00001", title="Memristors"), ORDER[1])
    theory = make_entry(make_paper("2602.00002", title="Surrogate gradients"), ORDER[0])
    stray = make_entry(make_paper("2602.00003", title="Off the list"), "A topic since removed")
    revised = make_entry(make_paper("2601.00009", version=3, title="Old news, new version"))
    message = news_message(_news([hardware, stray, theory], [revised]), DISCORD)
    assert message.title == "Neuro Digest: 3 new papers, 1 revised (2026-02-14)"
    tree = rendered_tree(message.body)
    headings = [node.text() for node in tree.find_all("strong")]
    assert headings == [*ORDER[:2], "A topic since removed", "Revised"]
    items = [item.text() for item in tree.find_all("li")]
    assert items[0] == "🆕 Surrogate gradients · Ada Lovelace, Alan Turing"
    assert items[-1] == (
        "Old news, new version · v3, revised 2026-02-05 · Ada Lovelace, Alan Turing"
    )
    links = [str(a.attrs["href"]) for a in tree.find_all("a")]
    assert links == [
        "https://arxiv.org/abs/2602.00002v1",
        "https://arxiv.org/abs/2602.00001v1",
        "https://arxiv.org/abs/2602.00003v1",
        "https://arxiv.org/abs/2601.00009v3",
    ]


def test_titles_and_names_show_as_written_whatever_marks_they_hold() -> None:
    title = "Spikes *without* [brackets] <b>bold</b> and `code` at $\\alpha$ = 0.5 \\{x\\}"
    authors = ("O_Brien *Jr*", "Ann [Lab]")
    entry = make_entry(make_paper(title=title, authors=authors))
    tree = rendered_tree(news_message(_news([entry]), DISCORD).body)
    assert tree.find_all("li")[0].text() == f"🆕 {title} · O_Brien *Jr*, Ann [Lab]"
    assert tree.find_all("a")[0].tags() == {"a"}  # no emphasis, code or HTML in the title
    assert tree.find_all("em")[0].tags() == {"em"}  # the names in italics, nothing more


def _email_tree(markdown: str) -> Node:
    """What an e-mail reader sees: Apprise turns the Markdown into HTML for HTML services."""
    return parse_html(markdown_to_html(markdown))


@pytest.mark.parametrize("render", [rendered_tree, _email_tree], ids=["markdown", "e-mail"])
def test_a_backslash_at_the_end_of_a_title_topic_or_name_closes_nothing(
    render: Callable[[str], Node],
) -> None:
    title, topic = "Title with trailing backslash \\", "Graphs \\"
    entry = make_entry(make_paper(title=title, authors=("Ann \\", "Bob \\")), topic)
    tree = render(news_message(_news([entry]), DISCORD).body)
    assert [(a.text(), a.attrs["href"]) for a in tree.find_all("a")] == [
        (title, entry.paper.abs_url)
    ]
    assert [node.text() for node in tree.find_all("strong")] == [topic]
    assert [node.text() for node in tree.find_all("em")] == ["Ann \\, Bob \\"]


def test_plain_text_services_get_the_links_written_out() -> None:
    entry = make_entry(make_paper("2602.00042", version=2, title="Event   cameras\nand SNNs"))
    body = news_message(_news([entry]), NTFY).body
    assert body == (
        "🧠 Algorithms & Theory\n"
        "- 🆕 Event cameras and SNNs · v2, revised 2026-02-04 · Ada Lovelace, Alan Turing\n"
        "  https://arxiv.org/abs/2602.00042v2"
    )


@pytest.mark.parametrize("budget", [DISCORD, TELEGRAM, NTFY], ids=["discord", "telegram", "ntfy"])
def test_a_busy_day_fits_the_service_and_links_the_rest(budget: Budget) -> None:
    message = news_message(_news(_busy(300)), budget)
    assert message.title.startswith("Neuro Digest: 300 new papers")
    title_in_body = len(message.title) + 2 if budget.title_chars == 0 else 0
    assert len(message.body) + title_in_body <= budget.body_chars
    listed = message.body.count("arxiv.org/abs/")
    assert 0 < listed <= 50
    last = message.body.splitlines()[-1]
    more = f"…and {300 - listed} more: "
    assert last == (f"{more}[the full list]({README})" if budget.markdown else f"{more}{README}")


def test_at_most_fifty_papers_and_ten_thousand_characters_even_where_more_would_fit() -> None:
    roomy = Budget(body_chars=100_000, title_chars=250, markdown=True)
    body = news_message(_news(_busy(300)), roomy).body
    assert body.count("arxiv.org/abs/") == 50
    assert len(body) <= 10_000
    assert body.endswith(f"…and 250 more: [the full list]({README})")


def test_without_a_readme_link_the_rest_is_counted() -> None:
    body = news_message(_news(_busy(60), readme=None), DISCORD).body
    listed = body.count("arxiv.org/abs/")
    assert body.endswith(f"…and {60 - listed} more in the digest's README.")


def test_a_long_digest_title_is_cut_to_the_services_title_limit() -> None:
    news = RunNews("N" * 300, date(2026, 2, 14), None, tuple(_busy(2)), (), ORDER)
    title = news_message(news, NTFY).title
    assert len(title) == 200
    assert title.endswith("…: 2 new papers (2026-02-14)")
