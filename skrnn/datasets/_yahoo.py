"""Daily (or intraday) prices from Yahoo Finance through yfinance, cached on disk.

A cache file is a CSV behind one checksum line, ``# skrnn cache {...}``, that records the
number of rows, the SHA-256 of the CSV bytes after it, the time zone of the bars and the
request the file answers. The file is written atomically, and read only if all of that
checks out: a file cut short, emptied, overwritten or left by another program is reported
with its path and never used.
"""

import hashlib
import io
import json
import re
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ._home import get_data_home, write_atomically

_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
_MAGIC = b"# skrnn cache "
_PERIOD = re.compile(r"(max|ytd|[1-9]\d*(d|wk|mo|y))")  # what yfinance accepts
_INTERVAL = re.compile(r"[1-9]\d*(m|h|d|wk|mo)")


class _NoPrices(ConnectionError, ValueError):
    """Yahoo answered with no rows. yfinance reports an unknown symbol and a failed download
    alike, with an empty frame, so this is both a ConnectionError and (as in skrnn 0.1, for an
    unknown symbol) a ValueError."""


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
    `max_age`; when that download fails (an exception, or the empty answer by which yfinance
    reports network errors), the older copy is returned with a warning.

    Parameters
    ----------
    ticker : str
        One Yahoo Finance symbol, e.g. ``"MSFT"``. Several symbols in one string
        (``"MSFT AAPL"``) or a list are refused: call once per ticker.

    period : str, default="5y"
        Span to download ending today (``"1y"``, ``"5y"``, ``"6mo"``, ``"ytd"``, ``"max"``...).
        Ignored when `start` is given.

    interval : str, default="1d"
        Bar size (``"1d"``, ``"1wk"``, ``"1mo"``, ``"1h"``, ``"15m"``...).

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
        Columns among ``Open, High, Low, Close, Adj Close, Volume``, indexed by a
        ``DatetimeIndex`` named ``Date``, oldest first: tz-naive dates for daily and longer
        bars; for intraday bars (``interval`` in minutes or hours) tz-aware, in the
        exchange's time zone as yfinance gives it, so that the two bars of the hour repeated
        when clocks go back stay two bars.

    Raises
    ------
    ConnectionError
        If the download fails and no usable cached copy exists: yfinance raised, or returned
        no rows (an unknown or delisted symbol looks the same, so this error is also a
        ``ValueError``). The message says whether a cached copy exists and how to use it, and
        names the bundled alternative :func:`load_msft`.
    ValueError
        If an argument is malformed, or `ticker` names several symbols.

    Warns
    -----
    UserWarning
        When a stale cached copy is returned because the download failed; when a cached file
        is damaged (it is then not used, and replaced by a new download); when the download
        could not be saved (the prices are returned all the same).

    See Also
    --------
    load_msft : Real daily prices bundled with skrnn, no network needed.

    Notes
    -----
    A cache file is complete and valid, or it is not used. It is written to a temporary file
    in the same folder, flushed to the disk and moved into place in one step, so an
    interruption leaves the previous file. Its first line records the row count, a SHA-256
    checksum of the rest, the bars' time zone and the request; a file whose checksum, row
    count or request does not match (cut short, zero bytes, compressed, edited, written by
    another program) is reported with its path and downloaded again.

    Examples
    --------
    >>> from skrnn.datasets import fetch_yahoo
    >>> prices = fetch_yahoo("MSFT", period="5y")  # doctest: +SKIP
    >>> prices.columns.tolist()  # doctest: +SKIP
    ['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']
    """
    ticker = _check_ticker(ticker)
    if start is None:
        _check_code(period, "period", _PERIOD, "'5y', '6mo', '1wk', 'ytd' or 'max'")
    _check_code(interval, "interval", _INTERVAL, "'1d', '1wk', '1mo', '1h' or '15m'")
    max_age = _check_max_age(max_age)
    span = f"{start}_{end}" if start else period
    request = {"ticker": ticker, "period": None if start else period,
               "start": None if start is None else str(start),
               "end": None if end is None else str(end),
               "interval": interval, "auto_adjust": bool(auto_adjust)}
    key = f"{ticker}_{span}_{interval}_adj{int(bool(auto_adjust))}"
    cache = get_data_home(data_home) / "yahoo" / f"{quote(key, safe='')}.csv"

    cached, damage = _load_cache(cache, request)
    if damage:
        warnings.warn(f"The cached copy at {cache} is damaged ({damage}); it is not used, and "
                      "is replaced if the download succeeds.", UserWarning, stacklevel=2)
    expired = (
        cached is not None and end is None and max_age is not None
        and time.time() - cache.stat().st_mtime > max_age.total_seconds()
    )
    if cached is not None and not refresh and not expired:
        return cached

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
        failure = None
    except Exception as exc:
        raw, failure = None, f"{type(exc).__name__}: {exc}"
    frame = None if failure else _tidy(raw, ticker, intraday=interval[-1] in "mh")
    if frame is None or frame.empty:
        if cached is not None and not refresh:
            warnings.warn(
                f"Could not download {ticker!r} from Yahoo Finance ("
                f"{failure or 'no rows came back'}); returning the cached copy at {cache}, "
                f"which is older than max_age={max_age} and misses the latest prices.",
                UserWarning,
                stacklevel=2,
            )
            return cached
        if cached is not None:
            advice = (f"A cached copy exists at {cache}: call again with refresh=False to "
                      "use it.")
        else:
            advice = (f"The cached copy at {cache} is damaged and was not used. " if damage
                      else "") + ("Use skrnn.datasets.load_msft() for bundled real prices (no "
                                  "network), or load your own CSV with pandas.")
        if failure:
            raise ConnectionError(f"Could not download {ticker!r} from Yahoo Finance "
                                  f"({failure}). Check the network connection. {advice}")
        raise _NoPrices(
            f"Yahoo Finance returned no prices for {ticker!r} over {span!r} at interval "
            f"{interval!r}: the symbol may be unknown or delisted, or the download failed "
            "(yfinance reports network errors as empty results). Check the symbol and the "
            f"network connection. {advice}"
        )
    try:
        _write_cache(cache, frame, request)
    except OSError as exc:
        warnings.warn(f"Could not save the prices of {ticker!r} to {cache} "
                      f"({exc.strerror or exc}); they are returned, but not cached.",
                      UserWarning, stacklevel=2)
    return frame


def _check_ticker(ticker):
    symbols = (list(ticker) if isinstance(ticker, (list, tuple, set))
               else [s for s in re.split(r"[\s,;]+", ticker) if s] if isinstance(ticker, str)
               else None)
    if symbols is not None and (len(symbols) > 1 or not isinstance(ticker, str)):
        raise ValueError(
            f"fetch_yahoo downloads one ticker per call, got {ticker!r}. Call it once per "
            f"ticker, e.g. {{t: fetch_yahoo(t) for t in {[str(s) for s in symbols]!r}}}.")
    if not isinstance(ticker, str) or not ticker.strip():
        raise ValueError(f"ticker must be a non-empty string such as 'MSFT', got {ticker!r}.")
    return ticker.strip().upper()


def _check_code(value, name, pattern, examples):
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{name} must be a Yahoo Finance {name} such as {examples}, "
                         f"got {value!r}.")


def _check_max_age(max_age):
    if max_age is None:
        return None
    try:
        age = pd.Timedelta(max_age)
    except (ValueError, TypeError):
        age = pd.NaT
    if pd.isna(age) or age < pd.Timedelta(0):
        raise ValueError(f"max_age must be a duration such as '1D' or '12h' (anything "
                         f"pandas.Timedelta reads, >= 0), or None; got {max_age!r}.")
    return age


def _write_cache(cache, frame, request):
    body = frame.to_csv().encode()
    header = {"rows": len(frame), "sha256": hashlib.sha256(body).hexdigest(),
              "tz": None if frame.index.tz is None else str(frame.index.tz),
              "request": request}
    cache.parent.mkdir(parents=True, exist_ok=True)
    data = _MAGIC + json.dumps(header).encode() + b"\n" + body
    write_atomically(cache, lambda tmp: Path(tmp).write_bytes(data))


def _load_cache(cache, request):
    """``(frame, None)`` for a valid cache file, ``(None, reason)`` for a damaged one and
    ``(None, None)`` when there is none."""
    try:
        data = cache.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"it cannot be read: {exc.strerror or exc}"
    if not data:
        return None, "it is empty, 0 bytes"
    if data[:2] == b"\x1f\x8b":
        return None, "it holds gzip-compressed bytes, not the text skrnn writes"
    line, _, body = data.partition(b"\n")
    if not line.startswith(_MAGIC):
        return None, ("it does not start with skrnn's checksum line; an older skrnn or another "
                      "program wrote it")
    try:
        header = json.loads(line[len(_MAGIC):])
        rows, digest, tz = int(header["rows"]), header["sha256"], header["tz"]
    except (ValueError, KeyError, TypeError):
        return None, "its checksum line is unreadable"
    if hashlib.sha256(body).hexdigest() != digest:
        return None, ("its bytes do not match their checksum: it was cut short or changed "
                      "after skrnn wrote it")
    if header.get("request") != request:
        return None, f"it holds the prices of another request, {header.get('request')}"
    try:
        frame = pd.read_csv(io.BytesIO(body), index_col="Date")
        index = pd.to_datetime(frame.index, format="ISO8601", utc=tz is not None)
        frame.index = pd.DatetimeIndex(index if tz is None else index.tz_convert(tz),
                                       name="Date")
    except Exception as exc:
        return None, f"it cannot be read as prices: {exc}"
    if len(frame) != rows:
        return None, f"it has {len(frame)} rows where its checksum line says {rows}"
    return frame, None


def _tidy(raw, ticker, intraday):
    """Flat OHLCV columns, a date index named ``Date`` (tz-naive for daily bars, the exchange's
    zone for intraday ones), time order, no empty rows."""
    if raw is None or len(raw) == 0:
        return None
    frame = raw
    if isinstance(frame.columns, pd.MultiIndex):
        frame = _one_ticker(frame, ticker)
    frame = frame[[c for c in _COLUMNS if c in frame.columns]].dropna(how="all")
    if frame.columns.has_duplicates:
        raise ValueError(f"yfinance returned several columns of the same price for {ticker!r}"
                         f" ({list(frame.columns)}): fetch_yahoo downloads one ticker per call.")
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None and not intraday:
        index = index.tz_localize(None)  # daily bars: the exchange's dates
    frame = frame.set_axis(index.rename("Date"), axis=0)
    frame.columns.name = None
    frame = frame.sort_index(kind="stable")
    # A repeated timestamp is one bar sent twice (Yahoo resends the day's live bar); an
    # intraday index keeps its zone, so the hour repeated when clocks go back is not repeated.
    return frame[~frame.index.duplicated(keep="last")]


def _one_ticker(frame, ticker):
    """The price columns of `ticker` from yfinance's (Price, Ticker) columns."""
    for level in range(frame.columns.nlevels):
        if ticker in frame.columns.get_level_values(level):
            return frame.xs(ticker, axis=1, level=level)
    price_level = next((level for level in range(frame.columns.nlevels)
                        if set(frame.columns.get_level_values(level)) & set(_COLUMNS)), 0)
    others = {value for level in range(frame.columns.nlevels) if level != price_level
              for value in frame.columns.get_level_values(level)}
    if len(others) > 1:
        raise ValueError(f"yfinance returned the prices of {sorted(map(str, others))} for "
                         f"{ticker!r}: fetch_yahoo downloads one ticker per call.")
    return frame.set_axis(frame.columns.get_level_values(price_level), axis=1)
