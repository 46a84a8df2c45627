"""How regressors read windows back as sequences: record, names, 3-D, or one feature per step."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import MinMaxScaler

from conftest import sine_series
from skrnn import LSTMRegressor, PersistenceRegressor, WindowTransformer
from skrnn._sequences import WindowLayout, layout_from_names, window_feature_names


def two_features():
    X, y = sine_series(n=60, n_features=2)
    return pd.DataFrame(X, columns=["a", "b"]), y


@pytest.mark.parametrize("window, features", [(1, ["x"]), (3, ["Close", "Open"]),
                                              (12, ["window__Close[x]"])])
def test_names_round_trip_to_the_layout(window, features):
    names = window_feature_names(features, window)
    assert layout_from_names(names) == WindowLayout(window, len(features))


@pytest.mark.parametrize("names", [["a", "b"], ["a[t-1]", "b[t]"], ["a[t]", "a[t-1]"], []])
def test_names_that_are_not_windows_give_no_layout(names):
    assert layout_from_names(np.asarray(names, dtype=object)) is None


@pytest.mark.parametrize("how", ["record", "names", "3-D", "sliced record"])
def test_every_way_of_stating_the_layout_reads_the_same_sequences(how):
    frame, y = two_features()
    transformer = WindowTransformer(window=4).fit(frame)
    windows = transformer.transform(frame)
    X = {
        "record": windows,
        "names": pd.DataFrame(np.asarray(windows), columns=transformer.get_feature_names_out()),
        "3-D": np.asarray(windows).reshape(-1, 4, 2),
        "sliced record": windows[:60],
    }[how]
    model = PersistenceRegressor(target_feature=1).fit(X, y)
    assert model.sequence_shape_ == (4, 2)
    np.testing.assert_array_equal(model.predict(X), frame["b"].to_numpy())


def test_plain_two_d_arrays_are_one_feature_per_step():
    X = np.random.default_rng(0).normal(size=(30, 7))
    model = PersistenceRegressor().fit(X, X[:, -1])
    assert model.sequence_shape_ == (7, 1)
    np.testing.assert_array_equal(model.predict(X), X[:, -1])


def test_a_record_lost_after_multivariate_windows_is_refused_not_misread():
    frame, y = two_features()
    windows = WindowTransformer(window=4).fit_transform(frame)
    with pytest.raises(ValueError, match="set_output"):
        PersistenceRegressor().fit(np.asarray(windows), y)
    # Stated explicitly, the same values are read correctly.
    model = PersistenceRegressor().fit(np.asarray(windows).reshape(-1, 4, 2), y)
    np.testing.assert_array_equal(model.predict(windows), frame["a"].to_numpy())


def test_column_transformer_and_feature_union_carry_the_layout_by_name():
    frame, y = two_features()
    union = make_pipeline(
        ColumnTransformer([("w", WindowTransformer(window=3), ["a", "b"])]),
        MinMaxScaler(),
        PersistenceRegressor(target_feature=1),
    ).set_output(transform="pandas")
    union.fit(frame, y)
    assert union[-1].sequence_shape_ == (3, 2)
    scaled_b = (frame["b"] - frame["b"].min()) / (frame["b"].max() - frame["b"].min())
    np.testing.assert_allclose(union.predict(frame), scaled_b)
    stacked = make_pipeline(FeatureUnion([("w", WindowTransformer(window=3))]),
                            PersistenceRegressor()).set_output(transform="pandas")
    assert stacked.fit(frame, y)[-1].sequence_shape_ == (3, 2)


def test_the_same_rows_train_whatever_the_container(tiny):
    frame, y = two_features()
    as_arrays = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**tiny))
    as_frames = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**tiny))
    as_frames.set_output(transform="pandas")
    np.testing.assert_allclose(as_arrays.fit(frame, y).predict(frame),
                               as_frames.fit(frame, y).predict(frame), rtol=1e-6)
    windows = WindowTransformer(window=5).fit_transform(frame)
    X = np.asarray(windows).reshape(-1, 5, 2)
    sliced = LSTMRegressor(**tiny).fit(windows[:50], y[:50])
    stated = LSTMRegressor(**tiny).fit(X[:50], y[:50])
    np.testing.assert_array_equal(sliced.predict(X), stated.predict(X))


def lag_matrix(newest_first, n=60, lags=4):
    series = np.cumsum(np.random.RandomState(0).normal(size=n))
    X = np.column_stack([series[lags - k : n - k] for k in range(lags, 0, -1)])  # oldest first
    return (X[:, ::-1] if newest_first else X), series[lags:]


@pytest.mark.parametrize("newest_first", [True, False])
def test_lag_order_is_found_from_the_shift_between_rows(newest_first):
    X, y = lag_matrix(newest_first)
    model = PersistenceRegressor().fit(X, y)
    assert model.column_order_ == ("newest_first" if newest_first else "oldest_first")
    latest = X[:, 0] if newest_first else X[:, -1]
    np.testing.assert_array_equal(model.predict(X), latest)
    np.testing.assert_array_equal(model.predict(X[-1:]), latest[-1:])  # one row: as fitted


def test_rows_without_lag_structure_run_oldest_first_and_the_order_can_be_stated():
    X, y = lag_matrix(newest_first=True)
    shuffled = np.random.RandomState(1).permutation(len(X))
    assert PersistenceRegressor().fit(X[shuffled], y[shuffled]).column_order_ == "oldest_first"
    stated = PersistenceRegressor(column_order="newest_first").fit(X[shuffled], y[shuffled])
    np.testing.assert_array_equal(stated.predict(X), X[:, 0])
    forced = PersistenceRegressor(column_order="oldest_first").fit(X, y)
    np.testing.assert_array_equal(forced.predict(X), X[:, -1])


def test_newest_first_is_refused_for_windows_that_state_their_layout():
    X, y = sine_series(40)
    windows = WindowTransformer(window=3).fit_transform(X)
    with pytest.raises(ValueError, match="column_order='newest_first' is for plain 2-D lag"):
        PersistenceRegressor(column_order="newest_first").fit(windows, y)


@pytest.mark.parametrize("newest_first, order", [(True, "newest first"), (False, "oldest first")])
def test_lags_followed_by_other_columns_are_refused_not_read_as_time_steps(newest_first, order):
    X, y = lag_matrix(newest_first)
    exogenous = np.random.RandomState(2).normal(size=(len(X), 2))
    with pytest.raises(ValueError, match=f"first 4 columns of X are lags of one series \\({order}"):
        PersistenceRegressor().fit(np.hstack([X, exogenous]), y)
    PersistenceRegressor().fit(X, y)  # the lags alone are fine
