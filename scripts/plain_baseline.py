"""The comparison for scripts/benchmark.py only: the old bot's job as a plain script.

Not part of the digest. It does what the community's original script did with the same `arxiv`
client, so the benchmark can say how much start-up and work the digest adds: one request for the
newest papers of the query, each written as Markdown the way that script wrote it (title link,
date, authors, abstract), the whole README.md rewritten. No archive, no categories, no budget.

Run by the benchmark as `python -m scripts.plain_baseline QUERY` in the site's folder, with
ARXIV_API_URL pointing at the local arXiv.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import arxiv

MAX_RESULTS = 100


def paper_markdown(result: arxiv.Result) -> str:
    """One paper as the old script's README showed it."""
    names = [author.name for author in result.authors]
    authors = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    abstract = " ".join(result.summary.split())
    return (
        f"### [{result.title}]({result.entry_id})\n"
        f"**{result.published:%Y-%m-%d}** | *{authors}*\n\n> {abstract}\n"
    )


def main(query: str) -> None:
    client = arxiv.Client(page_size=MAX_RESULTS, delay_seconds=0)
    client.query_url_format = os.environ["ARXIV_API_URL"] + "?{}"
    search = arxiv.Search(
        query=query, max_results=MAX_RESULTS, sort_by=arxiv.SortCriterion.SubmittedDate
    )
    items = [paper_markdown(result) for result in client.results(search)]
    header = (
        "# Daily ArXiv\n\n"
        f"**Automated Daily Update** | Last Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
    )
    Path("README.md").write_text("\n".join([header, *items]), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
