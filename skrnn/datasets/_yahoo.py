"""Daily (or intraday) prices from Yahoo Finance through yfinance, cached on disk."""

import re
import time
import warnings

import pandas as pd

from ._home import get_data_home, write_atomically

_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]


def fetch_yahoo(
    ticker,
    *,
    period="5y",
    interval="1d",
    start=None,
    end=None,
    auto_adjust=False,
    data_home=None,
    refresh=False,
    max_age="1D",
):
    """Download prices of one ticker from Yahoo Finance, or load them from the cache.

    Wraps :func:`yfinance.download` and returns the same tidy frame whatever yfinance's column
    layout (``MultiIndex`` columns by ticker in recent versions, flat in older ones). The first
    download is saved in ``<data_home>/yahoo/``; later calls with the same arguments read the
    file and need no network. A span that ends today (a `period`, or `start` without `end`)
    grows every trading day, so its cached copy is downloaded again once it is older than
    `max_age`; when that download fails, the older copy is returned with a warning.

    Parameters
    ----------
    ticker : str
        Yahoo Finance symbol, e.g. ``"MSFT"``.

    period : str, default="5y"
        Span to download ending today (``"1y"``, ``"5y"``, ``"max"``...). Ignored when
        `start` is given.

    interval : str, default="1d"
        Bar size (``"1d"``, ``"1wk"``, ``"1h"``...).

    start, end : str or None, default=None
        Dates ``"YYYY-MM-DD"`` bounding the download instead of `period`.

    auto_adjust : bool, default=False
        Passed to yfinance. False keeps raw prices plus an ``Adj Close`` column; True adjusts
        OHLC for splits and dividends and has no ``Adj Close``.

    data_home : str or path-like, default=None
        Cache folder; see :func:`get_data_home`.

    refresh : bool, default=False
        Download again even if a cached copy exists (the cache is then replaced).

    max_age : str, pandas.Timedelta or None, default="1D"
        Age after which the cached copy of a span that ends today is downloaded again (any
        string :class:`pandas.Timedelta` reads). None keeps it forever. Spans with an `end`
        date never change and are never downloaded again.

    Returns
    -------
    frame : pandas.DataFrame
        Columns among ``Open, High, Low, Close, Adj Close, Volume``, indexed by a tz-naive
        ``DatetimeIndex`` named ``Date``, oldest first.

    Raises
    ------
    ConnectionError
        If the download fails (no network, Yahoo refusing the request); the message names the
        cache file and the bundled alternative :func:`load_msft`.
    ValueError
        If Yahoo returns no rows (unknown ticker or empty span).

    See Also
    --------
    load_msft : Real daily prices bundled with skrnn, no network needed.

    Examples
    --------
    >>> from skrnn.datasets import fetch_yahoo
    >>> prices = fetch_yahoo("MSFT", period="5y")  # doctest: +SKIP
    >>> prices.columns.tolist()  # doctest: +SKIP
    ['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']
    """
    if not isinstance(ticker, str) or not ticker.strip():
        raise ValueError(f"ticker must be a non-empty string such as 'MSFT', got {ticker!r}.")
    ticker = ticker.strip().upper()
    span = f"{start}_{end}" if start else period
    key = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{ticker}_{span}_{interval}_adj{int(auto_adjust)}")
    cache = get_data_home(data_home) / "yahoo" / f"{key}.csv"
    max_age = None if max_age is None else pd.Timedelta(max_age)
    stale = (
        cache.exists() and end is None and max_age is not None
        and time.time() - cache.stat().st_mtime > max_age.total_seconds()
    )
    if cache.exists() and not refresh and not stale:
        return _read_cache(cache)

    alternatives = (
        f"A cached copy exists at {cache}: call again with refresh=False to use it."
        if cache.exists()
        else "Use skrnn.datasets.load_msft() for bundled real prices (no network), or "
        "load your own CSV with pandas."
    )
    try:
        import yfinance

        raw = yfinance.download(
            ticker,
            period=None if start else period,
            interval=interval,
            start=start,
            end=end,
            auto_adjust=auto_adjust,
            actions=False,
            progress=False,
            threads=False,
        )
    except Exception as exc:
        if stale and not refresh:
            warnings.warn(
                f"Could not download {ticker!r} from Yahoo Finance ({type(exc).__name__}: "
                f"{exc}); returning the cached copy at {cache}, which is older than "
                f"max_age={max_age} and misses the latest prices.",
                UserWarning,
                stacklevel=2,
            )
            return _read_cache(cache)
        raise ConnectionError(
            f"Could not download {ticker!r} from Yahoo Finance ({type(exc).__name__}: {exc}). "
            f"Check the network connection. {alternatives}"
        ) from exc
    frame = _tidy(raw, ticker)
    if frame.empty:
        raise ValueError(
            f"Yahoo Finance returned no prices for {ticker!r} over {span!r} at interval "
            f"{interval!r}: the symbol may be unknown or delisted, or the download failed "
            f"silently (yfinance reports network errors as empty results). {alternatives}"
        )
    cache.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(cache, frame.to_csv)
    return frame


def _read_cache(cache):
    return pd.read_csv(cache, index_col="Date", parse_dates=True)


def _tidy(raw, ticker):
    """Flat OHLCV columns, a tz-naive date index named ``Date``, time order, no empty rows."""
    if raw is None or len(raw) == 0:
        return pd.DataFrame(columns=_COLUMNS, index=pd.DatetimeIndex([], name="Date"))
    frame = raw.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        ticker_level = next(
            (lvl for lvl in range(frame.columns.nlevels)
             if ticker in frame.columns.get_level_values(lvl)),
            None,
        )
        if ticker_level is not None:
            frame = frame.xs(ticker, axis=1, level=ticker_level)
        else:
            frame.columns = frame.columns.get_level_values(0)
    frame = frame[[c for c in _COLUMNS if c in frame.columns]].dropna(how="all")
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.rename("Date")
    frame.columns.name = None
    frame = frame.sort_index()
    return frame[~frame.index.duplicated(keep="last")]
