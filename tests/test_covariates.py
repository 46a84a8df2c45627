"""Known-future covariates: columns passed beside the windows, into the network's head."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from conftest import TINY_NETWORK
from skrnn import GRURegressor, PersistenceRegressor, WindowTransformer
from skrnn.datasets import make_supervised


def holiday_series(n=600, seed=0):
    """``x[t+1] = 0.5 x[t] + 3 holiday[t+1] + noise``: the jump is known only from the
    covariate, which is known in advance (a scheduled holiday)."""
    rng = np.random.default_rng(seed)
    holiday = (rng.random(n + 1) < 0.2).astype(float)
    x = np.zeros(n + 1)
    for t in range(1, n + 1):
        x[t] = 0.5 * x[t - 1] + 3 * holiday[t] + rng.normal(0, 0.3)
    X = pd.DataFrame({"x": x[:-1], "holiday[t+1]": holiday[1:]})
    return X, x[1:]


def test_covariates_pass_through_after_the_windows():
    X, _ = holiday_series(20)
    windows = WindowTransformer(3, covariates="future").fit_transform(X)
    np.testing.assert_array_equal(np.asarray(windows[:, 3]), X["holiday[t+1]"])
    np.testing.assert_array_equal(np.asarray(windows[5, :3]), X["x"][3:6])
    assert windows.window_layout.n_covariates == 1
    by_name = WindowTransformer(3, covariates=["holiday[t+1]"]).fit_transform(X)
    by_position = WindowTransformer(3, covariates=[-1]).fit_transform(X)
    np.testing.assert_array_equal(by_name, windows)
    np.testing.assert_array_equal(by_position, windows)
    fitted = WindowTransformer(3, covariates="future").fit(X)
    np.testing.assert_array_equal(fitted.inverse_transform(windows), X.to_numpy())
    assert list(fitted.get_feature_names_out()) == [
        "x[t-2]", "x[t-1]", "x[t]", "holiday[t+1]"]


def test_covariates_of_the_fitted_dates_may_be_revised():
    # Covariates are read row by row, never as history: a revised value is no other series.
    X, _ = holiday_series(30)
    X.index = pd.date_range("2024-01-01", periods=30, freq="D")
    transformer = WindowTransformer(3, covariates="future").fit(X)
    revised = X.assign(**{"holiday[t+1]": 1.0 - X["holiday[t+1]"]})
    np.testing.assert_array_equal(np.asarray(transformer.transform(revised[10:]))[:, -1],
                                  revised["holiday[t+1]"][10:])
    with pytest.raises(ValueError, match="differs from the fitted row with that date"):
        transformer.transform(X.assign(x=X["x"] + 1)[10:])


@pytest.mark.parametrize(
    ("covariates", "columns", "error", "match"),
    [
        (None, ["x", "holiday[t+1]"], ValueError, "covariates='future'"),
        ("future", ["x", "y"], ValueError, "found no column named"),
        (["z"], ["x", "y"], ValueError, "'z', which X does not have"),
        ([5], ["x", "y"], ValueError, "X has 2 columns"),
        ([0, 1], ["x", "y"], ValueError, "no column to window"),
        ([1.5], ["x", "y"], TypeError, "names .str. or positions"),
        ([1, 1], ["x", "y", "z"], ValueError, "twice"),
    ],
)
def test_bad_covariates_are_refused_at_fit(covariates, columns, error, match):
    X = pd.DataFrame(np.ones((10, len(columns))), columns=columns)
    with pytest.raises(error, match=match):
        WindowTransformer(3, covariates=covariates).fit(X)


def test_known_future_columns_can_still_be_windowed_on_purpose():
    X = pd.DataFrame({"x": np.arange(10.0), "plan[t+1]": np.arange(10.0)})
    assert WindowTransformer(3, covariates=[]).fit_transform(X).shape == (10, 6)


def test_missing_covariate_column_at_predict_is_refused_by_name(tiny):
    X, y = holiday_series(60)
    model = make_pipeline(WindowTransformer(4, covariates="future"), GRURegressor(**tiny))
    model.fit(X, y)
    with pytest.raises(ValueError, match="holiday"):
        model.predict(X[["x"]])


def test_a_network_uses_the_known_future_covariate():
    # Measured (seed 0): RMSE 0.28 with the covariate, 1.25 without; the noise is 0.3.
    X, y = holiday_series(300)
    scores = {}
    for name, columns, covariates in [("with", ["x", "holiday[t+1]"], "future"),
                                      ("without", ["x"], None)]:
        model = make_pipeline(
            WindowTransformer(10, covariates=covariates),
            GRURegressor(units=(8,), dense_units=(), epochs=5, random_state=0))
        model.fit(X[columns][:220], y[:220])
        scores[name] = np.sqrt(np.mean((model.predict(X[columns][220:]) - y[220:]) ** 2))
    assert scores["with"] < 0.5 * scores["without"]


def test_the_recurrent_network_alone_reads_covariates_in_its_head():
    # No anchor: only the Dense head can carry the covariate's effect. Measured (seed 0):
    # RMSE 0.32 against 1.22 for the AR(1) forecast without the covariate.
    X, y = holiday_series(300)
    model = make_pipeline(
        WindowTransformer(10, covariates="future"),
        GRURegressor(units=(8,), dense_units=(8,), epochs=15, anchor=None, random_state=0))
    model.fit(X[:220], y[:220])
    rmse = np.sqrt(np.mean((model.predict(X[220:]) - y[220:]) ** 2))
    without = np.sqrt(np.mean((0.5 * X["x"][220:] + 0.6 - y[220:]) ** 2))  # the best AR(1)
    assert rmse < 0.5 * without, (rmse, without)


def test_untrained_linear_anchor_reads_windows_and_covariates_by_least_squares():
    X, y = holiday_series(300)
    model = GRURegressor(**{**TINY_NETWORK, "epochs": 1}, learning_rate=1e-12, anchor="linear",
                         random_state=0)
    fitted = make_pipeline(WindowTransformer(5, covariates="future"), model).fit(X[:200], y[:200])
    design = np.asarray(WindowTransformer(5, covariates="future").fit_transform(X))
    least_squares = LinearRegression().fit(design[:200], y[:200])
    np.testing.assert_allclose(fitted.predict(X[200:]), least_squares.predict(design[200:]),
                               rtol=3e-3, atol=3e-3)


def test_column_transformer_with_pandas_output_carries_the_layout(tiny):
    X, y = holiday_series(80)
    columns = ColumnTransformer(
        [("history", WindowTransformer(4), ["x"]), ("known", "passthrough", ["holiday[t+1]"])])
    model = make_pipeline(columns, GRURegressor(**tiny)).set_output(transform="pandas")
    model.fit(X, y)
    assert model[-1].sequence_shape_ == (4, 1) and model[-1].n_covariates_ == 1
    direct = make_pipeline(WindowTransformer(4, covariates="future"), GRURegressor(**tiny))
    np.testing.assert_allclose(model.predict(X), direct.fit(X, y).predict(X), atol=1e-6)


def test_windows_joined_with_other_columns_into_a_plain_array_are_refused(tiny):
    X, y = holiday_series(80)
    columns = ColumnTransformer(
        [("history", WindowTransformer(4), ["x"]), ("known", "passthrough", ["holiday[t+1]"])])
    with pytest.raises(ValueError, match="covariates=..."):
        make_pipeline(columns, GRURegressor(**tiny)).fit(X, y)


def test_covariate_names_before_the_windows_are_refused(tiny):
    X, y = holiday_series(40)
    windows = WindowTransformer(3).set_output(transform="pandas").fit_transform(X[["x"]])
    backwards = pd.concat([X[["holiday[t+1]"]], windows], axis=1)
    with pytest.raises(ValueError, match="Put the window columns first"):
        GRURegressor(**tiny).fit(backwards, y)


def test_persistence_ignores_covariates_and_networks_pickle_with_them(tiny):
    X, y = holiday_series(80)
    persistence = make_pipeline(WindowTransformer(4, covariates="future"),
                                PersistenceRegressor()).fit(X, y)
    np.testing.assert_array_equal(persistence.predict(X), X["x"])
    model = make_pipeline(WindowTransformer(4, covariates="future"), GRURegressor(**tiny))
    model.fit(X, y)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(model)).predict(X), model.predict(X))


def test_make_supervised_adds_exact_calendar_and_known_columns_of_the_forecast_date():
    dates = pd.to_datetime(["2024-03-28", "2024-04-02", "2024-04-03", "2024-04-05"])  # Easter
    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0], "event": [0.0, 1.0, 0.0, 1.0]},
                         index=dates)
    X, y = make_supervised(frame, known=["event"], calendar=["dayofweek", "month"],
                           horizon=2, multi_output=True)
    weekday = {h: X.filter(regex=rf"^dayofweek=\d\[t\+{h}\]$").to_numpy().argmax(axis=1)
               for h in (1, 2)}
    assert weekday[1].tolist() == [1, 2] and weekday[2].tolist() == [2, 4]  # Tue, Wed / Wed, Fri
    assert X["month=4[t+1]"].tolist() == [1.0, 1.0] and X["month=3[t+1]"].tolist() == [0, 0]
    assert X["event[t+1]"].tolist() == [1.0, 0.0] and X["event[t+2]"].tolist() == [0.0, 1.0]
    assert list(X.columns[:2]) == ["Close", "event[t+1]"]
    assert X.filter(like="[t+").shape[1] == 2 * (1 + 7 + 12)


def test_the_season_calendar_is_one_hot_of_the_forecast_dates_position_in_its_season():
    weeks = pd.DataFrame({"x": np.arange(120.0)},
                         index=pd.date_range("2021-01-03", periods=120, freq="W-SUN"))
    X, _ = make_supervised(weeks, "x", calendar=["season"], horizon=2)
    columns = X.filter(like="season=")
    assert columns.shape[1] == 52 and np.all(columns.sum(axis=1) == 1)
    assert X["season=2[t+2]"].iloc[0] == 1.0  # row 0 forecasts the year's third Sunday
    with pytest.raises(ValueError, match="has a season"):
        make_supervised(pd.DataFrame({"x": np.ones(9)},
                                     index=pd.period_range("2001", periods=9, freq="Y")),
                        "x", calendar=["season"])


def test_auto_also_weighs_the_linear_anchor_without_the_covariates():
    from sklearn.pipeline import make_pipeline

    from skrnn import GRURegressor, WindowTransformer

    rng = np.random.default_rng(0)
    n = 80
    x = np.zeros(n)
    for t in range(1, n):  # a mean-reverting series: its history predicts it, linearly
        x[t] = 0.5 * x[t - 1] + rng.normal()
    X = pd.DataFrame({"x": x[:-1]})
    for i in range(30):  # known-future columns of pure noise: a linear fit on them overfits
        X[f"noise{i}[t+1]"] = rng.normal(size=n - 1)
    model = make_pipeline(WindowTransformer(3, covariates="future", time_axis="positions"),
                          GRURegressor(units=2, dense_units=(), epochs=1))
    network = model.fit(X, x[1:])[-1]
    weights = network.anchor_weights_
    assert max(weights, key=weights.get) == "linear_without_covariates", weights


def test_make_supervised_refuses_calendar_without_dates_or_unknown_features():
    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="DatetimeIndex"):
        make_supervised(frame, calendar=["month"])
    frame.index = pd.date_range("2024-01-01", periods=3)
    with pytest.raises(ValueError, match="not among"):
        make_supervised(frame, calendar=["weekday"])
    with pytest.raises(ValueError, match="not in the frame"):
        make_supervised(frame, known=["holiday"])
    with pytest.raises(ValueError, match="names the target 'Close'.*Leave it out of known"):
        make_supervised(frame, known="Close")  # X would hold y itself


def test_make_supervised_takes_one_name_as_a_list_of_one():
    frame = pd.DataFrame({"Close": np.arange(30.0), "promo": np.arange(30.0) % 2},
                         index=pd.date_range("2020-01-01", periods=30, freq="MS"))
    X, _ = make_supervised(frame, features="Close", known="promo", calendar="season")
    expected, _ = make_supervised(frame, features=["Close"], known=["promo"],
                                  calendar=["season"])
    pd.testing.assert_frame_equal(X, expected)
    assert X.shape[1] == 1 + 1 + 12


@pytest.mark.parametrize(("rows", "match"), [([0, 1, 3, 2, 4, 5], "not in time order"),
                                              ([0, 1, 1, 2, 3], "duplicated dates")])
def test_make_supervised_refuses_periods_out_of_order_as_it_refuses_dates(rows, match):
    frame = pd.DataFrame({"Close": np.arange(6.0)},
                         index=pd.period_range("2020-01", periods=6, freq="M"))
    with pytest.raises(ValueError, match=match):
        make_supervised(frame.iloc[rows], calendar=["season"])


def test_make_supervised_refuses_missing_dates():
    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0]},
                         index=pd.DatetimeIndex(["2020-01-01", pd.NaT, "2020-01-03"]))
    with pytest.raises(ValueError, match=r"missing dates \(NaT\)"):
        make_supervised(frame)


def test_a_week_of_business_days_without_a_stated_frequency_is_told_to_state_it():
    # A CSV's business days lose their freq: Monday to Friday alone would infer "D", seven
    # season columns against the five of the series they came from.
    week = pd.DataFrame({"Close": np.arange(5.0)},
                        index=pd.DatetimeIndex(list(pd.bdate_range("2024-01-01", periods=5))))
    with pytest.raises(ValueError, match=r"state their frequency \(frame.asfreq\('B'\)"):
        make_supervised(week, calendar=["season"])
    week.index.freq = "B"
    X, _ = make_supervised(week, calendar=["season"])
    assert X.filter(like="season=").shape[1] == 5


def test_a_scaler_after_windows_with_covariates_is_refused(tiny):
    from sklearn.preprocessing import MinMaxScaler

    X, y = holiday_series(60)
    model = make_pipeline(WindowTransformer(4, covariates="future"), MinMaxScaler(),
                          GRURegressor(**tiny))
    with pytest.raises(ValueError, match=r"1 feature\(s\) and 1 covariate\(s\)"):
        model.fit(X, y)
