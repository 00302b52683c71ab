"""The sign-in brake: at most N password checks per username and M per client address in a window.

Every way in that checks a password (the sign-in page, the API token endpoint) first *claims* an attempt
for the username and for the address, then checks the password, then reports the outcome. A claim is one
conditional UPDATE (``count = count + 1 WHERE count < limit``) on a database row, so it is atomic on every
database and in every process: 24 simultaneous guesses get exactly ``limit`` checks, never more (counting
first and checking afterwards let 17 extra guesses through). A refused claim means "paused": the caller
answers without checking the password, right password included.

Outcomes: success clears the username's count (the address keeps its failures) and gives back the
address's claim; failure keeps both claims. When a username's failures reach the limit, ``failed()``
returns the account (once per window, to exactly one caller), and the caller writes the ``auth.locked``
evidence event (the evidence layer sits above this one).

Limits come from ``settings.HRGUARD_LOGIN_LIMITS`` (``per_user``, ``per_ip``, ``window`` seconds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .middleware import client_ip
from .models import SignInAttempts, User

MAX_USERNAME = 150
CLAIM_TRIES = 5


@dataclass(frozen=True)
class Limits:
    per_user: int
    per_ip: int
    window: int  # seconds


def limits() -> Limits:
    cfg = getattr(settings, "HRGUARD_LOGIN_LIMITS", {}) or {}
    return Limits(int(cfg.get("per_user", 10)), int(cfg.get("per_ip", 50)), int(cfg.get("window", 15 * 60)))


def normalise(username: Any) -> str:
    """The username as counted: trimmed, lower case, without NUL (which PostgreSQL text cannot hold)."""
    return str(username or "").replace("\x00", "").strip().lower()[:MAX_USERNAME]


def _claim(key: str, limit: int, window: int) -> bool:
    """Take one attempt on ``key``; False when its window already holds ``limit`` attempts."""
    now = timezone.now()
    current = now - dt.timedelta(seconds=window)
    rows = SignInAttempts.objects.filter(key=key)
    with transaction.atomic():
        for _ in range(CLAIM_TRIES):
            if rows.filter(window_start__gt=current, count__lt=limit).update(count=F("count") + 1):
                return True
            seen = rows.filter(window_start__gt=current).values_list("count", flat=True).first()
            if seen is None:
                break  # no row in this window: start one below
            if seen >= limit:
                return False  # at the limit in this window
            # Below the limit, yet the UPDATE matched nothing: under READ COMMITTED each statement has its
            # own snapshot, so the row was committed by a concurrent first attempt between the two. Claim
            # again (refusing here would pause the account one attempt early).
        else:
            return False  # still contended after every try: refuse rather than check unclaimed
        # No row, or one from an old window: start a new window (only one concurrent request wins).
        if rows.filter(window_start__lte=current).update(count=1, window_start=now, lock_recorded=False):
            return True
        try:
            with transaction.atomic():
                SignInAttempts.objects.create(key=key, count=1, window_start=now)
        except IntegrityError:  # created meanwhile by a concurrent attempt: claim on it like the others
            return bool(rows.filter(window_start__gt=current, count__lt=limit).update(count=F("count") + 1))
        SignInAttempts.objects.filter(window_start__lte=current).delete()  # forget finished windows
        return True


def _give_back(key: str) -> None:
    SignInAttempts.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


@dataclass
class Claim:
    """One attempt taken for a username and an address; report the outcome exactly once."""

    username: str
    ip: str

    @property
    def user_key(self) -> str:
        return f"user:{self.username}"

    @property
    def ip_key(self) -> str:
        return f"ip:{self.ip}"

    def succeeded(self) -> None:
        SignInAttempts.objects.filter(key=self.user_key).delete()
        _give_back(self.ip_key)

    def failed(self) -> User | None:
        """Keep the claims. Returns the account (with its company) when this failure reached the limit:
        to exactly one caller per window, which records the lock; None otherwise."""
        limit = limits().per_user
        just_locked = SignInAttempts.objects.filter(
            key=self.user_key, count__gte=limit, lock_recorded=False
        ).update(lock_recorded=True)
        if not just_locked:
            return None
        return User.objects.filter(username__iexact=self.username).select_related("company").first()


def claim(request: Any, username: Any) -> Claim | None:
    """An attempt for this username from this request's address, or None while either is paused."""
    cfg = limits()
    attempt = Claim(normalise(username), client_ip(request))
    if not _claim(attempt.user_key, cfg.per_user, cfg.window):
        return None
    if not _claim(attempt.ip_key, cfg.per_ip, cfg.window):
        _give_back(attempt.user_key)
        return None
    return attempt

