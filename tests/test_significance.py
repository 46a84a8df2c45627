"""Intervals and tests of skrnn._significance: hand computations, simulations, bad inputs."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from skrnn import compare_backtests, compare_cv_results, compare_forecasts
from skrnn._statistics import (
    block_sums,
    bootstrap_intervals,
    diebold_mariano,
    holm,
    politis_white_block_length,
)

# Fixed errors of two forecasts (forecast minus truth, truth = 0).
E1 = np.array([0.3, -1.2, 0.8, 0.1, -0.4, 1.5, -0.7, 0.2, 0.9, -1.1, 0.6, -0.3])
E2 = np.array([1.1, -0.2, 1.4, -0.9, 0.5, 2.1, -1.6, 0.4, -0.2, -1.8, 1.3, 0.7])


def ar1(rng, shape, phi, burn=50):
    """AR(1) series along the last axis, unit innovations, started from stationarity."""
    noise = rng.normal(size=(*shape[:-1], shape[-1] + burn))
    out = np.empty_like(noise)
    out[..., 0] = noise[..., 0] / math.sqrt(1 - phi**2)
    for t in range(1, noise.shape[-1]):
        out[..., t] = phi * out[..., t - 1] + noise[..., t]
    return out[..., burn:]


def dm_by_hand(d, h):
    """Diebold-Mariano with the HLN correction, written out from the papers' formulas."""
    n = len(d)
    mean = sum(d) / n
    gamma = [sum((d[t] - mean) * (d[t - k] - mean) for t in range(k, n)) / n for k in range(h)]
    variance, kernel = gamma[0] + 2 * sum(gamma[1:]), "truncated"
    if variance <= 0:  # Newey-West's Bartlett weights 1 - k/h
        variance = gamma[0] + 2 * sum((1 - k / h) * gamma[k] for k in range(1, h))
        kernel = "bartlett"
    dm = mean / math.sqrt(variance / n)
    hln = dm * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    return hln, 2 * (1 - stats.t.cdf(abs(hln), df=n - 1)), kernel


@pytest.mark.parametrize("h", [1, 2, 3])
def test_diebold_mariano_equals_the_hand_computation(h):
    result = compare_forecasts(np.zeros(12), {"a": E1, "b": E2}, horizon=h, block_length=2,
                               n_resamples=50, random_state=0)
    pair = result.pairs.iloc[0]
    statistic, p_value, kernel = dm_by_hand(list(E1**2 - E2**2), h)
    assert kernel == ("bartlett" if h == 3 else "truncated")  # both branches are checked
    assert (pair["model"], pair["other"], pair["variance"]) == ("a", "b", kernel)
    assert pair["statistic"] == pytest.approx(statistic, rel=1e-12)
    assert pair["p_value"] == pytest.approx(p_value, rel=1e-10)
    assert pair["loss_difference"] == pytest.approx(np.mean(E1**2 - E2**2))
    # absolute loss: the same statistic on |e1| - |e2|
    absolute = compare_forecasts(np.zeros(12), {"a": E1, "b": E2}, horizon=h, loss="absolute",
                                 block_length=2, n_resamples=50)
    assert absolute.pairs["statistic"].iloc[0] == pytest.approx(
        dm_by_hand(list(np.abs(E1) - np.abs(E2)), h)[0], rel=1e-12)


def test_diebold_mariano_matches_statsmodels_building_blocks():
    import statsmodels.api as sm
    from statsmodels.tsa.stattools import acovf

    d = E1**2 - E2**2
    n, h = len(d), 2
    gamma = acovf(d, nlag=h - 1, fft=False, demean=True)  # divisor n, as DM's
    hln = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    expected = hln * d.mean() / math.sqrt((gamma[0] + 2 * gamma[1:].sum()) / n)
    assert diebold_mariano(d, h)[0] == pytest.approx(expected, rel=1e-12)
    # A differential whose truncated long-run variance is negative: Newey-West's Bartlett
    # weights, as statsmodels' HAC standard error of a mean with maxlags = h - 1.
    rng = np.random.default_rng(3)
    d = 0.3 + np.tile([1.0, -1.0], 20) + 0.1 * rng.normal(size=40)
    statistic, _, kernel = diebold_mariano(d, 2)
    fit = sm.OLS(d, np.ones(40)).fit(cov_type="HAC",
                                     cov_kwds={"maxlags": 1, "use_correction": False})
    hln = math.sqrt((40 + 1 - 4 + 2 / 40) / 40)
    assert str(kernel) == "bartlett"
    assert statistic == pytest.approx(hln * d.mean() / fit.bse[0], rel=1e-10)


def test_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.01, 0.04, 0.03, 0.2, 0.005, 0.04])
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-12)


def test_size_is_nominal_when_forecasts_are_equally_accurate():
    rng = np.random.default_rng(0)
    # one-step forecasts with errors correlated across the two models
    common, own = rng.normal(size=(1000, 150)), rng.normal(size=(2, 1000, 150))
    e1, e2 = 0.6 * common + 0.8 * own[0], 0.6 * common + 0.8 * own[1]
    p_value = diebold_mariano(e1**2 - e2**2, 1)[1]
    assert abs(np.mean(p_value < 0.05) - 0.05) <= 0.02
    # three-step forecasts: errors MA(2), as the overlap of h-step errors makes them
    w = rng.normal(size=(2, 1000, 152))
    e = w[..., 2:] + 0.8 * w[..., 1:-1] + 0.5 * w[..., :-2]
    p_value = diebold_mariano(e[0] ** 2 - e[1] ** 2, 3)[1]
    assert abs(np.mean(p_value < 0.05) - 0.05) <= 0.02
    # uncorrected DM with the normal law over-rejects on short spans; HLN does not
    w = rng.normal(size=(2, 4000, 22))
    e = w[..., 2:] + 0.8 * w[..., 1:-1] + 0.5 * w[..., :-2]
    statistic, p_value, _ = diebold_mariano(e[0] ** 2 - e[1] ** 2, 3)
    n, h = 20, 3
    raw = statistic / math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    assert np.mean(2 * stats.norm.sf(np.abs(raw)) < 0.05) > np.mean(p_value < 0.05) + 0.03


def test_rejects_for_a_clearly_better_forecast():
    rng = np.random.default_rng(1)
    y = rng.normal(size=250)
    result = compare_forecasts(y, {"sharp": y + rng.normal(scale=1.0, size=250),
                                   "blurred": y + rng.normal(scale=1.5, size=250)},
                               random_state=0)
    assert result.best() == "sharp"
    pair = result.pairs.iloc[0]
    assert pair["statistic"] < 0 and pair["p_holm"] < 1e-6
    assert result.indistinguishable_from_best() == []
    assert "every other model is significantly worse" in result.summary()
    # and power: 1000 such comparisons on 200 rows, standard deviations 1 and 1.3
    e = rng.normal(size=(2, 1000, 200)) * np.array([1.0, 1.3])[:, None, None]
    assert np.mean(diebold_mariano(e[0] ** 2 - e[1] ** 2, 1)[1] < 0.05) > 0.9


def test_identical_forecasts_get_statistic_zero_and_p_one():
    y = np.arange(30.0)
    result = compare_forecasts(y, {"a": y + 1, "b": y + 1, "c": y - 1}, random_state=0)
    pairs = result.pairs.set_index(["model", "other"])
    assert pairs.loc[("a", "b"), "statistic"] == 0 and pairs.loc[("a", "b"), "p_value"] == 1
    # c's squared errors equal a's too: every model is as good as the best
    assert sorted(result.indistinguishable_from_best()) == ["b", "c"]


def test_holm_across_all_pairs_and_p_vs_best_and_baseline():
    rng = np.random.default_rng(2)
    y = rng.normal(size=200)
    scales = {"a": 1.0, "b": 1.05, "c": 1.6, "d": 1.0}
    result = compare_forecasts(
        y, {name: y + rng.normal(scale=s, size=200) for name, s in scales.items()},
        baseline="d", random_state=0)
    pairs = result.pairs
    assert len(pairs) == 6
    np.testing.assert_allclose(pairs["p_holm"], holm(pairs["p_value"]))
    models = result.models.set_index("model")
    best = result.best()
    assert best == models["rmse"].idxmin()
    assert np.isnan(models.loc[best, "p_vs_best"]) and np.isnan(models.loc["d", "p_vs_baseline"])
    for name in models.index.drop(best):
        row = pairs[((pairs["model"] == name) & (pairs["other"] == best))
                    | ((pairs["model"] == best) & (pairs["other"] == name))]
        assert models.loc[name, "p_vs_best"] == row["p_holm"].item()
    assert "c" not in result.indistinguishable_from_best()
    assert "Holm-adjusted across the 6 pairs" in result.summary()
    assert "Holm" in result.models.attrs["multiple_testing"]
    assert "Harvey-Leybourne-Newbold" in result.pairs.attrs["test"]


def test_block_sums_equal_explicit_circular_resampling():
    rng = np.random.default_rng(4)
    values = rng.normal(size=(2, 23))
    b, n = 5, 23
    k = math.ceil(n / b)
    lengths = np.r_[np.full(k - 1, b), n - (k - 1) * b]
    starts = rng.integers(n, size=(7, k))
    wrapped = np.concatenate([values, values[:, :b]], axis=1)
    cumulative = np.concatenate([np.zeros((2, 1)), np.cumsum(wrapped, axis=1)], axis=1)
    sums = block_sums(cumulative, starts, lengths)
    for r in range(7):
        resample = np.concatenate([values[:, (s + np.arange(length)) % n]
                                   for s, length in zip(starts[r], lengths, strict=True)],
                                  axis=1)
        assert resample.shape == (2, n)
        np.testing.assert_allclose(sums[:, r].sum(axis=1), resample.sum(axis=1))
        np.testing.assert_allclose(sums[:, r, 1], values[:, (starts[r, 1] + np.arange(b)) % n]
                                   .sum(axis=1))


def test_interval_is_the_studentized_block_bootstrap_written_out():
    rng = np.random.default_rng(5)
    e = rng.normal(size=(1, 40)) ** 2
    b, n, R = 4, 40, 300
    low, high = bootstrap_intervals(e, b, R, 0.9, np.random.RandomState(7))
    starts = np.random.RandomState(7).randint(n, size=(R, 10))  # the same draws
    mean = e.mean()
    blocks = [e[0, (j + np.arange(b)) % n].sum() for j in range(n)]
    se = math.sqrt(np.mean([(s - b * mean) ** 2 for s in blocks]) / (b * n))
    t = []
    for row in starts:
        sums = np.array([e[0, (s + np.arange(b)) % n].sum() for s in row])
        star = sums.sum() / n
        t.append((star - mean) / (math.sqrt(np.sum((sums - b * star) ** 2)) / n))
    q_low, q_high = np.quantile(t, [0.05, 0.95])
    assert low[0] == pytest.approx(mean - q_high * se, rel=1e-10)
    assert high[0] == pytest.approx(mean - q_low * se, rel=1e-10)
    # compare_forecasts: RMSE interval = square root of the MSE interval of the same draws
    result = compare_forecasts(np.zeros(40), {"a": np.sqrt(e[0]), "b": np.sqrt(e[0]) + 1},
                               confidence=0.9, block_length=b, n_resamples=R,
                               random_state=7)
    both = np.vstack([e, (np.sqrt(e) + 1) ** 2, np.sqrt(e), np.sqrt(e) + 1])
    low, high = bootstrap_intervals(both, b, R, 0.9, np.random.RandomState(7))
    np.testing.assert_allclose(result.models["rmse_low"], np.sqrt(low[:2]))
    np.testing.assert_allclose(result.models["mae_high"], high[2:])
    assert (result.models["rmse_low"] < result.models["rmse"]).all()
    assert (result.models["rmse"] < result.models["rmse_high"]).all()


@pytest.mark.parametrize("phi, low, high", [(0.0, 0.93, 0.97), (0.5, 0.90, 0.97)])
def test_interval_covers_the_true_rmse_at_about_its_level(phi, low, high):
    """500 simulated test spans of 250 errors, AR(1) with coefficient `phi`: the 95 % interval
    covers the true RMSE, sqrt(1 / (1 - phi^2)), in about 95 % of them: measured 95.6 % and
    93.4 %. Blocks of length 1, which ignore the dependence, cover 86.6 % at 0.5."""
    rng = np.random.default_rng(6)
    errors = ar1(rng, (500, 250), phi)
    true_rmse = math.sqrt(1 / (1 - phi**2))
    draws = np.random.RandomState(0)
    covered = 0
    for e in errors:
        block = max(politis_white_block_length(e**2), politis_white_block_length(np.abs(e)))
        lower, upper = np.sqrt(bootstrap_intervals(e[None] ** 2, block, 400, 0.95, draws))
        covered += lower[0] <= true_rmse <= upper[0]
    assert low <= covered / 500 <= high


def test_politis_white_block_length_grows_with_dependence():
    rng = np.random.default_rng(8)
    lengths = [politis_white_block_length(ar1(rng, (1000,), phi)) for phi in (0.0, 0.5, 0.9)]
    assert lengths[0] <= 3 and lengths[0] < lengths[1] < lengths[2]
    assert politis_white_block_length(ar1(rng, (100,), 0.999)) <= math.ceil(100 / 3)
    assert politis_white_block_length(np.ones(50)) == 1


def backtest_frame(truth, forecast, horizons=(1, 2)):
    origins = np.repeat(np.arange(len(truth)), len(horizons))
    return pd.DataFrame({"origin": origins, "target": origins + 1,
                         "horizon": np.tile(horizons, len(truth)),
                         "forecast": np.ravel(forecast), "truth": np.ravel(truth), "fit": 0})


def test_compare_backtests_compares_each_horizon():
    rng = np.random.default_rng(9)
    truth = rng.normal(size=(80, 2))
    good, bad = truth + rng.normal(size=(80, 2)), truth + 2 * rng.normal(size=(80, 2))
    result = compare_backtests({"good": backtest_frame(truth, good),
                                "bad": backtest_frame(truth, bad)}, block_length=3,
                               baseline="bad", random_state=0)
    assert list(result.models["horizon"]) == [1, 1, 2, 2]
    for h in (1, 2):
        alone = compare_forecasts(truth[:, h - 1], {"good": good[:, h - 1],
                                                    "bad": bad[:, h - 1]},
                                  horizon=h, block_length=3)
        mine = result.pairs[result.pairs["horizon"] == h]
        np.testing.assert_allclose(mine["statistic"], alone.pairs["statistic"])
        np.testing.assert_allclose(result.models.loc[result.models["horizon"] == h, "rmse"],
                                   alone.models["rmse"])
        assert result.best(horizon=h) == "good"
    assert "Horizon 2: good has the lowest RMSE" in result.summary()
    with pytest.raises(ValueError, match="pass horizon="):
        result.best()


def test_compare_backtests_of_skrnn_backtest():
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skrnn import PersistenceRegressor, WindowTransformer, backtest

    series = np.cumsum(np.random.default_rng(10).normal(size=200))[:, None]
    frames = {name: backtest(make_pipeline(WindowTransformer(5), model), series[:-1],
                             series[1:, 0], initial=100)
              for name, model in (("ridge", Ridge()), ("persistence", PersistenceRegressor()))}
    result = compare_backtests(frames, baseline="persistence", random_state=0)
    assert list(result.models["n"]) == [99, 99]
    assert result.models["p_vs_baseline"].notna().sum() == 1


def test_compare_backtests_refuses_misaligned_frames():
    truth = np.random.default_rng(11).normal(size=(30, 2))
    frame = backtest_frame(truth, truth + 1)
    with pytest.raises(ValueError, match="other origins or horizons"):
        compare_backtests({"a": frame, "b": frame.iloc[2:]})
    other = frame.assign(truth=frame["truth"] + 1)
    with pytest.raises(ValueError, match="other truths"):
        compare_backtests({"a": frame, "b": other})
    with pytest.raises(ValueError, match="lacks the columns"):
        compare_backtests({"a": frame, "b": frame.drop(columns="truth")})
    with pytest.raises(ValueError, match="at least two backtests"):
        compare_backtests({"a": frame})
    with pytest.raises(TypeError, match="dict of model name"):
        compare_backtests([frame, frame])
    with pytest.raises(ValueError, match="twice"):
        compare_backtests({"a": pd.concat([frame, frame]), "b": frame})


# --- cross-validation --------------------------------------------------------------------------

FOLD_SCORES = {"a": [-1.00, -0.90, -1.20, -0.95, -1.05],
               "b": [-1.10, -0.93, -1.31, -1.01, -1.12],
               "c": [-1.02, -0.88, -1.25, -0.97, -1.04]}
N_TRAIN, N_TEST = [100, 200, 300, 400, 500], [100] * 5


def corrected_t_by_hand(best, other, ratio):
    x = np.subtract(best, other)
    k = len(x)
    t = x.mean() / math.sqrt(np.var(x, ddof=1) * (1 / k + ratio))
    return t, stats.t.sf(t, df=k - 1)


def test_corrected_t_test_equals_the_formula_on_known_fold_scores():
    results = {name: {"test_score": np.array(s)} for name, s in FOLD_SCORES.items()}
    frame = compare_cv_results(results, n_train=N_TRAIN, n_test=N_TEST)
    ratio = np.mean([100 / 100, 100 / 200, 100 / 300, 100 / 400, 100 / 500])
    assert frame.attrs["best"] == "a" and frame.index[0] == "a"
    assert frame.attrs["ratio"] == pytest.approx(ratio)
    expected = {name: corrected_t_by_hand(FOLD_SCORES["a"], FOLD_SCORES[name], ratio)
                for name in ("b", "c")}
    for name, (t, p) in expected.items():
        assert frame.loc[name, "statistic"] == pytest.approx(t, rel=1e-12)
        assert frame.loc[name, "p_value"] == pytest.approx(p, rel=1e-12)
    np.testing.assert_allclose(frame.loc[["b", "c"], "p_holm"],
                               holm([expected["b"][1], expected["c"][1]]))
    # b is worse in every fold: significant even with the correction; c is not
    assert frame["not_worse"].to_dict() == {"a": True, "c": True, "b": False}
    assert list(frame["rank"]) == [1, 2, 3]
    assert "Nadeau-Bengio" in frame.attrs["test"] and "mean of the folds' ratios" in (
        frame.attrs["test"])
    # one ratio for all folds: n_test / n_train as in scikit-learn's example
    frame = compare_cv_results(results, n_train=300, n_test=100)
    assert frame.loc["b", "statistic"] == pytest.approx(
        corrected_t_by_hand(FOLD_SCORES["a"], FOLD_SCORES["b"], 1 / 3)[0])


def test_cv_results_of_a_search_and_sizes_from_cross_validate_indices():
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
    from sklearn.pipeline import make_pipeline

    from skrnn import PersistenceRegressor, WindowTransformer

    series = np.cumsum(np.random.default_rng(12).normal(size=300))[:, None]
    X, y = series[:-1], series[1:, 0]
    cv = TimeSeriesSplit(n_splits=4)
    scoring = "neg_root_mean_squared_error"
    runs = {name: cross_validate(make_pipeline(WindowTransformer(5), model), X, y, cv=cv,
                                 scoring=scoring, return_indices=True)
            for name, model in (("ridge", Ridge()), ("persistence", PersistenceRegressor()))}
    frame = compare_cv_results(runs)
    sizes = [(len(train), len(test)) for train, test in cv.split(X)]
    assert frame.attrs["ratio"] == pytest.approx(np.mean([b / a for a, b in sizes]))
    search = GridSearchCV(make_pipeline(WindowTransformer(5), Ridge()),
                          {"ridge": [Ridge(), PersistenceRegressor()]}, cv=cv,
                          scoring=scoring).fit(X, y)
    from_search = compare_cv_results(search, n_train=[a for a, _ in sizes],
                                     n_test=[b for _, b in sizes])
    assert sorted(from_search.index) == ["ridge=PersistenceRegressor", "ridge=Ridge"]
    np.testing.assert_allclose(sorted(from_search["statistic"].dropna()),
                               sorted(frame["statistic"].dropna()))
    assert "params" in from_search.columns


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(results={"a": {"test_score": [1.0, 2.0]}}), ValueError, "at least two candidates"),
        (dict(results={"a": {"test_score": [1.0]}, "b": {"test_score": [2.0]}}), ValueError,
         "at least two folds"),
        (dict(results={"a": {"test_score": [1.0, np.nan]}, "b": {"test_score": [2.0, 1.0]}}),
         ValueError, "NaN"),
        (dict(results={"a": {"test_score": [1.0, 2.0]}, "b": {"test_score": [2.0, 1.0, 3]}}),
         ValueError, "different numbers of folds"),
        (dict(results={"a": {"test_score": [1.0, 2.0]}, "b": {"test_score": [2.0, 1.0]}},
              n_train=None), ValueError, "pass n_train and n_test"),
        (dict(results={"a": {"test_score": [1.0, 2.0]}, "b": {"test_score": [2.0, 1.0]}},
              n_train=[10, 20, 30]), ValueError, "one positive int per fold"),
        (dict(results={"a": {"test_score": [1.0, 2.0]}, "b": {"test_score": [2.0, 1.0]}},
              scoring="r2"), ValueError, "no 'test_r2'"),
        (dict(results={"params": [{}, {}], "split0_test_score": [1.0, 2.0],
                       "split1_test_score": [1.0, 2.0]}, scoring="r2"), ValueError,
         "no fold scores for scoring='r2'"),
        (dict(results=[1, 2]), TypeError, "fitted search"),
        (dict(results={"a": {"test_score": [1.0, 2.0]}, "b": {"test_score": [2.0, 1.0]}},
              alpha=5), ValueError, "alpha"),
    ],
)
def test_cv_bad_inputs(kwargs, error, message):
    kwargs = {"n_train": 10, "n_test": 5, **kwargs}
    with pytest.raises(error, match=message):
        compare_cv_results(**kwargs)


def test_cv_results_on_other_folds_are_refused():
    folds = {"train": [np.arange(10), np.arange(20)], "test": [np.arange(10, 20),
                                                               np.arange(20, 30)]}
    other = {"train": [np.arange(10), np.arange(15)], "test": [np.arange(10, 20),
                                                               np.arange(15, 25)]}
    with pytest.raises(ValueError, match="other folds"):
        compare_cv_results({"a": {"test_score": [1.0, 2.0], "indices": folds},
                            "b": {"test_score": [1.5, 2.5], "indices": other}})


# --- bad inputs of compare_forecasts -----------------------------------------------------------

Y = np.linspace(0.0, 1.0, 40)
GOOD = {"a": Y + 0.1, "b": Y - 0.2}


@pytest.mark.parametrize(
    "y_true, predictions, kwargs, error, message",
    [
        (Y, {"a": Y[:-1], "b": Y}, {}, ValueError, "has 39 values but y_true has 40"),
        (np.r_[Y[:-1], np.nan], GOOD, {}, ValueError, "y_true contains NaN"),
        (Y, {"a": np.r_[Y[:-1], np.inf], "b": Y}, {}, ValueError, "contains infinity"),
        (Y, GOOD, {"block_length": 41}, ValueError, "fewer than one block"),
        (Y, {"a": Y}, {}, ValueError, "at least two forecasts"),
        (Y, {"a": Y.astype(str), "b": Y}, {}, TypeError, "must be numeric"),
        (Y.astype(object), {"a": np.array(["x"] * 40, dtype=object), "b": Y}, {}, TypeError,
         "non-numbers"),
        (pd.Series(Y, index=pd.date_range("2024-01-01", periods=40)),
         {"a": pd.Series(Y + 0.1), "b": Y}, {}, ValueError, "another index than y_true"),
        (Y, {"a": pd.Series(Y), "b": pd.Series(Y, index=np.arange(40)[::-1])}, {}, ValueError,
         r"predictions\['b'\] has another index than predictions\['a'\]"),
        (np.c_[Y, Y], GOOD, {}, ValueError, "must be 1-D"),
        (Y, [Y, Y], {}, TypeError, "must be a dict"),
        (Y, GOOD, {"loss": "pinball"}, ValueError, "loss must be one of"),
        (Y, GOOD, {"confidence": 95}, ValueError, "confidence must be a number in"),
        (Y, GOOD, {"baseline": "persistence"}, ValueError, "baseline='persistence' is not"),
        (Y, GOOD, {"horizon": 0}, ValueError, "horizon must be an int >= 1"),
        (Y, GOOD, {"horizon": 21}, ValueError, "too few to compare 21-step"),
        (Y, GOOD, {"n_resamples": 0}, ValueError, "n_resamples"),
        (Y, GOOD, {"block_length": 2.5}, ValueError, "block_length must be an int"),
    ],
)
def test_bad_inputs(y_true, predictions, kwargs, error, message):
    with pytest.raises(error, match=message):
        compare_forecasts(y_true, predictions, **kwargs)


def test_pandas_inputs_with_one_index_and_a_frame_of_forecasts():
    index = pd.date_range("2024-01-01", periods=40)
    y = pd.Series(Y, index=index)
    frame = pd.DataFrame({"a": Y + 0.1, "b": Y - 0.2}, index=index)
    result = compare_forecasts(y, frame, random_state=0)
    assert list(result.models["model"]) == ["a", "b"]
    assert result.best() == "a"
    text = repr(result)
    assert "Models:" in text and "Pairs:" in text and "Holm" in text


def test_models_of_the_same_loss_share_the_first_place_in_the_summary():
    # Networks that all kept their anchor forecast alike: none of them is "the" best.
    rng = np.random.default_rng(2)
    y = rng.normal(size=250)
    anchor = y + rng.normal(scale=1.0, size=250)
    result = compare_forecasts(y, {"rnn": anchor, "lstm": anchor.copy(),
                                   "naive": y + rng.normal(scale=3.0, size=250)},
                               random_state=0)
    assert result.summary().startswith(
        "rnn and lstm share the lowest RMSE and every other model is significantly worse")
