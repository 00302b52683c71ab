"""One-time codes under concurrency: the wrong-code limit holds against parallel guesses (real threads, real
transactions, on SQLite and PostgreSQL), and a code issued before an unlock never works after it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hrguard.documents import services, signer
from hrguard.documents.models import CodeChallenge, Envelope
from hrguard.evidence.models import EvidenceEvent

from .conftest import last_code, template_version

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16
GUESSES = 40


def _send(world: Any) -> tuple[Envelope, str]:
    version = template_version(world.company, "离职证明")
    res = services.send_request(
        world.company, actor=world.users["hr"], version=version, employees=[world.employees["east_rep"]],
        channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=10),
    )
    env = Envelope.objects.get(request=res.request)
    return env, res.tokens[env.employee_id]


def _wrong_events(env: Envelope) -> list[str]:
    return [r for r in EvidenceEvent.objects.filter(action="documents.code_failed", subject_id=str(env.pk))
            .values_list("record", flat=True) if '"wrong"' in r]


def test_parallel_wrong_codes_get_exactly_the_limit(docs: Any) -> None:
    env, token = _send(docs)
    signer.send_code(signer.find(token), "email")
    good = last_code(env)
    guesses = [f"{n:06d}" for n in range(100000, 100000 + GUESSES + 1) if f"{n:06d}" != good][:GUESSES]
    checked: list[signer.CodeResult] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()

    def guesser(mine: list[str]) -> None:
        try:
            stale = signer.find(token)  # each request loaded the envelope before the others locked it
            barrier.wait()
            for code in mine:
                try:
                    result = signer.verify_code(stale, code)
                except signer.SigningError as exc:
                    with lock:
                        refused.append(exc.code)
                else:
                    with lock:
                        checked.append(result)
        except BaseException as exc:  # surfaced below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=guesser, args=(guesses[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(checked) == signer.MAX_FAILED and not any(r.ok for r in checked)
    assert refused == ["locked"] * (GUESSES - signer.MAX_FAILED)
    env.refresh_from_db()
    assert env.failed_codes == signer.MAX_FAILED and env.locked_at is not None
    assert CodeChallenge.objects.get(envelope=env).attempts == signer.MAX_FAILED
    assert len(_wrong_events(env)) == signer.MAX_FAILED
    with pytest.raises(signer.SigningError) as exc:
        signer.verify_code(signer.find(token), good)  # locked: even the right code is not compared
    assert exc.value.code == "locked"


def test_parallel_right_code_verifies_once(docs: Any) -> None:
    env, token = _send(docs)
    signer.send_code(signer.find(token), "email")
    good = last_code(env)
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            stale = signer.find(token)
            barrier.wait()
            results.append(signer.verify_code(stale, good).ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]  # a one-time code is used once
    assert EvidenceEvent.objects.filter(action="documents.verified", subject_id=str(env.pk)).count() == 1
    env.refresh_from_db()
    assert env.failed_codes == 0


def test_code_from_before_an_unlock_is_void_after_it(docs: Any) -> None:
    env, token = _send(docs)
    t0 = timezone.now()
    signer.send_code(signer.find(token), "email", now=t0)
    old = last_code(env)
    bad = "000000" if old != "000000" else "111111"
    for _ in range(signer.MAX_FAILED):
        signer.verify_code(signer.find(token), bad, now=t0)
    signer.unlock(signer.find(token), docs.users["hr"])
    result = signer.verify_code(signer.find(token), old, now=t0 + dt.timedelta(seconds=5))
    assert not result.ok  # the code an attacker may have learnt before the unlock is dead
    unlocked = EvidenceEvent.objects.get(action="documents.unlocked", subject_id=str(env.pk))
    assert json.loads(unlocked.record)["data"]["codes_voided"] == 1
    signer.send_code(signer.find(token), "email", now=t0 + dt.timedelta(seconds=61))
    new = last_code(env)
    assert signer.verify_code(signer.find(token), new, now=t0 + dt.timedelta(seconds=62)).ok


def test_a_new_code_voids_the_previous_one(docs: Any) -> None:
    env, token = _send(docs)
    t0 = timezone.now()
    signer.send_code(signer.find(token), "email", now=t0)
    first = last_code(env)
    signer.send_code(signer.find(token), "email", now=t0 + dt.timedelta(seconds=61))
    second = last_code(env)
    older, newer = CodeChallenge.objects.filter(envelope=env).order_by("created_at")
    assert older.expires_at <= t0 + dt.timedelta(seconds=61) < newer.expires_at  # the first one is void
    assert older.code_hash != newer.code_hash and first
    assert signer.verify_code(signer.find(token), second, now=t0 + dt.timedelta(seconds=63)).ok
