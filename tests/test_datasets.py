import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skrnn.datasets import _home, fetch_yahoo, get_data_home, load_msft, make_supervised


def recorded_frame(multiindex=True, adj_close=True, ticker="MSFT"):
    """A frame shaped like yfinance.download's (1.x: MultiIndex Price x Ticker, tz-naive)."""
    index = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"], name="Date")
    data = {
        "Adj Close": [367.9, 367.6, 365.0],
        "Close": [370.87, 370.60, 367.94],
        "High": [375.90, 373.26, 373.10],
        "Low": [366.77, 368.51, 367.17],
        "Open": [373.86, 369.01, 370.67],
        "Volume": [25258600, 23083500, 20901500],
    }
    if not adj_close:
        del data["Adj Close"]
    frame = pd.DataFrame(data, index=index)
    if multiindex:
        frame.columns = pd.MultiIndex.from_product([frame.columns, [ticker]],
                                                   names=["Price", "Ticker"])
    return frame


@pytest.fixture
def download(monkeypatch):
    """Replace yfinance.download; records calls and returns what the test sets."""
    import yfinance

    calls = []

    def fake(*args, **kwargs):
        calls.append((args, kwargs))
        result = fake.result
        if isinstance(result, Exception):
            raise result
        return result

    fake.calls = calls
    fake.result = recorded_frame()
    monkeypatch.setattr(yfinance, "download", fake)
    return fake


def test_load_msft_is_the_documented_series():
    prices = load_msft()
    assert prices.shape == (7983, 5)
    assert list(prices.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert prices.index.is_monotonic_increasing and not prices.index.has_duplicates
    assert str(prices.index[0].date()) == "1986-03-13"
    assert prices["Close"].iloc[-1] == pytest.approx(83.87)


def test_make_supervised_aligns_future_target():
    prices = load_msft().iloc[:10]
    X, y = make_supervised(prices, "Close", horizon=2, features=["Open", "Close"])
    assert list(X.columns) == ["Open", "Close"] and len(X) == len(y) == 8
    np.testing.assert_array_equal(y.to_numpy(), prices["Close"].to_numpy()[2:])
    assert (y.index == X.index).all() and y.name == "Close[t+2]"
    X, Y = make_supervised(prices, "Close", horizon=3, multi_output=True)
    assert list(Y.columns) == ["Close[t+1]", "Close[t+2]", "Close[t+3]"]
    np.testing.assert_array_equal(Y.iloc[0], prices["Close"].iloc[1:4])


@pytest.mark.parametrize(
    "frame, kwargs, error, match",
    [
        (np.zeros((5, 2)), {}, TypeError, "DataFrame"),
        (pd.DataFrame({"Close": [1.0, 2.0]}), {"target": "Adj"}, ValueError, "not in the frame"),
        (pd.DataFrame({"Close": [1.0, 2.0]}), {"horizon": 0}, ValueError, "horizon"),
        (pd.DataFrame({"Close": [1.0, 2.0]}), {"horizon": 2}, ValueError, "at least"),
        (pd.DataFrame({"Close": [1.0, 2.0, 3.0]},
                      index=pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"])),
         {}, ValueError, "not in time order"),
        (pd.DataFrame({"Close": [1.0, 2.0, 3.0]},
                      index=pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-03"])),
         {}, ValueError, "duplicated dates"),
    ],
)
def test_make_supervised_bad_input(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        make_supervised(frame, **{"target": "Close", **kwargs})


@pytest.mark.parametrize("multiindex", [True, False])
@pytest.mark.parametrize("adj_close", [True, False])
def test_fetch_yahoo_tidies_any_column_layout(download, tmp_path, multiindex, adj_close):
    download.result = recorded_frame(multiindex=multiindex, adj_close=adj_close)
    prices = fetch_yahoo("msft", data_home=tmp_path)
    expected = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
    assert list(prices.columns) == (expected if adj_close else expected[:4] + ["Volume"])
    assert prices.index.name == "Date" and isinstance(prices.index, pd.DatetimeIndex)
    assert prices["Close"].iloc[0] == pytest.approx(370.87)
    assert download.calls[0][0] == ("MSFT",)


def test_fetch_yahoo_makes_dates_tz_naive(download, tmp_path):
    frame = recorded_frame()
    frame.index = frame.index.tz_localize("America/New_York")
    download.result = frame
    assert fetch_yahoo("MSFT", data_home=tmp_path).index.tz is None


def test_cache_hit_needs_no_download_and_refresh_downloads_again(download, tmp_path):
    first = fetch_yahoo("MSFT", data_home=tmp_path)
    download.result = ConnectionError("offline")
    cached = fetch_yahoo("MSFT", data_home=tmp_path)
    pd.testing.assert_frame_equal(cached, first, check_freq=False)
    assert len(download.calls) == 1
    newer = recorded_frame()
    newer.iloc[:, 0] += 1.0
    download.result = newer
    refreshed = fetch_yahoo("MSFT", data_home=tmp_path, refresh=True)
    assert len(download.calls) == 2
    assert refreshed["Adj Close"].iloc[0] == pytest.approx(368.9)


def test_data_home_from_environment(monkeypatch, tmp_path, download):
    monkeypatch.setenv("SKRNN_DATA", str(tmp_path / "cache"))
    assert get_data_home() == tmp_path / "cache"
    fetch_yahoo("MSFT")
    assert list((tmp_path / "cache" / "yahoo").glob("MSFT_*.csv"))


def test_unknown_ticker_gives_clear_error(download, tmp_path):
    download.result = pd.DataFrame()
    with pytest.raises(ValueError, match="no prices for 'NOPE'.*load_msft"):
        fetch_yahoo("NOPE", data_home=tmp_path)
    assert not list(tmp_path.rglob("*.csv"))


def test_network_failure_names_the_alternatives(download, tmp_path):
    download.result = OSError("Could not resolve host: query1.finance.yahoo.com")
    with pytest.raises(ConnectionError, match="Could not download 'MSFT'.*load_msft"):
        fetch_yahoo("MSFT", data_home=tmp_path)
    download.result = recorded_frame()
    fetch_yahoo("MSFT", data_home=tmp_path)
    download.result = OSError("offline")
    with pytest.raises(ConnectionError, match="cached copy exists"):
        fetch_yahoo("MSFT", data_home=tmp_path, refresh=True)


@pytest.mark.parametrize("ticker", ["", "   ", None, 42])
def test_bad_ticker_argument(ticker, tmp_path):
    with pytest.raises(ValueError, match="ticker must be"):
        fetch_yahoo(ticker, data_home=tmp_path)


def test_interrupted_cache_write_keeps_the_old_file(download, tmp_path, monkeypatch):
    first = fetch_yahoo("MSFT", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    before = cache.read_bytes()

    def interrupted_write(self, path, *args, **kwargs):
        with open(path, "w") as f:
            f.write("Date,Open\n2024-01-02,")  # half a file, then the interruption
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted_write)
    with pytest.raises(KeyboardInterrupt):
        fetch_yahoo("MSFT", data_home=tmp_path, refresh=True)
    monkeypatch.undo()
    assert cache.read_bytes() == before
    assert [p.name for p in (tmp_path / "yahoo").iterdir()] == [cache.name]  # no temp left
    pd.testing.assert_frame_equal(fetch_yahoo("MSFT", data_home=tmp_path), first,
                                  check_freq=False)


def test_write_atomically_creates_readable_files(tmp_path):
    target = tmp_path / "out.txt"
    _home.write_atomically(target, lambda tmp: Path(tmp).write_text("ok"))
    assert target.read_text() == "ok"
    assert os.stat(target).st_mode & 0o644 == 0o644


def _age(path, days):
    old = time.time() - days * 86400
    os.utime(path, (old, old))


def test_a_relative_period_is_downloaded_again_once_the_cache_is_older_than_max_age(
        download, tmp_path):
    fetch_yahoo("MSFT", period="5y", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    newer = recorded_frame()
    newer.iloc[:, 0] += 1.0
    download.result = newer
    assert fetch_yahoo("MSFT", period="5y", data_home=tmp_path)["Adj Close"].iloc[0] == (
        pytest.approx(367.9))  # fresh cache: no download
    _age(cache, days=2)
    refreshed = fetch_yahoo("MSFT", period="5y", data_home=tmp_path)
    assert len(download.calls) == 2
    assert refreshed["Adj Close"].iloc[0] == pytest.approx(368.9)


def test_a_stale_cache_is_used_offline_with_a_warning(download, tmp_path):
    first = fetch_yahoo("MSFT", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    _age(cache, days=40)
    download.result = OSError("offline")
    with pytest.warns(UserWarning, match="older than max_age=1 days.*misses the latest"):
        stale = fetch_yahoo("MSFT", data_home=tmp_path)
    pd.testing.assert_frame_equal(stale, first, check_freq=False)
    assert fetch_yahoo("MSFT", data_home=tmp_path, max_age=None) is not None  # no download
    assert len(download.calls) == 2


def test_a_closed_span_never_expires(download, tmp_path):
    fetch_yahoo("MSFT", start="2024-01-01", end="2024-01-05", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    _age(cache, days=400)
    download.result = OSError("offline")
    fetch_yahoo("MSFT", start="2024-01-01", end="2024-01-05", data_home=tmp_path)
    assert len(download.calls) == 1
