"""Rate limits kept in Django's cache (shared by all processes with the default file cache)."""

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """True when ``key`` has been counted ``limit`` times within ``window`` seconds."""
    return int(cache.get(f"throttle:{key}", 0)) >= limit


def count(key: str, *, window: int) -> int:
    """Count one more event for ``key``; the window starts with the first event."""
    full = f"throttle:{key}"
    if cache.add(full, 1, timeout=window):
        return 1
    try:
        return cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window)
        return 1


def reset(key: str) -> None:
    cache.delete(f"throttle:{key}")
