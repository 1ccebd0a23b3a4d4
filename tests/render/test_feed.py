"""The Atom feed: what a feed reader gets, read back with an independent parser (feedparser)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

import feedparser
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config.settings import ConfigError, load_config
from digest.layout import RepositoryPages
from digest.records import Entry
from digest.render.feed import FeedSpec, render_feed
from tests.digest_site import Site, arrivals, at
from tests.factories import make_entry, make_paper
from tests.fake_arxiv import FakeArxiv, seed_fake_papers, submitted_paper
from tests.render.test_render import HOSTILE

REPO = Path(__file__).resolve().parents[2]
SPEC = FeedSpec("🧠 A field", "Papers by topic.", "cat:cs.NE", 500, 450_000)


@pytest.fixture
def site(tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch) -> Site:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_env.set_papers(seed_fake_papers())
    return Site.create(tmp_path / "repo")


def _parse(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _ids(parsed: feedparser.FeedParserDict) -> list[str]:
    return [item.id for item in parsed.entries]


def test_the_feed_holds_every_listed_paper_once_newest_arrival_first(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    parsed = _parse((site.root / "feed.xml").read_text(encoding="utf-8"))
    listed = dict(site.listed())
    ids = _ids(parsed)
    assert Counter(ids) == Counter(f"https://arxiv.org/abs/{pid}" for pid in listed)
    records = {record["id"]: record for record in site.archived()}
    arrived = [records[item.id.rsplit("/", 1)[1]]["arrived"] for item in parsed.entries]
    assert arrived == sorted(arrived, reverse=True)
    assert parsed.feed.title == "🧠 Open Neuromorphic - Daily ArXiv"
    assert parsed.feed.updated == max(
        max(r["updated"] for r in records.values()), f"{max(arrived)}T00:00:00+00:00"
    )
    item, pid = parsed.entries[0], ids[0].rsplit("/", 1)[1]
    record, version = records[pid], listed[pid]
    assert item.title == " ".join(record["title"].split())
    assert [author.name for author in item.authors] == record["authors"]
    assert item.summary == " ".join(record["abstract"].split())
    assert [tag.term for tag in item.tags] == [record["category"]]
    assert (item.updated, item.published) == (record["updated"], record["published"])
    assert item.link == f"https://arxiv.org/abs/{pid}v{version}"
    assert [(link.rel, link.type, link.href) for link in item.links] == [
        ("alternate", "text/html", f"https://arxiv.org/abs/{pid}v{version}"),
        ("related", "application/pdf", f"https://arxiv.org/pdf/{pid}v{version}"),
    ]


def test_the_readme_links_the_feed(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    links = [a for a in site.tree().find_all("a") if a.text() == "Atom feed"]
    assert [str(a.attrs["href"]) for a in links] == ["feed.xml"]


def test_a_feed_elsewhere_is_linked_relative_to_the_readme(tmp_path: Path, site: Site) -> None:
    config = site.root / "config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("readme_path: README.md", "readme_path: docs/README.md").replace(
            "path: feed.xml", "path: public feeds/papers.xml"
        ),
        encoding="utf-8",
    )
    assert site.run(at("2026-02-14").isoformat()) == 0
    readme = site.root / "docs" / "README.md"
    href = next(line for line in readme.read_text(encoding="utf-8").splitlines() if "Atom" in line)
    target = href.split("[Atom feed](", 1)[1].split(")", 1)[0]
    assert target == "../public%20feeds/papers.xml"
    assert (readme.parent / unquote(target)).resolve() == site.root / "public feeds/papers.xml"
    _parse((site.root / "public feeds/papers.xml").read_text(encoding="utf-8"))


def test_a_run_without_news_leaves_the_feed_untouched(site: Site) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    feed = site.root / "feed.xml"
    before, stat = feed.read_bytes(), feed.stat().st_mtime_ns
    assert site.run(at("2026-02-14", hour=9).isoformat()) == 0
    assert feed.read_bytes() == before and feed.stat().st_mtime_ns == stat


def test_the_feed_follows_the_list_as_papers_arrive_and_leave(
    site: Site, arxiv_env: FakeArxiv
) -> None:
    assert site.run(at("2026-02-14").isoformat()) == 0
    arxiv_env.add(
        submitted_paper(
            "2602.13000",
            at("2026-02-14", hour=6),
            title="A late arrival",
            abstract="A memristor crossbar array.",
            authors=("A. Author",),
        )
    )
    assert site.run(at("2026-02-28").isoformat()) == 0
    parsed = _parse((site.root / "feed.xml").read_text(encoding="utf-8"))
    runs = [at("2026-02-14"), at("2026-02-28")]  # the late arrival is news on the 28th
    expected = {pid for pid, day in arrivals(runs).items() if day >= date(2026, 2, 15)}
    expected |= {"2602.13000"}
    assert Counter(_ids(parsed)) == Counter(f"https://arxiv.org/abs/{pid}" for pid in expected)
    assert parsed.entries[0].title == "A late arrival"


def _entries(
    count: int, abstract: str = "A spiking network. " * 60, authors: int = 12
) -> list[Entry]:
    """`count` papers, newest arrival first, as the window hands them over."""
    first = date(2026, 2, 14)
    return [
        make_entry(
            make_paper(f"2602.{index:05d}", abstract=abstract, authors=("A. Author",) * authors),
            arrived=first - timedelta(days=index // 150),
        )
        for index in range(count)
    ]


def test_a_busy_feed_keeps_the_newest_arrivals_under_the_byte_budget() -> None:
    entries = _entries(2_000)
    text = render_feed(SPEC, entries)
    ids = _ids(_parse(text))
    assert len(text.encode("utf-8")) <= SPEC.max_bytes
    assert 0 < len(ids) < SPEC.max_entries  # the bytes, not the count, were the limit here
    assert ids == [f"https://arxiv.org/abs/{e.paper.arxiv_id}" for e in entries[: len(ids)]]
    assert len(text.encode("utf-8")) > SPEC.max_bytes * 0.95  # no more left out than needed


def test_a_feed_that_cannot_hold_the_newest_day_says_which_settings_to_raise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Papers of the newest day left out never reach a feed reader: the run must say so."""
    small = msgspec.structs.replace(SPEC, max_bytes=200_000)
    ids = _ids(_parse(render_feed(small, _entries(400))))
    assert 0 < len(ids) < 150
    assert f"the feed holds {len(ids)} of the 150 papers that arrived on 2026-02-14" in caplog.text
    assert "feed.max_entries (500) or feed.max_bytes (200000)" in caplog.text
    caplog.clear()
    render_feed(SPEC, _entries(400))  # leaves out older days only
    assert not caplog.records


def test_the_default_feed_holds_a_busy_days_news_with_long_abstracts(tmp_path: Path) -> None:
    """A busy field (400 papers in a day, 1,900-character abstracts, 12 authors) sees every new
    paper in its feed reader with the default settings."""
    config_path = tmp_path / "config.yml"
    base = "title: T\nquery: cat:cs.LG\ncategories: [{name: A, keywords: [learning]}]\n"
    config_path.write_text(base, encoding="utf-8")
    feed = load_config(config_path).feed
    spec = msgspec.structs.replace(SPEC, max_entries=feed.max_entries, max_bytes=feed.max_bytes)
    day = [msgspec.structs.replace(e, arrived=date(2026, 2, 14)) for e in _entries(400)]
    text = render_feed(spec, [*day, *_entries(700)[400:]])
    ids = _ids(_parse(text))
    assert ids[:400] == [f"https://arxiv.org/abs/{e.paper.arxiv_id}" for e in day]
    assert len(text.encode("utf-8")) <= feed.max_bytes


def test_a_busy_feed_of_short_entries_stops_at_max_entries() -> None:
    entries = _entries(2_000, abstract="Short.", authors=1)
    ids = _ids(_parse(render_feed(SPEC, entries)))
    assert ids == [f"https://arxiv.org/abs/{e.paper.arxiv_id}" for e in entries[:500]]


def test_the_same_list_gives_the_same_bytes() -> None:
    """feedgen stamps `updated` with the current time unless it is set: nothing may be left to
    it, or an unchanged list would churn."""
    entries = _entries(3)
    assert render_feed(SPEC, entries) == render_feed(SPEC, list(entries))
    assert "python-feedgen" not in render_feed(SPEC, entries)


def _hostile_entries(texts: list[str]) -> list[Entry]:
    return [
        make_entry(
            make_paper(f"2602.{i:05d}", title=text, abstract=text, authors=(text, "B. Author")),
            category=text or "📂 General",
        )
        for i, text in enumerate(texts)
    ]


def _shown(text: str, limit: int) -> str:
    """arXiv's text as a reader sees it: one line, cut at `limit`."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def test_hostile_text_reads_back_as_text() -> None:
    entries = _hostile_entries([*HOSTILE, "Null \x00 and bell \x07 bytes"])
    parsed = _parse(render_feed(SPEC, entries))
    shown = [*HOSTILE, "Null and bell bytes"]
    for item, entry, text in zip(parsed.entries, entries, shown, strict=True):
        assert item.title == (_shown(text, 400) or entry.paper.versioned_id)
        assert item.summary == (_shown(text, 4000) or "(no abstract)")
        names = [author.name for author in item.authors]
        assert names == ([_shown(text, 10_000)] if text else []) + ["B. Author"]
    assert parsed.entries[0].title == HOSTILE[0]  # markup shown as written, never run


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=200), min_size=1, max_size=5))
def test_any_text_makes_a_valid_feed(texts: list[str]) -> None:
    parsed = _parse(render_feed(SPEC, _hostile_entries(texts)))
    assert _ids(parsed) == [f"https://arxiv.org/abs/2602.{i:05d}" for i in range(len(texts))]


def test_an_empty_list_is_a_valid_empty_feed() -> None:
    parsed = _parse(render_feed(SPEC, []))
    assert parsed.entries == [] and parsed.feed.subtitle == "Papers by topic."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feed:\n  path: ../feed.xml\n", "feed.path: must be a path inside the repository"),
        ("feed:\n  path: README.md\n", "feed.path: must differ from readme_path"),
        ("feed:\n  path: archive/feed.xml\n", "feed.path: must lie outside archive_dir"),
        ("feed:\n  max_entries: 0\n", "feed.max_entries: must be a whole number of at least 1"),
        ("feed:\n  max_bytes: 5000\n", "feed.max_bytes: must be a whole number of at least 10000"),
    ],
)
def test_a_bad_feed_setting_names_the_key(tmp_path: Path, text: str, expected: str) -> None:
    config = tmp_path / "config.yml"
    base = "title: T\nquery: cat:cs.NE\ncategories: [{name: A, keywords: [spiking]}]\n"
    config.write_text(base + text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(config)


def test_feedgen_is_imported_only_when_a_feed_is_written() -> None:
    """Start-up time is budgeted: a run without news never needs it."""
    probe = "import sys, digest.pipeline; print('feedgen' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_a_feed_published_to_github_links_its_page_and_itself() -> None:
    """A feed reader shows the digest's page as the feed's home and keeps the feed's own address
    (rel="self") to refresh it from."""
    web = RepositoryPages("https://github.com", "octo-org/arxiv-digest", "main")
    links = {"home_url": web.file("docs/README.md"), "self_url": web.raw("docs/feed.xml")}
    parsed = _parse(render_feed(msgspec.structs.replace(SPEC, **links), [make_entry(make_paper())]))
    found = {link.rel: (link.href, link.type) for link in parsed.feed.links}
    assert found == {
        "alternate": (
            "https://github.com/octo-org/arxiv-digest/blob/main/docs/README.md",
            "text/html",
        ),
        "self": (
            "https://raw.githubusercontent.com/octo-org/arxiv-digest/main/docs/feed.xml",
            "application/atom+xml",
        ),
    }
    assert parsed.feed.link == found["alternate"][0]


def test_a_feed_without_known_addresses_has_no_feed_level_link() -> None:
    parsed = _parse(render_feed(SPEC, [make_entry(make_paper())]))
    assert parsed.feed.get("links", []) == []
