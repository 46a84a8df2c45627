"""Global models: a panel of series windowed series by series, split by date, one network."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from conftest import TINY_NETWORK
from skrnn import GRURegressor, PanelSplit, PersistenceRegressor, WindowTransformer


def random_panel(rng, n_series=None, dated=True):
    """Series of random lengths, levels and scales, in one table sorted by date (their rows
    interleaved), indexed by (series, date)."""
    n_series = n_series or int(rng.integers(2, 5))
    frames = []
    for k in range(n_series):
        n = int(rng.integers(8, 30))
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 10)))
        values = rng.normal(size=(n, 2)).cumsum(axis=0) * 10 ** rng.uniform(-2, 3)
        index = pd.MultiIndex.from_arrays(
            [[f"s{k}"] * n, pd.date_range(start, periods=n, freq="D")],
            names=["series", "date"])
        frames.append(pd.DataFrame(values, columns=["a", "b"], index=index))
    panel = pd.concat(frames).sort_index(level="date", sort_remaining=True)
    return panel if dated else panel.reset_index("date", drop=True)


@pytest.mark.parametrize("seed", range(8))
def test_windows_never_cross_series(seed):
    rng = np.random.default_rng(seed)
    panel = random_panel(rng)
    window = int(rng.integers(1, 8))
    windows = np.asarray(WindowTransformer(window, series_id="series").fit_transform(panel))
    ids = panel.index.get_level_values("series")
    for series in ids.unique():
        alone = WindowTransformer(window).fit_transform(panel[ids == series].to_numpy())
        np.testing.assert_array_equal(windows[np.asarray(ids == series)], alone)


@pytest.mark.parametrize("seed", range(4))
def test_each_series_continues_its_own_fitted_context(seed):
    panel = random_panel(np.random.default_rng(seed))
    dates = panel.index.get_level_values("date")
    starts = panel.reset_index("date").groupby(level="series")["date"].min()
    later = np.asarray(dates > starts.max() + pd.Timedelta(days=4))  # >= 5 fitted rows each
    transformer = WindowTransformer(4, series_id="series")
    whole = np.asarray(transformer.fit_transform(panel))
    transformer.fit(panel[~later])
    np.testing.assert_array_equal(np.asarray(transformer.transform(panel[later])), whole[later])


def test_positional_panels_and_id_columns_window_the_same():
    panel = random_panel(np.random.default_rng(0), dated=False)
    by_level = WindowTransformer(3, series_id="series").fit_transform(panel)
    by_column = WindowTransformer(3, series_id="series").fit_transform(panel.reset_index())
    np.testing.assert_array_equal(by_level, by_column)
    assert list(WindowTransformer(2, series_id="series").fit(panel.reset_index())
                .get_feature_names_out()) == ["a[t-1]", "b[t-1]", "a[t]", "b[t]"]


def test_panel_errors_name_the_series():
    panel = random_panel(np.random.default_rng(1), n_series=2)
    transformer = WindowTransformer(3, series_id="series").fit(panel.xs("s0", drop_level=False))
    with pytest.raises(ValueError, match="series 's1', which was not seen in fit"):
        transformer.transform(panel)
    with pytest.raises(ValueError, match="series_id=None reads it as one series"):
        WindowTransformer(3).fit(panel)
    with pytest.raises(ValueError, match="series_id='ticker' names neither"):
        WindowTransformer(3, series_id="ticker").fit(panel)
    with pytest.raises(ValueError, match="names neither a column nor an index level"):
        WindowTransformer(3, series_id="series").fit(panel.to_numpy())
    with pytest.raises(ValueError, match=r"at least 40 rows .* in Series 's\d'"):
        WindowTransformer(40, series_id="series").fit(panel)
    s1 = panel.xs("s1", drop_level=False)
    fitted = WindowTransformer(2, series_id="series").fit(s1[:6])
    with pytest.raises(ValueError, match="the fitted series 's1' .* rows in between are missing"):
        fitted.transform(s1[8:])


@pytest.mark.parametrize("seed", range(6))
def test_panel_split_never_trains_on_a_date_later_than_a_test_date(seed):
    rng = np.random.default_rng(seed)
    panel = random_panel(rng).sample(frac=1.0, random_state=seed)  # any row order
    dates = panel.index.get_level_values("date")
    splitter = PanelSplit(n_splits=3, max_train_size=int(rng.integers(3, 9)) if seed % 2 else None)
    folds = list(splitter.split(panel))
    assert len(folds) == splitter.get_n_splits() == 3
    for train, test in folds:
        assert dates[train].max() < dates[test].min()
        assert len(np.intersect1d(train, test)) == 0
        # every row of a test date is tested, whatever its series
        assert set(np.flatnonzero(dates.isin(dates[test]))) == set(test)


def test_panel_split_of_one_series_is_time_series_split():
    frame = pd.DataFrame({"x": np.arange(20.0)}, index=pd.date_range("2024-01-01", periods=20))
    for (a, b), (c, d) in zip(PanelSplit(4, gap=1).split(frame),
                              TimeSeriesSplit(4, gap=1).split(frame), strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_panel_split_needs_dates():
    with pytest.raises(ValueError, match="needs each row's date"):
        next(PanelSplit().split(np.zeros((10, 1))))
    frame = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=10), "x": 1.0})
    assert len(list(PanelSplit(2, time="when").split(frame))) == 2


def test_window_normalisation_reads_every_series_at_its_own_scale(tiny):
    # One fitted network, one window shape: shifted and scaled, the forecast follows exactly.
    panel = random_panel(np.random.default_rng(2), n_series=3)[["a"]]
    y = panel.groupby(level="series")["a"].shift(-1).fillna(0.0)
    model = make_pipeline(WindowTransformer(5, series_id="series"),
                          GRURegressor(**{**tiny, "epochs": 3}, normalization="window"))
    model.fit(panel, y)
    windows = np.asarray(model[0].transform(panel)).reshape(-1, 5, 1)
    network = model[-1]
    forecast = network.predict(windows)
    np.testing.assert_allclose(network.predict(3 * windows - 7), 3 * forecast - 7,
                               atol=1e-4 * np.ptp(forecast))


@pytest.mark.parametrize("scaling", ["none", "minmax"])
def test_untrained_window_normalised_network_is_persistence(scaling):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.preprocessing import MinMaxScaler

    series = np.cumsum(np.random.default_rng(0).normal(size=300)) + 50
    X, y = series[:-1, None], series[1:]
    untrained = GRURegressor(**{**TINY_NETWORK, "epochs": 1}, learning_rate=1e-12,
                             anchor="last", normalization="window", random_state=0)
    model = make_pipeline(WindowTransformer(6), untrained)
    if scaling == "minmax":
        model = TransformedTargetRegressor(make_pipeline(MinMaxScaler(), *model),
                                           transformer=MinMaxScaler())
    model.fit(X[:200], y[:200])
    np.testing.assert_allclose(model.predict(X[200:]), X[200:, 0], rtol=1e-5)


def test_window_normalisation_needs_y_to_follow_the_target_feature(tiny):
    X = np.random.default_rng(0).normal(size=(60, 1))
    with pytest.raises(ValueError, match="normalization='window'"):
        GRURegressor(**tiny, normalization="window").fit(
            WindowTransformer(3).fit_transform(X), np.zeros(60))


def test_grid_search_of_a_global_model_end_to_end_and_pickled(tiny):
    panel = random_panel(np.random.default_rng(3), n_series=3)[["a"]]
    panel = panel.groupby(level="series").filter(lambda s: len(s) >= 20)
    y = panel.groupby(level="series")["a"].shift(-1)
    keep = y.notna().to_numpy()
    panel, y = panel[keep], y[keep]
    model = make_pipeline(WindowTransformer(3, series_id="series"),
                          GRURegressor(**tiny, normalization="window"))
    search = GridSearchCV(
        model, {"windowtransformer__window": [2, 4]},
        cv=PanelSplit(2), scoring="neg_root_mean_squared_error").fit(panel, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_allclose(restored.predict(panel), search.predict(panel))
    persistence = make_pipeline(WindowTransformer(3, series_id="series"), PersistenceRegressor())
    np.testing.assert_array_equal(persistence.fit(panel, y).predict(panel), panel["a"])

