"""The robustness summary (placement/analysis/robustness.py): its settings, its verdict and the verdict's thresholds.

The tables built from it are tested in tests/present/test_tables.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from placement.analysis import one_way, robustness
from placement.analysis.robustness import Settings
from placement.analysis.smaa import SmaaResult
from placement.analysis.weights import normalise

FEW = 4_000


def analysed(model, preset="balanced", **settings):
    weights = normalise(model.presets[preset].weights, model.factor_ids)
    return weights, robustness.analyse(model, weights, Settings(samples=FEW, **settings))


# --- settings ----------------------------------------------------------------------------------


def test_default_settings_are_fairly_sure_with_exact_scores():
    default = Settings()
    assert (default.kappa, default.doubt_cells, default.samples, default.seed) == (50.0, False, 20_000, 2024)
    assert Settings.at_level() == default
    assert Settings.at_level("Fairly sure") == default


@pytest.mark.parametrize(
    ("level", "kappa"),
    [
        ("We are sure of these weights", 200.0),
        ("Fairly sure", 50.0),
        ("Roughly these weights", 15.0),
        ("Unsure", 4.0),
        ("We have no idea", None),
    ],
)
def test_each_certainty_level_sets_its_kappa(level, kappa):
    assert Settings.at_level(level, doubt_cells=True) == Settings(kappa, True)


def test_describe_names_the_level_the_spread_and_the_doubt():
    assert Settings().describe() == "fairly sure (kappa = 50); scores as given; 20,000 samples, seed 2024"
    assert Settings(None, True, 500, 7).describe() == (
        "we have no idea (uniform over all weightings); inferred and no-evidence scores doubted ±1 each; "
        "500 samples, seed 7"
    )
    assert Settings(doubt_statements=True).describe() == (
        "fairly sure (kappa = 50); each statement's cells doubted ±1 together; 20,000 samples, seed 2024"
    )
    assert Settings(30.0).describe().startswith("kappa = 30; ")  # no level uses 30: no level named


def test_analyse_samples_as_the_settings_say(model):
    _, analysis = analysed(model, seed=11)
    assert (analysis.smaa.samples, analysis.smaa.seed) == (FEW, 11)
    assert analysis.settings == Settings(samples=FEW, seed=11)
    assert analysis.kappa == 50.0


def test_analyse_defaults_to_the_default_settings(model):
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    assert robustness.analyse(model, weights).settings == Settings()


def test_uniform_sampling_when_kappa_is_none(model):
    _, sure = analysed(model, kappa=200.0)
    _, unsure = analysed(model, kappa=None)
    assert unsure.leader_share < sure.leader_share
    assert "of all possible weightings" in robustness.verdict(model, unsure)
    assert "of plausible weightings near these" in robustness.verdict(model, sure)


def test_doubting_cells_is_passed_on(model):
    _, exact = analysed(model)
    _, doubted = analysed(model, doubt_cells=True)
    _, linked = analysed(model, doubt_statements=True)
    first = exact.smaa.acceptability[:, 0] > 0
    assert np.all(exact.smaa.confidence[first] == 1.0)
    assert np.all(np.isnan(exact.smaa.confidence[~first]))  # never first: undefined in SMAA-2, not 0
    assert np.nanmin(doubted.smaa.confidence) < 1.0
    assert np.nanmin(linked.smaa.confidence) < 1.0
    assert not np.allclose(doubted.smaa.acceptability, linked.smaa.acceptability)


def test_verdict_names_leader_share_and_hinge(model):
    _, analysis = analysed(model, "author")
    text = robustness.verdict(model, analysis)
    assert text.startswith("Reports to the Head of Product leads")
    assert f"{analysis.leader_share:.0%}" in text
    assert model.factors[analysis.hinge.factor].name in text


# --- the verdict, from hand-made figures --------------------------------------------------------


def made(stabilities, share=0.9, leader=0, kappa=50.0):
    """A Robustness with the given stabilities and a leader that is first in `share` of samples."""
    acceptability = np.zeros((4, 4))
    acceptability[leader, 0] = share
    return robustness.Robustness(
        leader, stabilities, [], SmaaResult(acceptability, None, None, None, 100, 1), Settings(kappa)
    )


def stable(factor=0, current=0.5, low=0.0, high=1.0, taker_low=None, taker_high=None):
    return one_way.Stability(factor, current, low, high, taker_low, taker_high)


def test_verdict_when_nobody_takes_over_upwards_at_an_equal_distance(model):
    """Regression: the upper bound 1 (nobody above) is as far as the lower crossing; the old code named nobody and crashed."""
    hinge = stable(current=0.5, low=0.0, high=1.0, taker_low=2, taker_high=None)
    assert hinge.slack == 0.5
    text = robustness.verdict(model, made([hinge]))
    assert text.endswith(f"moving its weight from 50% to 0% hands the lead to {model.placements[2].name}.")


def test_verdict_when_nobody_takes_over_downwards_at_an_equal_distance(model):
    hinge = stable(current=0.5, low=0.0, high=1.0, taker_low=None, taker_high=3)
    text = robustness.verdict(model, made([hinge]))
    assert text.endswith(f"moving its weight from 50% to 100% hands the lead to {model.placements[3].name}.")


def test_verdict_takes_the_nearer_crossing(model):
    hinge = stable(factor=1, current=0.5, low=0.375, high=0.75, taker_low=1, taker_high=2)
    text = robustness.verdict(model, made([stable(factor=0), hinge]))
    assert f"hinges on {model.factors[1].name}: moving its weight from 50% to 38%" in text
    assert text.endswith(f"hands the lead to {model.placements[1].name}.")


def test_verdict_when_no_single_weight_dethrones_the_leader(model):
    text = robustness.verdict(model, made([stable(factor=0), stable(factor=1)], share=1.0))
    assert text == (
        f"{model.placements[0].name} leads and the lead is solid: it stays first in 100% of plausible weightings"
        " near these, and no change to a single factor's weight dethrones it."
    )


def test_the_cli_example_that_crashed(model):
    """`sensitivity --weight pm_alignment=1 --weight cross_functional_efficiency=4` once crashed.

    Worked by hand (weights 0.2 and 0.8): biz_ops scores 1.4 and leads; head_of_product and product_areas
    0.2. Raising Credibility (biz_ops -2, both others +1) from 0 to t: 1.4 (1 - t) - 2t = 0.2 (1 - t) + t
    at t = 1.2 / 4.2 = 29%, nearer than PM alignment or Cross-functional efficiency (each 30 points away).
    """
    weights = normalise({"pm_alignment": 1, "cross_functional_efficiency": 4}, model.factor_ids)
    analysis = robustness.analyse(model, weights, Settings(samples=500))
    text = robustness.verdict(model, analysis)
    assert "hinges on Credibility on PM day-to-day: moving its weight from 0% to 29% hands the lead to" in text


@pytest.mark.parametrize(
    ("share", "slack", "expected"),
    [
        (0.8, 0.05, "solid"),  # both exactly at their thresholds
        (1.0, np.inf, "solid"),
        (0.79, 0.05, "fairly robust"),  # share just under SOLID_SHARE
        (0.5, 0.5, "fairly robust"),  # exactly one half is not yet fragile
        (0.49, 0.5, "fragile"),
        (0.8, 0.049, "fragile"),  # slack just under FRAGILE_ROOM, however high the share
        (1.0, 0.0, "fragile"),
    ],
)
def test_strength_thresholds(share, slack, expected):
    assert (robustness.SOLID_SHARE, robustness.FRAGILE_ROOM) == (0.8, 0.05)
    assert robustness.strength(share, slack) == expected


@pytest.mark.parametrize(
    ("share", "slack", "expected"),
    [
        (0.8, 0.0625, "solid"),
        (0.75, 0.0625, "fairly robust"),
        (0.9, 0.03125, "fragile"),
        (0.25, 0.5, "fragile"),
    ],
)
def test_verdict_states_the_strength(model, share, slack, expected):
    hinge = stable(current=0.5, low=0.0, high=0.5 + slack, taker_high=1)
    assert hinge.slack == slack
    text = robustness.verdict(model, made([hinge], share=share))
    assert f"leads and the lead is {expected}: it stays first in {share:.0%} " in text


# --- computed once per model, weights and settings ---------------------------------------------------


@pytest.fixture
def sampled(monkeypatch):
    """Counts the SMAA runs (and starts from an empty cache)."""
    calls = []
    real = robustness.smaa.smaa
    monkeypatch.setattr(robustness.smaa, "smaa", lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    robustness._analyses.clear()
    yield calls
    robustness._analyses.clear()


def test_the_same_model_weights_and_settings_reuse_the_analysis(model, sampled):
    weights, first = analysed(model)
    again = robustness.analyse(model, dict(reversed(weights.items())), Settings(samples=FEW))  # order is no matter
    assert again is first and len(sampled) == 1
    with pytest.raises(ValueError, match="read-only"):
        first.smaa.acceptability[0, 0] = 1.0  # shared by every session: nobody may change it


@pytest.mark.parametrize(
    "change",
    ["weights", "certainty", "doubt", "samples", "seed", "edited model"],
)
def test_any_change_to_what_it_depends_on_samples_again(model, sampled, change):
    from placement.data.editing import set_score  # noqa: PLC0415

    weights, first = analysed(model)
    settings = Settings(samples=FEW)
    if change == "weights":
        weights = normalise({**weights, model.factor_ids[0]: weights[model.factor_ids[0]] + 0.01}, model.factor_ids)
    elif change == "edited model":
        model = set_score(model, model.placement_ids[0], model.factor_ids[0], -2)
    else:
        settings = {
            "certainty": Settings.at_level("Unsure"),
            "doubt": Settings(doubt_cells=True),
            "samples": Settings(),
            "seed": Settings(seed=7),
        }[change]
        settings = Settings(
            settings.kappa, settings.doubt_cells, FEW if change != "samples" else FEW + 1, settings.seed
        )
    second = robustness.analyse(model, weights, settings)
    assert second is not first and len(sampled) == 2
    assert robustness.analyse(model, weights, settings) is second and len(sampled) == 2


def test_a_dropped_model_takes_its_analyses_with_it(model, sampled):
    import gc  # noqa: PLC0415

    from placement.data.editing import set_score  # noqa: PLC0415

    edited = set_score(model, model.placement_ids[0], model.factor_ids[0], -2)
    robustness.analyse(edited, normalise(model.presets["balanced"].weights, model.factor_ids), Settings(samples=FEW))
    held = len(robustness._analyses)
    del edited
    gc.collect()
    assert len(robustness._analyses) == held - 1
