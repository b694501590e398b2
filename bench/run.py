"""`make bench`: page rerun times against a bare Streamlit baseline, and SMAA-2 timings.

Rerun times are measured server-side with Streamlit's AppTest (script run plus
element tree), as the median over REPEATS reruns that each change a weight.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from placement.model import load_model
from placement.smaa import smaa
from placement.weights import normalise

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 41
BASELINE = """
import altair as alt
import pandas as pd
import streamlit as st

value = st.slider("weight", 0, 10, 5, key="weight")
data = pd.DataFrame({"placement": list("ABCD"), "score": [value, 10 - value, 5, 3]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="score:Q", y="placement:N"))
"""


def median_ms(timings: list[float]) -> float:
    return 1000 * statistics.median(timings)


def rerun_seconds(at: AppTest, slider_key: str, value: int) -> float:
    at.slider(key=slider_key).set_value(value)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def page_reruns(baseline_script: Path) -> dict[str, float]:
    """Median rerun time per app; the apps take turns so that machine noise hits all alike."""
    apps = {
        "baseline": (AppTest.from_file(str(baseline_script), default_timeout=60).run(), "weight"),
        "explore": (AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run(), "slider_ops_empathy"),
        "sensitivity": (
            AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            .run()
            .switch_page("pages/2_Sensitivity.py")
            .run(),
            "slider_ops_empathy",
        ),
    }
    timings: dict[str, list[float]] = {name: [] for name in apps}
    for i in range(REPEATS):
        for name, (at, key) in apps.items():
            timings[name].append(rerun_seconds(at, key, 3 if i % 2 else 7))
    return {name: median_ms(values) for name, values in timings.items()}


def smaa_ms(samples: int) -> float:
    model = load_model()
    weights = np.array(list(normalise(model.presets["balanced"].weights, model.factor_ids).values()))
    timings = []
    for seed in range(15):
        start = time.perf_counter()
        smaa(model.matrix, weights, samples=samples, seed=seed)
        timings.append(time.perf_counter() - start)
    return median_ms(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE)
        reruns = page_reruns(script)
    base, explore, sensitivity = reruns["baseline"], reruns["explore"], reruns["sensitivity"]
    print(f"Rerun after a weight change (median of {REPEATS}, AppTest, server side)")
    print(f"  bare Streamlit (1 slider + 1 Altair chart) {base:8.1f} ms")
    print(f"  Explore page                               {explore:8.1f} ms   ratio {explore / base:4.1f}x")
    print(f"  Sensitivity page (SMAA-2, 20,000 samples)  {sensitivity:8.1f} ms   ratio {sensitivity / base:4.1f}x")
    print("SMAA-2, 4 placements x 8 factors (median of 15)")
    for samples in (20_000, 100_000):
        print(f"  {samples:>7,} samples                            {smaa_ms(samples):8.1f} ms")


if __name__ == "__main__":
    main()
