"""Daily (or intraday) prices from Yahoo Finance through yfinance, cached on disk."""

import re

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
):
    """Download prices of one ticker from Yahoo Finance, or load them from the cache.

    Wraps :func:`yfinance.download` and returns the same tidy frame whatever yfinance's column
    layout (``MultiIndex`` columns by ticker in recent versions, flat in older ones). The first
    download is saved in ``<data_home>/yahoo/``; later calls with the same arguments read the
    file and need no network.

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
    if cache.exists() and not refresh:
        return pd.read_csv(cache, index_col="Date", parse_dates=True)

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
