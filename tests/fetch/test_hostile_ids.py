"""An entry's id is arXiv's only if it follows arXiv's grammar: anything else is skipped with
a warning, so a tampered answer cannot put an image or a link into what the digest publishes."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import use_github
from tests.digest_site import Site, at
from tests.fake_arxiv import FakeArxiv, FakePaper, seed_fake_papers
from tests.fake_github import FakeGitHub, history, init_backing_repo, read_files
from tests.markdown_html import rendered_tree

HOSTILE_ID = (
    'http://arxiv.org/abs/2602.00001)<img src="https://evil.example/pixel.png">'
    "[Claim your prize](https://evil.example/phish) (v1"
)
NOW = at("2026-02-14")


def _paper(arxiv_id: str, served_id: str | None = None) -> FakePaper:
    moment = at("2026-02-12", hour=9)
    return FakePaper(
        arxiv_id=arxiv_id,
        title="Spiking neural networks on a memristor crossbar",
        authors=("A. Author",),
        abstract="A spiking neural network runs on a memristor crossbar.",
        published=moment,
        updated=moment,
        served_id=served_id,
    )


@pytest.fixture
def github(
    tmp_path: Path, arxiv_env: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeGitHub]:
    arxiv_env.set_papers(seed_fake_papers())
    seed = Site.create(tmp_path / "seed")
    files = {name: content.decode("utf-8") for name, content in seed.files().items()}
    with FakeGitHub(init_backing_repo(tmp_path / "origin.git", files)) as fake:
        use_github(fake, monkeypatch)
        yield fake


def test_a_hostile_id_reaches_no_published_text_and_is_named_harmlessly(
    tmp_path: Path,
    github: FakeGitHub,
    arxiv_env: FakeArxiv,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    arxiv_env.add(_paper("2602.99998", served_id=HOSTILE_ID), _paper("hep-th/9901001"))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(github.repo_dir), str(checkout)], check=True)
    assert Site(checkout).run(NOW.isoformat()) == 0

    published = read_files(github.repo_dir, "main")
    message = history(github.repo_dir, "main")[0].message
    texts = {**published, "commit message": message, "job summary": summary.read_text()}
    texts["stdout"], texts["stderr"] = capsys.readouterr()
    assert [name for name, text in texts.items() if "evil.example" in text] == []
    tree = rendered_tree(published["README.md"])
    assert tree.find_all("img") == []
    assert "https://arxiv.org/abs/hep-th/9901001v1" in {
        a.attrs["href"] for a in tree.find_all("a")
    }  # the old grammar is arXiv's too
    warnings = [line for line in texts["stderr"].splitlines() if "not a versioned arXiv id" in line]
    assert warnings == [
        "warning: arXiv sent an entry whose id is not a versioned arXiv id, skipped: "
        "'2602.00001)<img src=\"ht\\u2026'"
    ]


@pytest.mark.parametrize(
    "served",
    [
        "http://arxiv.org/abs/２６０２.00001v1",  # full-width digits
        "http://arxiv.org/abs/2602.٠٠٠٠١v1",  # Arabic-Indic digits
        "http://arxiv.org/abs/2602.00001v1\n",
        "http://arxiv.org/abs/2602.00001v0",
        "http://arxiv.org/abs/2613.00001v1",  # no 13th month
        "http://arxiv.org/abs/2602.001v1",
        "http://arxiv.org/abs/2602.00001v" + "9" * 5000,
        "http://arxiv.org/abs/../../2602.00001v1",
        "http://arxiv.org/abs/hep-th/9901001v1#x",
        "http://arxiv.org/abs/HEP-TH/9901001v1",
    ],
)
def test_ids_that_only_look_like_arxivs_are_skipped(
    tmp_path: Path, arxiv_env: FakeArxiv, local_mode: None, served: str
) -> None:
    arxiv_env.set_papers([_paper("2602.99998", served_id=served), _paper("2602.99997")])
    site = Site.create(tmp_path / "site")
    assert site.run(NOW.isoformat()) == 0
    assert site.listed() == [("2602.99997", 1)]
    assert [record["id"] for record in site.archived()] == ["2602.99997"]
