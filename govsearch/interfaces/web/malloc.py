"""Fewer glibc malloc arenas for the server process.

glibc gives a thread that finds the heap busy an arena of its own, up to 8 per core; memory freed in one arena
is not reused by another. The server runs dozens of request threads plus the encoders' worker threads, and
under the 50-client load test its resident memory settled anywhere between 670 and 1,100 MB from one start to
the next; with 2 arenas it settled at 670 MB every time, with the same throughput (bench/RESULTS.md).
"""
from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's mallopt parameter number
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> int | None:
    """Cap glibc's malloc arenas (call before the server's threads start); returns the cap, or None when the user
    set MALLOC_ARENA_MAX (theirs wins) or the C library is not glibc."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return arenas if libc.mallopt(M_ARENA_MAX, arenas) == 1 else None
    except (OSError, AttributeError):
        return None
