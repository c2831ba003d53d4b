"""Counting in the shared Redis cache (THREATS T-A1, T-A3): atomic, and never longer than its window.

These tests use the real Redis on 127.0.0.1:6379 under a key prefix of their own; without Redis they fail.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

import pytest
import redis
from django.core import checks
from django.core.cache import caches

from tongban.accounts import limits
from tongban.accounts.checks import shared_cache

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = limits.Limit("test", max_hits=5, window_seconds=900)


@pytest.fixture
def redis_cache(settings) -> Iterator[redis.Redis]:
    """The default cache in Redis for this test; its keys are deleted afterwards (never FLUSHDB: other
    test runs share this Redis)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    prefix = f"test-limits-{secrets.token_hex(8)}"
    original = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()
    # Back to the memory cache before the account fixtures clear "the" cache after this test.
    settings.CACHES = original


def stored_key(client: redis.Redis) -> bytes:
    prefix = caches["default"].key_prefix
    (key,) = client.scan_iter(match=f"{prefix}:*")
    return key


def test_T_A1_a_counter_in_redis_lives_as_long_as_its_window(redis_cache):
    assert [limits.hit(LIMIT, "13800138000") for _ in range(6)] == [True] * 5 + [False]

    key = stored_key(redis_cache)
    assert int(redis_cache.get(key)) == 6
    assert 890 <= redis_cache.ttl(key) <= 900
    assert limits.is_reached(LIMIT, "13800138000") is True
    assert limits.is_reached(LIMIT, "13800138001") is False


def test_T_A1_a_counter_whose_key_expired_starts_again_with_an_expiry(redis_cache):
    limits.hit(LIMIT, "13800138000")
    key = stored_key(redis_cache)
    redis_cache.delete(key)  # the window ends

    assert limits.hit(LIMIT, "13800138000") is True
    assert int(redis_cache.get(key)) == 1
    assert 890 <= redis_cache.ttl(key) <= 900


def test_T_A1_parallel_hits_are_each_counted_once(redis_cache):
    # 40 threads, each with its own Redis connection, hit at once: a read-modify-write count would lose
    # hits and let more than 5 through.
    start = threading.Barrier(40)
    results: list[bool] = []

    def guess() -> None:
        start.wait()
        results.append(limits.hit(LIMIT, "13800138000"))

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 35 + [True] * 5
    assert int(redis_cache.get(stored_key(redis_cache))) == 40


def test_reset_removes_the_counter(redis_cache):
    limits.hit(LIMIT, "13800138000")

    limits.reset(LIMIT, "13800138000")

    assert list(redis_cache.scan_iter(match=f"{caches['default'].key_prefix}:*")) == []
    assert limits.is_reached(LIMIT, "13800138000") is False


def test_T_A1_deploy_check_refuses_a_per_process_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    problems = checks.run_checks(tags=[checks.Tags.caches], include_deployment_checks=True)

    assert [(p.id, p.level) for p in problems if p.id.startswith("accounts.")] == [
        ("accounts.E003", checks.ERROR)
    ]
    assert [p.id for p in checks.run_checks(tags=[checks.Tags.caches])] == []  # only with --deploy


def test_deploy_check_accepts_redis(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

    assert shared_cache(None) == []
