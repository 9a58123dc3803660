"""The tone meter: calibration against the labelled set, reasons, limits, enforcement."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from scipy.stats import spearmanr

from followhome.tone.scorer import score
from tests.conftest import ROOT, TONE_AGREEMENT, Project, copy_demo, run_tool
from tests.helpers import BRAND, minimal_project, story, update

LABELLED = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "tone_labelled.yml").read_text(encoding="utf-8")
)
PASSAGES: list[dict[str, Any]] = LABELLED["passages"]

SPEARMAN_MIN = 0.85
WITHIN_ONE_MIN = 0.65


def test_labelled_set_covers_the_whole_scale() -> None:
    assert len(PASSAGES) >= 80
    assert len({p["id"] for p in PASSAGES}) == len(PASSAGES)
    counts = {v: sum(p["volume"] == v for p in PASSAGES) for v in range(11)}
    assert all(n >= 5 for n in counts.values()), counts
    assert all(p["reason"].strip() for p in PASSAGES)


def test_agreement_with_the_labels() -> None:
    labels = [p["volume"] for p in PASSAGES]
    predicted = [score(p["text"]).volume for p in PASSAGES]
    rho = float(spearmanr(labels, predicted).statistic)
    within = sum(abs(a - b) <= 1 for a, b in zip(labels, predicted, strict=True)) / len(PASSAGES)
    mean_error = sum(abs(a - b) for a, b in zip(labels, predicted, strict=True)) / len(PASSAGES)
    TONE_AGREEMENT.append(
        f"{len(PASSAGES)} passages: Spearman {rho:.3f} (threshold {SPEARMAN_MIN}), "
        f"within ±1 {within:.0%} (threshold {WITHIN_ONE_MIN:.0%}), mean absolute error {mean_error:.2f}"
    )
    assert rho >= SPEARMAN_MIN
    assert within >= WITHIN_ONE_MIN


def test_score_is_deterministic_and_bounded() -> None:
    for passage in PASSAGES:
        first = score(passage["text"])
        assert first == score(passage["text"])
        assert 0 <= first.volume <= 10


def test_reasons_name_the_phrases() -> None:
    result = score("HUGE SALE!!! 50% off everything, today only. Shop now: https://shop.example/shop/sale")
    signals = {r.signal: r.phrase for r in result.reasons}
    assert result.volume >= 9
    assert "50%" in signals["discount"]
    assert signals["urgency"] == "today only"
    assert signals["call to action"] == "Shop now"
    assert signals["shop link"] == "https://shop.example/shop/sale"
    assert signals["capitals"] == "HUGE"
    assert signals["exclamation marks"] == "!!!"


@pytest.mark.parametrize(
    ("text", "at_most"),
    [
        ("Keep an opened bottle in the fridge with the cork back in; most whites last three days.", 0.5),
        ("The council raised parking fees on Market Street to £3 an hour.", 1.5),
        ("URGENT: a gas main is damaged on Fore Street; please avoid the area.", 1.5),
        ("Huge thanks to everyone who came to the litter pick on Sunday!", 1.5),
    ],
)
def test_non_commercial_text_stays_quiet(text: str, at_most: float) -> None:
    assert score(text).volume <= at_most


def test_quiet_end_is_ordered() -> None:
    how_to = "Keep an opened bottle in the fridge with the cork back in; most whites last three days."
    mention = how_to + " We keep a few spare stoppers by the till if you need one."
    soft_sell = mention + " Our new preservation kit is in stock at £24.99; pick one up this week."
    assert score(how_to).volume < score(mention).volume < score(soft_sell).volume


def test_long_text_dilutes_one_mention() -> None:
    mention = "We keep a few spare stoppers by the till."
    padding = " ".join(["Keep the bottle upright in a cool place and drink it within a few days."] * 12)
    assert score(padding + " " + mention).volume < score(mention).volume


def test_labelled_set_has_copy_louder_than_the_demo_brand() -> None:
    brand = yaml.safe_load((ROOT / "content" / "brand.yml").read_text(encoding="utf-8"))
    loudest_limit = max([brand["tone"]["volume"], *brand["tone"]["channels"].values()])
    assert sum(score(p["text"]).volume > loudest_limit for p in PASSAGES) >= 20


# --- the build -----------------------------------------------------------------------


def _tone_project(tmp_path: Path, enforce: bool, channels: str = "") -> Project:
    minimal_project(tmp_path)
    brand = BRAND.replace(
        "tone:\n  volume: 3\n", f"tone:\n  volume: 3\n  enforce: {str(enforce).lower()}\n{channels}"
    )
    (tmp_path / "content" / "brand.yml").write_text(brand, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - followhome-tone\n", encoding="utf-8")
    project = Project(tmp_path)
    loud = update(title="HUGE SALE today only", kind="offer", expires="2027-01-01")
    project.write(
        "updates/loud.md", loud.replace("Body of HUGE SALE today only.", "50% off everything! Shop now!!!")
    )
    project.write("stories/quiet.md", story())
    return project


def test_too_loud_is_a_warning_that_fails_strict_when_enforced(tmp_path: Path) -> None:
    run = _tone_project(tmp_path, enforce=True).run_build()
    assert run.returncode != 0
    assert (
        "WARNING -  followhome-tone: content/updates/loud.md: tone: the update 'HUGE SALE today only' scores"
        in run.stderr
    )
    line = next(line for line in run.stderr.splitlines() if "content/updates/loud.md" in line)
    assert (
        "louder than the email limit 3 and the feed limit 3 and the site limit 3 and the social limit 3"
        in line
    )
    assert "top reasons: discount: '50%'" in line
    assert "Fix: quieten the copy" in line
    assert "content/stories/quiet.md" not in run.stderr


def test_too_loud_is_only_advice_when_not_enforced(tmp_path: Path) -> None:
    run = _tone_project(tmp_path, enforce=False).run_build()
    assert run.returncode == 0, run.stderr
    assert "INFO    -  followhome-tone: content/updates/loud.md: tone:" in run.stderr


def test_per_channel_limits(tmp_path: Path) -> None:
    channels = "  channels:\n    site: 10\n    feed: 10\n    social: 10\n"
    run = _tone_project(tmp_path, enforce=True, channels=channels).run_build()
    line = next(line for line in run.stderr.splitlines() if "content/updates/loud.md" in line)
    assert "louder than the email limit 3 (brand.yml)" in line
    assert "site limit" not in line
    assert "raise tone.volume or tone.channels.email in brand.yml" in line


def test_story_is_judged_only_in_its_consented_channels(tmp_path: Path) -> None:
    project = _tone_project(tmp_path, enforce=True, channels="  channels:\n    email: 0\n")
    (project.content / "updates" / "loud.md").unlink()
    project.write(
        "stories/quiet.md",
        story(channels="[site]", quote="Best shop ever! Buy the half price deal today only!"),
    )
    run = project.run_build()
    line = next(line for line in run.stderr.splitlines() if "content/stories/quiet.md: tone:" in line)
    assert "louder than the site limit 3 (brand.yml)" in line  # consent is [site]: email's 0 does not apply


def test_demo_content_sits_within_the_brand_volume(demo: Project) -> None:
    run = demo.run_build()
    assert run.returncode == 0
    assert "followhome-tone" not in run.stderr


# --- the command -----------------------------------------------------------------------


def _tone(*args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("followhome", "tone", *args, cwd=ROOT)


def test_tone_command_table_and_json() -> None:
    table = _tone()
    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split()[:3] == ["volume", "limit", "status"]
    assert "content/updates/a-mixed-case-from-small-growers.md" in table.stdout
    as_json = json.loads(_tone("--json", "content/updates").stdout)
    assert {row["path"].split("/")[1] for row in as_json} == {"updates"}
    offer = next(row for row in as_json if row["path"].endswith("a-mixed-case-from-small-growers.md"))
    assert offer["reasons"][0]["signal"] == "discount"
    assert offer["limit"] == 4 and offer["too_loud_for"] == []
    assert _tone("content/nope.md").returncode == 2


def test_tone_command_on_a_copy_with_loud_copy(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    project.write(
        "updates/loud.md",
        update(title="Mega deal", kind="offer").replace(
            "Body of Mega deal.", "BUY NOW!!! 70% off, today only!"
        ),
    )
    run = run_tool("followhome", "tone", "--json", cwd=project.root)
    row = next(r for r in json.loads(run.stdout) if r["path"].endswith("loud.md"))
    assert row["too_loud_for"] == ["email", "feed", "site", "social"]
