"""The command's output files, written as one set: all the new ones, or the old ones untouched."""

import os
import shutil
import tempfile
from pathlib import Path


def write_together(folder, writers):
    """Write the files ``{name: write}`` into `folder` as one set.

    Each ``write(path)`` writes one file at `path`. All are written into a staging folder
    inside `folder` and flushed to the disk; only then are they moved into place, one
    ``os.replace`` each, with the files they replace set aside until the last move has
    succeeded and put back if one fails. A failure (a full disk, an interruption) therefore
    leaves the previous set as it was, and raises an ``OSError`` naming the file and the cause.
    Other files in `folder` are never touched.
    """
    folder = Path(folder)
    for name in writers:
        if (folder / name).exists() and not (folder / name).is_file():
            raise OSError(f"cannot write {folder / name}: something other than a file has "
                          f"that name; move it away")
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".skrnn-writing-"))
    unchanged = f"the previous outputs in {folder} are unchanged"
    try:
        for name, write in writers.items():
            try:
                write(staging / name)
                with open(staging / name, "rb+") as written:
                    os.fsync(written.fileno())
            except OSError as exc:
                raise OSError(f"could not write {folder / name}: {_cause(exc)}; "
                              f"{unchanged}") from exc
        try:
            _move_in(staging, folder, list(writers))
        except OSError as exc:
            raise OSError(f"could not move the new outputs into {folder}: {_cause(exc)}; "
                          f"{unchanged}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging, folder, names):
    """Move ``staging/<name>`` to ``folder/<name>`` for every name, or none of them."""
    old = staging / "previous"
    old.mkdir()
    moved = []
    try:
        for name in names:
            if (folder / name).exists():
                os.replace(folder / name, old / name)
            os.replace(staging / name, folder / name)
            moved.append(name)
    except BaseException:
        for name in names:
            if (old / name).exists():
                os.replace(old / name, folder / name)
            elif name in moved:
                (folder / name).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _sync_folder(folder):
    """Flush the folder's entries (the renames) to the disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows opens no folders; its renames are journaled
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _cause(exc):
    return f"{exc.strerror} [Errno {exc.errno}]" if exc.strerror else str(exc) or repr(exc)
