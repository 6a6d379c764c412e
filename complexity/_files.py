"""Files written whole or not at all: the one atomic-write routine of the package.

``atomic_write(path, write)`` calls ``write(file_object)`` on a temporary file beside
``path`` (same folder, so the rename cannot cross file systems), flushes and fsyncs it,
gives it the mode an ordinary new file gets (``0o666 & ~umask``; ``mkstemp`` would leave
0600), renames it over ``path`` and fsyncs the folder.  On any failure the temporary file
is removed and ``path`` is untouched: a reader sees the old file or the new one, never half.
Used by sweep result files, ``complexity spectrum sample`` and the network weights cache.
"""

from __future__ import annotations

import os
import pathlib
import tempfile

__all__ = ["atomic_write", "file_mode"]


def _umask() -> int:
    """The process's umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode of a newly created ordinary file: ``0o666 & ~umask``."""
    return 0o666 & ~_umask()


def atomic_write(path, write, *, text: bool = False) -> pathlib.Path:
    """Write ``path`` atomically by ``write(fh)`` (``fh`` binary, or text with ``text=True``)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        kwargs = {"encoding": "utf-8", "newline": ""} if text else {}
        with os.fdopen(fd, "w" if text else "wb", **kwargs) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    return path
