"""Scale-out, exactly once: two web processes and two Redis-backed consumers on one PostgreSQL; 500 due
reminders swept while one consumer is SIGKILLed inside a sweep; the local SMTP server must have received
every reminder exactly once (bench/scaleout/harness.py; the bench runs the same with 10,000).

Runs on the PostgreSQL test run (HRGUARD_TEST_DB=postgres) with Redis at 127.0.0.1:6379; skipped on
SQLite runs, where the embedded deployment has one consumer by design (tests/ops/test_worker.py)."""

from __future__ import annotations

import os

import pytest

N = 500


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


REDIS = os.environ.get("HRGUARD_SCALEOUT_TEST_REDIS", "redis://127.0.0.1:6379/7")
pytestmark = [
    pytest.mark.skipif(os.environ.get("HRGUARD_TEST_DB", "sqlite") != "postgres",
                       reason="scale-out needs PostgreSQL (HRGUARD_TEST_DB=postgres)"),
    pytest.mark.skipif(not _redis_up(REDIS), reason=f"no Redis at {REDIS}"),
]


def test_every_reminder_delivered_exactly_once_with_a_consumer_killed_midway() -> None:
    from bench.scaleout.harness import Setup, run

    log: list[str] = []
    setup = Setup(pg_db=f"test_hrguard_scaleout_{os.getpid()}", redis_url=REDIS, web_ports=(8367, 8368),
                  smtp_port=8369, log=log.append)
    report = run(N, setup)
    assert N // 4 <= report.killed_at < N, log  # the kill happened mid-sweep
    assert report.leases_ended > 0, log  # B died holding leases, which came back to be swept once
    assert report.missing == 0 and report.duplicates == 0, (report, log)
    assert report.delivered_once == N
    assert report.web_ok > 0 and report.web_errors == 0  # both web processes served throughout
