"""The real daily price series shipped inside skrnn."""

from importlib import resources

import pandas as pd


def load_msft():
    """Load Microsoft's (MSFT) daily prices, 1986-03-13 to 2017-11-10 (7,983 trading days).

    Real Yahoo Finance daily quotes as shipped by the MIT-licensed ``pmdarima`` package
    (``pmdarima/datasets/data/msft.tar.gz``). Prices are split-adjusted; the always-zero
    ``OpenInt`` column of the source is dropped. Needs no network.

    Returns
    -------
    frame : pandas.DataFrame of shape (7983, 5)
        Columns ``Open``, ``High``, ``Low``, ``Close`` (float64) and ``Volume`` (int64),
        indexed by a ``DatetimeIndex`` named ``Date``, oldest first.

    See Also
    --------
    fetch_yahoo : Download any ticker from Yahoo Finance.
    make_supervised : Turn a price frame into aligned ``(X, y)``.

    Examples
    --------
    >>> from skrnn.datasets import load_msft
    >>> prices = load_msft()
    >>> prices.shape
    (7983, 5)
    >>> prices.index[[0, -1]].strftime("%Y-%m-%d").tolist()
    ['1986-03-13', '2017-11-10']
    """
    source = resources.files("skrnn.datasets") / "data" / "msft_daily.csv.gz"
    with resources.as_file(source) as path:
        frame = pd.read_csv(path, parse_dates=["Date"], index_col="Date")
    return frame.drop(columns="OpenInt")
