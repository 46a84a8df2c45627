"""The command's outputs are written as one set: a failure leaves the previous set whole."""

import errno
import os
from pathlib import Path

import pytest

from skrnn import _outputs
from skrnn._outputs import write_together

NAMES = ("forecast.png", "comparison.png", "results.csv")


def writers(tag, fail_at=None, error=None):
    def write(name):
        def to(path):
            if name == fail_at:
                Path(path).write_bytes(b"half of " + name.encode())  # then the disk is full
                raise error or OSError(errno.ENOSPC, "No space left on device")
            Path(path).write_text(f"{tag} {name}")
        return to
    return {name: write(name) for name in NAMES}


def snapshot(folder):
    return {p.name: p.read_bytes() for p in Path(folder).iterdir()}


def test_a_new_set_replaces_the_old_and_leaves_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    write_together(tmp_path, writers("old"))
    write_together(tmp_path, writers("new"))
    assert snapshot(tmp_path) == {"notes.txt": b"mine",
                                  **{n: f"new {n}".encode() for n in NAMES}}


@pytest.mark.parametrize("fail_at", NAMES)
def test_a_full_disk_while_writing_leaves_the_previous_set_byte_identical(tmp_path, fail_at):
    write_together(tmp_path, writers("old"))
    before = snapshot(tmp_path)
    with pytest.raises(OSError, match=f"could not write {tmp_path / fail_at}: No space left on "
                                      f"device \\[Errno 28\\]; the previous outputs in "
                                      f"{tmp_path} are unchanged"):
        write_together(tmp_path, writers("new", fail_at=fail_at))
    assert snapshot(tmp_path) == before  # nothing new, nothing half-written, no staging left


def test_a_first_set_that_fails_leaves_no_file(tmp_path):
    with pytest.raises(OSError, match="results.csv"):
        write_together(tmp_path, writers("new", fail_at="results.csv"))
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize("failing_move", [1, 2, 3, 4, 5, 6])
def test_a_move_that_fails_puts_the_previous_set_back(tmp_path, monkeypatch, failing_move):
    write_together(tmp_path, writers("old"))
    before = snapshot(tmp_path)
    real_replace, moves = os.replace, []

    def replace(source, target):
        moves.append(target)
        if len(moves) == failing_move:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(_outputs.os, "replace", replace)
    with pytest.raises(OSError, match="could not move the new outputs.*Input/output error.*"
                                      "unchanged"):
        write_together(tmp_path, writers("new"))
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_an_interruption_while_moving_puts_the_previous_set_back(tmp_path, monkeypatch):
    write_together(tmp_path, writers("old"))
    before = snapshot(tmp_path)
    real_replace, moves = os.replace, []

    def replace(source, target):
        moves.append(target)
        if len(moves) == 4:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(_outputs.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_together(tmp_path, writers("new"))
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_files_are_flushed_before_they_are_moved(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(_outputs.os, "fsync", lambda fd: (events.append("fsync"),
                                                         real_fsync(fd)))
    monkeypatch.setattr(_outputs.os, "replace", lambda a, b: (events.append("replace"),
                                                              real_replace(a, b)))
    write_together(tmp_path, writers("new"))
    assert events[:3] == ["fsync"] * 3 and "fsync" not in events[3:-1]
    assert events[3:-1] == ["replace"] * 3


def test_a_folder_in_the_way_is_never_moved_or_deleted(tmp_path):
    (tmp_path / "results.csv").mkdir()
    (tmp_path / "results.csv" / "precious.txt").write_text("a day's work")
    with pytest.raises(OSError, match="cannot write .*results.csv: something other than a file"):
        write_together(tmp_path, writers("new"))
    assert (tmp_path / "results.csv" / "precious.txt").read_text() == "a day's work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
