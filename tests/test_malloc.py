"""The server caps glibc's malloc arenas (resident memory under load settles at one level, not 670-1,100 MB)."""
import platform

from govsearch.interfaces.web.malloc import ARENAS, limit_malloc_arenas


def test_the_server_caps_malloc_arenas_unless_the_user_chose(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_malloc_arenas() == (ARENAS if platform.libc_ver()[0] == "glibc" else None)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is None
