"""Process checks shared by the sweep reliability tests (Linux /proc)."""

import pathlib


def alive(pid) -> bool:
    """The process exists and is not a zombie."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
