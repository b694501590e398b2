"""Turning what people enter into normalised weights (docs/methods.md)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from placement.data.problems import InputError, Problem


def normalise(raw: Mapping[str, float], factor_ids: list[str]) -> dict[str, float]:
    """Direct weighting: non-negative numbers scaled to sum to 1, in factor order.

    Factors missing from `raw` count as 0. All-zero input is an input error rather
    than a division by zero.
    """
    problems = [
        Problem("weights", f"unknown factor '{name}'", f"use one of {', '.join(factor_ids)}")
        for name in raw
        if name not in factor_ids
    ]
    values = np.array([float(raw.get(f, 0.0)) for f in factor_ids])
    for factor_id, value in zip(factor_ids, values, strict=True):
        if not np.isfinite(value) or value < 0:
            problems.append(Problem("weights", f"weight of '{factor_id}' is {value:g}", "use a number of 0 or more"))
    if not problems and values.sum() <= 0:
        problems.append(Problem("weights", "every weight is zero", "give at least one factor a weight above 0"))
    if problems:
        raise InputError(problems)
    scaled = values / values.max()  # first bring huge weights down, so that the sum cannot overflow
    return dict(zip(factor_ids, scaled / scaled.sum(), strict=True))


def same_weights(a: Mapping[str, float], b: Mapping[str, float], tolerance: float = 1e-9) -> bool:
    """Whether two normalised weightings are the same (same factors, equal weights)."""
    return a.keys() == b.keys() and all(abs(a[f] - b[f]) <= tolerance for f in a)


def rank_order_centroid(ranks: Mapping[str, int], factor_ids: list[str]) -> dict[str, float]:
    """Rank-order-centroid weights from ranks (1 = most important; ties allowed).

    w_i = (1/n) * sum_{k=i..n} 1/k for the factor in position i of n. Tied factors
    share the mean of the weights of the positions they occupy.
    """
    missing = [f for f in factor_ids if f not in ranks]
    if missing:
        raise InputError([Problem("ranks", f"no rank for {', '.join(missing)}", "give every factor a rank")])
    n = len(factor_ids)
    position_weights = [sum(1.0 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    ordered = sorted(factor_ids, key=lambda f: ranks[f])
    weights: dict[str, float] = {}
    start = 0
    while start < n:
        end = start
        while end + 1 < n and ranks[ordered[end + 1]] == ranks[ordered[start]]:
            end += 1
        shared = float(np.mean(position_weights[start : end + 1]))
        for factor_id in ordered[start : end + 1]:
            weights[factor_id] = shared
        start = end + 1
    return {f: weights[f] for f in factor_ids}
