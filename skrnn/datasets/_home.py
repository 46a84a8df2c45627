"""Where downloaded data is cached, and how a cache file is written without corruption."""

import os
import tempfile
from pathlib import Path


def get_data_home(data_home=None):
    """Return the folder of skrnn's data cache, creating it if needed.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder to use. By default the environment variable ``SKRNN_DATA`` if set, else
        ``~/skrnn_data``.

    Returns
    -------
    data_home : pathlib.Path
        The cache folder.

    Examples
    --------
    >>> import tempfile
    >>> from skrnn.datasets import get_data_home
    >>> get_data_home(tempfile.mkdtemp()).is_dir()
    True
    """
    if data_home is None:
        data_home = os.environ.get("SKRNN_DATA", Path("~") / "skrnn_data")
    data_home = Path(data_home).expanduser()
    data_home.mkdir(parents=True, exist_ok=True)
    return data_home


def write_atomically(path, write):
    """Call ``write(tmp_path)`` then move the file into `path` in one step.

    An interruption at any point leaves either the old file or the new one, never a partial
    file: the temporary file lives in the same folder, its bytes are flushed to the disk
    before ``os.replace`` (atomic) puts it in place, so that a power cut cannot leave an
    empty file under the final name either.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates owner-only files; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
