"""Daily price data: a bundled real series, Yahoo Finance with an on-disk cache, and (X, y)."""

from ._bundled import load_msft
from ._home import get_data_home
from ._supervised import make_supervised
from ._yahoo import fetch_yahoo

__all__ = ["fetch_yahoo", "get_data_home", "load_msft", "make_supervised"]
