"""Where WindowTransformer finds each row's date: index, level, column, polars; and what it
says when there is none."""

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import NoTimeAxisWarning, WindowTransformer
from skrnn.datasets import load_msft, make_supervised


@pytest.fixture
def prices():
    return make_supervised(load_msft().iloc[-300:], "Close")


def test_a_fit_without_dates_warns_once_with_the_fix_and_positions_silence_it():
    X = np.arange(20.0).reshape(-1, 1)
    with pytest.warns(NoTimeAxisWarning, match=r"set_output\(transform='pandas'\)") as seen:
        WindowTransformer(3).fit(X)
    assert len(seen) == 1 and "time_axis='positions'" in str(seen[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WindowTransformer(3, time_axis="positions").fit(X)
        WindowTransformer(3).fit(pd.DataFrame(X, index=pd.date_range("2024-01-01", periods=20)))


def test_the_readme_pipeline_keeps_its_dates_with_pandas_output(prices):
    X, y = prices
    with pytest.warns(NoTimeAxisWarning):  # a scaler's default output drops the index
        make_pipeline(MinMaxScaler(), WindowTransformer(10)).fit(X[:250])
    model = make_pipeline(MinMaxScaler().set_output(transform="pandas"), WindowTransformer(10))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X[:250])
    np.testing.assert_array_equal(model.transform(X[100:150]),
                                  model.fit_transform(X[:250])[100:150])
    with pytest.raises(ValueError, match="a gap"):
        model.transform(X[260:])


@pytest.mark.parametrize("to_frame", [
    lambda X: pl.from_pandas(X.reset_index()),  # polars: the date is a column
    lambda X: X.reset_index(),  # pandas after reset_index
    lambda X: X.set_axis(X.index.astype("timestamp[ns][pyarrow]")),  # a pyarrow date index
    lambda X: X.reset_index().astype({"Date": "timestamp[ns][pyarrow]"}),
])
def test_a_column_or_arrow_index_of_dates_is_the_time_axis_never_a_number(prices, to_frame):
    X, _ = prices
    expected = WindowTransformer(10).fit(X[:250])
    transformer = WindowTransformer(10).fit(to_frame(X[:250]))
    assert list(transformer.get_feature_names_out())[-1] == "Close[t]"
    assert transformer.n_features_in_ == 1
    for rows in (slice(100, 150), slice(240, 300)):
        np.testing.assert_array_equal(transformer.transform(to_frame(X[rows])),
                                      expected.transform(X[rows]))
    with pytest.raises(ValueError, match="a gap"):
        transformer.transform(to_frame(X[260:]))


def test_polars_dates_with_a_time_zone_keep_it():
    frame = pd.DataFrame({"x": np.arange(48.0)},
                         index=pd.date_range("2024-03-30", periods=48, freq="h",
                                             tz="Europe/Berlin").rename("Date"))
    transformer = WindowTransformer(3).fit(pl.from_pandas(frame.iloc[:24].reset_index()))
    assert str(transformer.index_.tz) == "Europe/Berlin"
    np.testing.assert_array_equal(
        transformer.transform(pl.from_pandas(frame.iloc[24:].reset_index())),
        WindowTransformer(3).fit_transform(frame)[24:])


def test_date_columns_that_are_not_the_time_axis_are_refused_by_name(prices):
    X, _ = prices
    two = X.reset_index().assign(Settled=lambda f: f["Date"] + pd.Timedelta(days=2))
    with pytest.raises(ValueError, match=r"several date columns \['Date', 'Settled'\]"):
        WindowTransformer(3).fit(two)
    named = WindowTransformer(3, time_axis="Date")
    with pytest.raises(ValueError, match=r"\['Settled'\] of X hold dates"):
        named.fit(two)
    named.fit(two.drop(columns="Settled"))
    assert named.index_.equals(pd.DatetimeIndex(X.index))
    with pytest.raises(ValueError, match=r"\['Date'\] of X hold dates, .* the index already"):
        WindowTransformer(3).fit(X.assign(Date=X.index))
    with pytest.raises(ValueError, match=r"time_axis='positions' reads rows in order"):
        WindowTransformer(3, time_axis="positions").fit(X.reset_index())
    with pytest.raises(TypeError, match="time_axis='Close' names a column that holds no "):
        WindowTransformer(3, time_axis="Close").fit(X.reset_index())
    with pytest.raises(ValueError, match="time_axis='When' names neither a column nor"):
        WindowTransformer(3, time_axis="When").fit(X)


def test_a_named_index_level_of_a_panel_is_its_time_axis():
    dates = pd.date_range("2024-01-01", periods=10)
    panel = pd.DataFrame(
        {"x": np.arange(20.0)},
        index=pd.MultiIndex.from_product([["a", "b"], dates], names=["ticker", "day"]))
    transformer = WindowTransformer(3, series_id="ticker", time_axis="day").fit(panel)
    assert transformer.index_["b"].equals(dates)
    by_column = WindowTransformer(3, series_id="ticker").fit(
        pl.from_pandas(panel.reset_index()))
    assert by_column.index_["a"].equals(dates)


def test_dates_a_scaler_turned_into_numbers_are_refused_with_the_passthrough_fix(prices):
    from sklearn.compose import ColumnTransformer

    X, y = prices
    polars = pl.from_pandas(X.reset_index())
    readme = make_pipeline(MinMaxScaler().set_output(transform="pandas"), WindowTransformer(3))
    with pytest.raises(ValueError, match=r"\['Date'\] of X are numbers named like dates.*"
                                         "remainder='passthrough'"):
        readme.fit(polars[:250])
    passthrough = make_pipeline(
        ColumnTransformer([("scale", MinMaxScaler(), ["Close"])], remainder="passthrough",
                          verbose_feature_names_out=False).set_output(transform="polars"),
        WindowTransformer(3))
    expected = make_pipeline(MinMaxScaler().set_output(transform="pandas"),
                             WindowTransformer(3)).fit(X[:250])
    np.testing.assert_allclose(passthrough.fit(polars[:250]).transform(polars[240:]),
                               expected.transform(X[240:]))


def test_feature_names_through_a_pipeline_leave_the_date_column_out(prices):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import Ridge

    X, y = prices
    model = make_pipeline(
        ColumnTransformer([("scale", MinMaxScaler(), ["Close"])], remainder="passthrough",
                          verbose_feature_names_out=False).set_output(transform="pandas"),
        WindowTransformer(2), Ridge()).fit(X.reset_index(), y)
    assert list(model[:-1].get_feature_names_out()) == ["Close[t-1]", "Close[t]"]


def test_a_lazy_frame_and_mixed_offsets_are_refused_with_the_fix():
    frame = pl.DataFrame({"Date": pd.date_range("2024-01-01", periods=5), "x": np.arange(5.0)})
    with pytest.raises(TypeError, match=r"pass X.collect\(\)"):
        WindowTransformer(2).fit(frame.lazy())
    stamps = pd.Index(pd.to_datetime(["2024-03-30 00:00+01:00", "2024-03-31 00:00+01:00",
                                      "2024-04-01 00:00+02:00"], format="ISO8601"),
                      dtype=object)
    mixed = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=stamps)
    with pytest.raises(ValueError, match=r"to_datetime\(\.\.\., utc=True\)"):
        WindowTransformer(2).fit(mixed)
