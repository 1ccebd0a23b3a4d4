"""The examples/ configs place papers of their fields as well as the README says.

Each example is scored by scripts/evaluate_categories.py, as a forker would score it, against
papers of its field labelled by hand (the labels files say who labelled them and how). A change
to an example's keywords or descriptions, or to the categorizer, that costs accuracy fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

# (example, labels, floor acceptable %, floor first choice %): the measured figures, rounded down.
EXAMPLES = [
    ("cs-ai-agents.yml", "cs_ai_labels.json", 97.0, 82.0),
    ("astro-ph-exoplanets.yml", "exoplanet_labels.json", 94.0, 82.0),
    ("q-bio-neuro.yml", "q_bio_neuro_labels.json", 100.0, 88.0),
]


def percent(output: str, name: str) -> float:
    match = re.search(rf"^{name}:\s+\d+/\d+ = ([\d.]+)%$", output, re.MULTILINE)
    assert match, output
    return float(match.group(1))


@pytest.mark.parametrize(("example", "labels", "acceptable", "first"), EXAMPLES)
def test_an_example_keeps_its_measured_accuracy(
    example: str, labels: str, acceptable: float, first: float
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "evaluate_categories.py"),
            str(FIXTURES / labels),
            "--config",
            str(ROOT / "examples" / example),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert percent(out, "acceptable") >= acceptable, out
    assert percent(out, "first choice") >= first, out
    # And the categorizer beats the old bot's counting of the same keywords.
    old = out.split("old counting")[1]
    assert percent(old, "  first choice") < percent(out, "first choice"), out
