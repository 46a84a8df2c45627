import errno
import os
import time
import warnings
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
    with pytest.raises(ValueError, match="no prices for 'NOPE'.*load_msft") as error:
        fetch_yahoo("NOPE", data_home=tmp_path)
    assert isinstance(error.value, ConnectionError)  # yfinance's empty answer may mean offline
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

    def interrupted_write(self, data):
        with open(self, "wb") as f:
            f.write(data[: len(data) // 2])  # half a file, then the interruption
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted_write)
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


# --- yfinance 1.7's frames, and what fetch_yahoo makes of them --------------------------------

def history(index, close):
    """One ticker's ``Ticker.history`` frame (yfinance 1.7): OHLC, Adj Close, int Volume."""
    close = np.asarray(close, dtype=float)
    return pd.DataFrame({"Open": close - 1, "High": close + 1, "Low": close - 2, "Close": close,
                         "Adj Close": close * 0.99, "Volume": np.arange(len(close)) * 100 + 7},
                        index=index)


def yfinance_download(histories):
    """What ``yfinance.download`` 1.7 returns for ``{ticker: history or None}``: histories
    joined on their dates, columns (Price, Ticker) sorted by price; a failed ticker (no network,
    unknown symbol) contributes no rows. Checked against yfinance itself below."""
    empty = pd.DataFrame(np.nan, index=[], columns=[*_COLUMNS[:4], "Adj Close", "Volume"])
    frames = {t: empty if h is None else h for t, h in histories.items()}
    index = pd.DatetimeIndex([])
    for frame in frames.values():
        if len(frame):
            index = frame.index if not len(index) else index.union(frame.index)
    data = pd.concat([f.reindex(index) for f in frames.values()], axis=1, sort=True,
                     keys=list(frames), names=["Ticker", "Price"])
    data.columns = data.columns.swaplevel(0, 1)
    return data.sort_index(level=0, axis=1)


_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
# 12 hourly bars of ES=F across the fall-back night: 01:00 happens twice in Chicago
FALL_BACK = pd.date_range("2024-11-03 04:00", periods=12, freq="h", tz="UTC").tz_convert(
    "America/Chicago").rename("Datetime")
DAYS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"], name="Date")


def test_the_synthesised_frames_are_what_yfinance_builds(monkeypatch):
    """Run yfinance's own download() on recorded per-ticker histories (no network): it builds
    the frame the tests feed fetch_yahoo, for a bar-by-bar intraday ticker and a failed one."""
    import yfinance.multi

    histories = {"ES=F": history(FALL_BACK, np.arange(12.0) + 5000), "NOPE": None}

    class RecordedTicker:
        def __init__(self, ticker):
            self.ticker, self._price_history = ticker, None

        def history(self, **kwargs):
            if histories[self.ticker] is None:
                raise ConnectionError("offline")
            return histories[self.ticker]

    monkeypatch.setattr(yfinance.multi, "Ticker", RecordedTicker)
    for tickers in (["ES=F"], ["NOPE"], ["ES=F", "NOPE"]):
        built = yfinance.download(" ".join(tickers), period="5d", interval="1h", progress=False,
                                  auto_adjust=False, actions=False, threads=False)
        expected = yfinance_download({t: histories[t] for t in tickers})
        pd.testing.assert_frame_equal(built, expected, check_freq=False, check_dtype=False)
        assert built.index.tz == expected.index.tz


def test_intraday_bars_across_a_dst_change_keep_every_bar(download, tmp_path):
    closes = np.arange(12.0) + 5000
    download.result = yfinance_download({"ES=F": history(FALL_BACK, closes)})
    prices = fetch_yahoo("ES=F", period="5d", interval="1h", data_home=tmp_path)
    assert len(prices) == 12 and prices.index.is_unique and prices.index.is_monotonic_increasing
    assert str(prices.index.tz) == "America/Chicago"
    np.testing.assert_array_equal(prices["Close"], closes)
    assert (prices.index == FALL_BACK).all()  # the same instants, in the exchange's zone
    assert (prices.index.strftime("%H:%M") == "01:00").sum() == 2
    download.result = ConnectionError("offline")
    cached = fetch_yahoo("ES=F", period="5d", interval="1h", data_home=tmp_path)
    pd.testing.assert_frame_equal(cached, prices, check_freq=False)
    assert len(download.calls) == 1


def test_daily_bars_stay_tz_naive_dates(download, tmp_path):
    days = pd.DatetimeIndex(DAYS, name="Date").tz_localize("America/New_York")
    download.result = yfinance_download({"MSFT": history(days, [1.0, 2.0, 3.0, 4.0])})
    prices = fetch_yahoo("MSFT", data_home=tmp_path)
    assert prices.index.tz is None and list(prices.index) == list(DAYS)


@pytest.mark.parametrize("ticker", ["MSFT AAPL", "MSFT,AAPL", " MSFT  AAPL ", ["MSFT", "AAPL"],
                                    ("MSFT",)])
def test_several_tickers_in_one_call_are_refused(download, tmp_path, ticker):
    with pytest.raises(ValueError, match="one ticker per call.*fetch_yahoo\\(t\\) for t in"):
        fetch_yahoo(ticker, data_home=tmp_path)
    assert not download.calls


def test_a_frame_with_other_tickers_gives_ours_or_an_error(download, tmp_path):
    download.result = yfinance_download({"AAPL": history(DAYS, [9.0] * 4),
                                         "MSFT": history(DAYS, [1.0, 2.0, 3.0, 4.0])})
    prices = fetch_yahoo("MSFT", data_home=tmp_path)
    assert list(prices.columns) == _COLUMNS and not prices.columns.has_duplicates
    np.testing.assert_array_equal(prices["Close"], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"prices of \['AAPL', 'MSFT'\].*one ticker per call"):
        fetch_yahoo("BRK.B", data_home=tmp_path)  # yfinance answered for other symbols
    download.result = yfinance_download({"BRK-B": history(DAYS, [5.0] * 4)})
    assert fetch_yahoo("BRK.B", data_home=tmp_path)["Close"].iloc[0] == 5.0  # renamed by Yahoo


@pytest.mark.parametrize("offline", [ConnectionError("Failed to connect"), "empty"])
def test_offline_with_a_stale_cache_returns_it_with_a_warning(download, tmp_path, offline):
    first = fetch_yahoo("MSFT", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    _age(cache, days=3)
    download.result = yfinance_download({"MSFT": None}) if offline == "empty" else offline
    with pytest.warns(UserWarning, match=f"returning the cached copy at {cache}"):
        stale = fetch_yahoo("MSFT", data_home=tmp_path)
    pd.testing.assert_frame_equal(stale, first, check_freq=False)
    # refresh=True insists on a download; its advice, refresh=False, then works
    with pytest.raises(ConnectionError, match="call again with refresh=False") as error:
        fetch_yahoo("MSFT", data_home=tmp_path, refresh=True)
    assert str(cache) in str(error.value)
    with pytest.warns(UserWarning, match="returning the cached copy"):
        fetch_yahoo("MSFT", data_home=tmp_path, refresh=False)


@pytest.mark.parametrize("offline", [OSError("Could not resolve host"), "empty"])
def test_offline_without_a_cache_is_a_connection_error_naming_load_msft(download, tmp_path,
                                                                         offline):
    download.result = yfinance_download({"MSFT": None}) if offline == "empty" else offline
    with pytest.raises(ConnectionError, match="MSFT.*network connection.*load_msft"):
        fetch_yahoo("MSFT", data_home=tmp_path)
    assert not list(tmp_path.rglob("*.csv"))


def _cached(download, tmp_path, closes=(101.0, 102.25, 103.0, 109.5)):
    download.result = yfinance_download({"MSFT": history(DAYS, list(closes))})
    fetch_yahoo("MSFT", data_home=tmp_path)
    (cache,) = (tmp_path / "yahoo").glob("*.csv")
    return cache


def _cut_inside_the_last_close(data):
    return data[: data.rindex(b"109.5") + 2]  # "...,10": a Close of 10.0 to a naive reader


DAMAGES = {
    "cut short": (_cut_inside_the_last_close, "cut short or changed"),
    "zero bytes": (lambda data: b"", "empty, 0 bytes"),
    "gzip bytes": (lambda data: __import__("gzip").compress(data), "gzip-compressed"),
    "edited": (lambda data: data.replace(b"109.5", b"190.5"), "cut short or changed"),
    "no checksum line": (lambda data: data.partition(b"\n")[2], "checksum line"),
    "bad checksum line": (lambda data: b"# skrnn cache {nope\n" + data.partition(b"\n")[2],
                          "checksum line is unreadable"),
    "other request": (lambda data: data.replace(b'"ticker": "MSFT"', b'"ticker": "AAPL"'),
                      "another request"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_cache_is_reported_and_downloaded_again(download, tmp_path, damage):
    cache = _cached(download, tmp_path)
    damage_it, reason = DAMAGES[damage]
    cache.write_bytes(damage_it(cache.read_bytes()))
    with pytest.warns(UserWarning, match=f"cached copy at {cache} is damaged.*{reason}"):
        prices = fetch_yahoo("MSFT", data_home=tmp_path)
    assert len(download.calls) == 2
    assert prices["Close"].iloc[-1] == 109.5
    # the new download replaced it: read again without a download or a warning
    download.result = ConnectionError("offline")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fetch_yahoo("MSFT", data_home=tmp_path)["Close"].iloc[-1] == 109.5


@pytest.mark.parametrize("damage", ["cut short", "zero bytes", "gzip bytes"])
def test_a_damaged_cache_is_never_read_offline(download, tmp_path, damage):
    cache = _cached(download, tmp_path)
    cache.write_bytes(DAMAGES[damage][0](cache.read_bytes()))
    download.result = ConnectionError("offline")
    with pytest.warns(UserWarning, match="damaged"), pytest.raises(
            ConnectionError, match=f"cached copy at {cache} is damaged and was not used.*"
                                   "load_msft"):
        fetch_yahoo("MSFT", data_home=tmp_path)


def test_a_cache_that_cannot_be_written_still_returns_the_prices(download, tmp_path,
                                                                 monkeypatch):
    def disk_full(self, data):
        with open(self, "wb") as f:
            f.write(data[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.warns(UserWarning, match="Could not save .*No space left on device"):
        prices = fetch_yahoo("MSFT", data_home=tmp_path)
    assert prices["Close"].iloc[0] == pytest.approx(370.87)
    assert not list((tmp_path / "yahoo").iterdir())  # no partial file, no temporary file


def test_symbols_that_differ_only_in_punctuation_have_their_own_cache(download, tmp_path):
    download.result = yfinance_download({"ES=F": history(DAYS, [1.0] * 4)})
    fetch_yahoo("ES=F", data_home=tmp_path)
    download.result = yfinance_download({"ES-F": history(DAYS, [2.0] * 4)})
    assert fetch_yahoo("ES-F", data_home=tmp_path)["Close"].iloc[0] == 2.0
    assert len(list((tmp_path / "yahoo").glob("*.csv"))) == 2
    assert fetch_yahoo("ES=F", data_home=tmp_path)["Close"].iloc[0] == 1.0


@pytest.mark.parametrize("kwargs, match", [
    ({"period": "5 years"}, "period must be a Yahoo Finance period"),
    ({"period": None}, "period must be"),
    ({"interval": "hourly"}, "interval must be a Yahoo Finance interval"),
    ({"max_age": "soon"}, "max_age must be a duration"),
    ({"max_age": "-1D"}, "max_age must be a duration"),
])
def test_malformed_arguments_are_named(download, tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fetch_yahoo("MSFT", data_home=tmp_path, **kwargs)
    assert not download.calls


def test_cache_files_reach_the_disk_before_they_take_the_name(tmp_path, monkeypatch):
    events = []
    monkeypatch.setattr(_home.os, "fsync", lambda fd: events.append("fsync"))
    real_replace = os.replace
    monkeypatch.setattr(_home.os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b)))
    _home.write_atomically(tmp_path / "f", lambda tmp: Path(tmp).write_text("x"))
    assert events == ["fsync", "replace"]
