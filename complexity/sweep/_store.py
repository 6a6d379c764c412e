"""Storage of a sweep: cache keys, the append-only journal, and the consolidated CSV file.

* The **journal** ``<out>.partial.jsonl`` receives one JSON line per finished point, written
  and flushed by the parent process as soon as the point returns.  A kill at any moment
  leaves at most one torn last line, which the reader skips (and the next writer first
  terminates with a newline), so no finished point is lost.
* The **lock** ``<out>.lock`` (an advisory ``flock`` held for the whole run, released by the
  kernel if the process dies) makes a second sweep on the same ``<out>`` stop with a clear
  message instead of deleting the first one's journal.
* Files are created with the mode ``0666 & ~umask``, like any other program's.
* The **result file** ``<out>`` is a CSV whose ``#`` header lines hold the metadata (one
  ``# key: JSON`` per line).  It is written to a temporary file in the same directory,
  flushed to disk and moved over ``<out>`` with :func:`os.replace`; readers see the old file
  or the new one, never a mixture.  The journal is removed only after that.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pathlib
import time

from complexity._files import atomic_write, file_mode

__all__ = ["point_key", "Journal", "read_journal", "write_result", "read_result", "format_cell", "MAGIC",
           "OutputLock", "lock_path"]

#: first line of every result file
MAGIC = "# complexity sweep"


def point_key(model: str, model_version: str, package_version: str, params: dict) -> str:
    """sha256 (first 20 hex digits) of the model, its version, the package version and the parameters."""
    blob = json.dumps(
        {"model": model, "model_version": model_version, "complexity": package_version, "params": params},
        sort_keys=True, allow_nan=False, separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def journal_path(out: pathlib.Path) -> pathlib.Path:
    return out.with_name(out.name + ".partial.jsonl")


def lock_path(out: pathlib.Path) -> pathlib.Path:
    return out.with_name(out.name + ".lock")


class OutputLock:
    """An exclusive advisory lock on ``<out>.lock`` for the duration of a sweep.

    ``acquire()`` raises ``ValueError`` naming the file and the holder's pid when another
    process holds it.  The lock is released (and the lock file removed) by ``release()``, or
    by the kernel when the holder dies, so a killed sweep never blocks the next one.
    """

    def __init__(self, out: pathlib.Path):
        self.out = out
        self.path = lock_path(out)
        self._fd = None

    def acquire(self) -> "OutputLock":
        import fcntl

        for _ in range(20):  # the holder may remove the file between our open and flock: retry
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, file_mode())
            except OSError as exc:
                raise ValueError(f"out: cannot create the lock file {str(self.path)!r} ({exc.strerror})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise ValueError(f"out: another sweep (pid {holder}) is writing {str(self.out)!r}; wait for it to "
                                 f"finish or choose another --out (lock file {str(self.path)!r})") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                self._fd = fd
                return self
            os.close(fd)
        raise ValueError(f"out: could not lock {str(self.path)!r}")  # pragma: no cover

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.unlink(self.path)  # while holding the lock: a waiter re-checks the inode
            except FileNotFoundError:
                pass
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


class Journal:
    """Append-only JSON-lines record of finished points (opened lazily on the first record)."""

    def __init__(self, path: pathlib.Path, fsync_every: float = 1.0):
        self.path = path
        self._fh = None
        self._fsync_every = fsync_every
        self._last_sync = time.monotonic()

    def append(self, record: dict) -> None:
        if self._fh is None:
            fh = open(self.path, "a+b")
            fh.seek(0, os.SEEK_END)
            if fh.tell() > 0:  # a torn last line from a killed run: terminate it first
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    fh.write(b"\n")
            self._fh = fh
        line = json.dumps(record, separators=(",", ":")) + "\n"
        self._fh.write(line.encode())
        self._fh.flush()  # in the kernel now: survives a kill of this process
        now = time.monotonic()
        if now - self._last_sync >= self._fsync_every:  # and on disk, at most once a second
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def read_journal(path: pathlib.Path) -> dict[str, dict]:
    """Records by key (the last record of a key wins); torn or foreign lines are skipped."""
    out: dict[str, dict] = {}
    if not path.exists():
        return out
    with open(path, "rb") as fh:
        for raw in fh:
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("key"), str) and isinstance(rec.get("params"), dict):
                out[rec["key"]] = rec
    return out


def format_cell(v) -> str:
    """A value as a CSV cell: floats by ``repr`` (exact round trip; ``inf``, ``-inf``), None as empty."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _quoted(cell: str) -> str:
    """A CSV cell, quoted when it holds a separator, a quote, a line break or ``#``.

    Quoting ``#`` keeps ``pandas.read_csv(path, comment="#")`` from cutting the row there.
    """
    cell = str(cell)
    if any(ch in cell for ch in ',"\n\r#') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_result(out: pathlib.Path, metadata: dict, columns: list[str], rows: list[dict]) -> None:
    """Write the result file atomically (temporary file in the same directory, fsync, os.replace)."""
    buf = io.StringIO()
    buf.write(MAGIC + "\n")
    for k, v in metadata.items():
        buf.write(f"# {k}: {json.dumps(v, allow_nan=False, ensure_ascii=False)}\n")
    buf.write(",".join(_quoted(c) for c in columns) + "\n")
    for row in rows:
        buf.write(",".join(_quoted(row.get(c, "")) for c in columns) + "\n")
    atomic_write(out, lambda fh: fh.write(buf.getvalue()), text=True)


def read_result(path: pathlib.Path) -> tuple[dict, list[str], list[dict]]:
    """``(metadata, columns, rows)`` of a result file; rows are dicts of the raw cell strings.

    Raises ``ValueError`` when ``path`` is not a sweep result file.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\n") != MAGIC:
        raise ValueError(f"out: {str(path)!r} exists and is not a complexity sweep file; refusing to overwrite it")
    meta: dict = {}
    i = 1
    while i < len(lines) and lines[i].startswith("#"):
        body = lines[i][1:].strip()
        k, sep, v = body.partition(":")
        if sep:
            try:
                meta[k.strip()] = json.loads(v)
            except ValueError:
                meta[k.strip()] = v.strip()
        i += 1
    reader = csv.reader(io.StringIO("".join(lines[i:])))
    try:
        columns = next(reader)
    except StopIteration:
        return meta, [], []
    rows = [dict(zip(columns, r)) for r in reader if r]
    return meta, columns, rows
