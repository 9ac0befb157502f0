"""The read cache: Redis when `REDIS_URL` is set, else an in-process dictionary with expiry.

Keys are named by what they hold (`homepage:slug:<slug>`); the services delete the keys a write
changes (the cache↔database mapping lives next to each write, in `CacheKeys`).
"""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Cache", "CacheKeys", "MemoryCache", "RedisCache", "open_cache"]


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: int) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def close(self) -> None: ...


class CacheKeys:
    """The names of cached values."""

    @staticmethod
    def homepage(slug: str) -> str:
        return f"homepage:slug:{slug}"


class MemoryCache:
    """A per-process cache; entries expire after their TTL. For one process (the embedded default)."""

    def __init__(self, prefix: str = "", max_entries: int = 10_000) -> None:
        self.prefix = prefix
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, bytes]] = {}

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(self.prefix + key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= time.monotonic():
            self._entries.pop(self.prefix + key, None)
            return None
        return value

    async def set(self, key: str, value: bytes, ttl: int) -> None:
        now = time.monotonic()
        if len(self._entries) >= self.max_entries:  # drop the expired first, then the soonest to expire
            self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
            while len(self._entries) >= self.max_entries:
                del self._entries[min(self._entries, key=lambda k: self._entries[k][0])]
        self._entries[self.prefix + key] = (now + ttl, value)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(self.prefix + key, None)

    async def close(self) -> None:
        self._entries.clear()


class RedisCache:
    """A cache shared by every process of the server, in Redis."""

    def __init__(self, url: str, prefix: str) -> None:
        from redis.asyncio import Redis

        self.prefix = prefix
        self._redis = Redis.from_url(url)

    async def get(self, key: str) -> bytes | None:
        value = await self._redis.get(self.prefix + key)
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes, ttl: int) -> None:
        await self._redis.set(self.prefix + key, value, ex=ttl)

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self.prefix + key for key in keys))

    async def close(self) -> None:
        await self._redis.aclose()


def open_cache(redis_url: str | None, prefix: str) -> Cache:
    namespace = f"{prefix}:" if prefix else ""
    return RedisCache(redis_url, namespace) if redis_url else MemoryCache(namespace)
