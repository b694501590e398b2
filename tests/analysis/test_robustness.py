"""The robustness summary: verdict and tables agree with the underlying analyses."""

from placement.analysis import robustness
from placement.analysis.weights import normalise


def analysed(model, preset="balanced", **options):
    weights = normalise(model.presets[preset].weights, model.factor_ids)
    return weights, robustness.analyse(model, weights, samples=4_000, **options)


def test_verdict_names_leader_share_and_hinge(model):
    _, analysis = analysed(model, "author")
    text = robustness.verdict(model, analysis)
    assert text.startswith("Reports to the Head of Product leads")
    assert f"{analysis.leader_share:.0%}" in text
    assert model.factors[analysis.hinge.factor].name in text


def test_stability_table_is_ordered_by_smallest_flip(model):
    _, analysis = analysed(model)
    table = robustness.stability_table(model, analysis)
    flips = table["smallest flip"].dropna().tolist()
    assert flips == sorted(flips)
    assert len(table) == len(model.factors)


def test_takeover_table_covers_every_other_placement(model):
    _, analysis = analysed(model)
    table = robustness.takeover_table(model, analysis)
    assert len(table) == len(model.placements) - 1
    assert table["what it takes"].str.contains("Raise|Lower|No change").all()


def test_uniform_sampling_when_kappa_is_none(model):
    _, sure = analysed(model, kappa=200.0)
    _, unsure = analysed(model, kappa=None)
    assert unsure.leader_share < sure.leader_share


def test_sweep_and_crossing_tables(model):
    weights, _ = analysed(model)
    sweep = robustness.sweep_table(model, weights, "ops_empathy")
    assert set(sweep["weight"]) == {0.0, 1.0} and len(sweep) == 2 * len(model.placements)
    crossings = robustness.crossing_table(model, weights, "ops_empathy")
    assert (crossings["weight"].between(0, 1)).all()
    assert "Head of Product = Operations" in crossings["crossing"].tolist()
