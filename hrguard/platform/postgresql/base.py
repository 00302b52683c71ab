"""Django's PostgreSQL backend, with a health check that asks the socket before it asks the server.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request that reuses
a connection: a round trip (and a statement the backend parses and runs) on every page. A connection the
server ended — restarted, ``pg_terminate_backend``, ``idle_session_timeout``, a closed TCP connection —
announces it on the socket: PostgreSQL sends its FATAL message and closes, so the socket becomes readable
(or reports an error or hang-up), while a live, idle connection's socket has nothing to read. So:

- the socket is quiet and libpq holds the connection idle and healthy: the connection is used as it is
  (no round trip);
- anything else: Django's own check runs (``SELECT 1``); when that fails, the connection is closed and the
  request's first query opens a new one, as with Django's check alone.

What neither check sees is a peer that vanished without a word (a network cut, no FIN): the next statement
waits for TCP to give up — ``SELECT 1`` would wait just as long. TCP keepalives (libpq's ``keepalives_*``
in OPTIONS) turn that into a socket error, which this check then sees.

With ``OPTIONS["server_side_binding"]`` the cursors are ``PreparingCursor``: psycopg prepares a statement
on the server from its ``prepare_threshold``-th execution on a connection, so PostgreSQL no longer parses
and plans it each time — except statements whose best plan depends on the value (``LIKE``, array
containment: a name search for a rare full name wants the trigram index, a one-character surname the
walk along the employee-number order; a generic plan serves both badly), which are planned each time."""

from __future__ import annotations

import re
import select
from functools import lru_cache
from typing import Any

from django.db.backends.postgresql import base
from psycopg import pq

from . import arrays

# Statements planned for their values every time (never prepared): pattern matches and array containment.
VALUE_PLANNED = re.compile(r"\b(?:I?LIKE|SIMILAR TO)\b|@>|<@|&&|~~", re.IGNORECASE)


@lru_cache(maxsize=4096)
def value_planned(sql: str) -> bool:
    """Whether ``sql`` is planned for its values every time. Remembered per statement text: the ORM sends
    the same few hundred statements over and over, and the pattern search over a long SELECT costs more
    than the lookup (a page sends about eight)."""
    return VALUE_PLANNED.search(sql) is not None


class PreparingCursor(base.ServerBindingCursor):
    """Server-side binding; prepared after psycopg's threshold unless the SQL's plan should follow its values."""

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, **kwargs: Any) -> Any:
        if prepare is None and isinstance(query, str) and value_planned(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        arrays.register(connection)
        return connection

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PreparingCursor
        return params

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self.socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def socket_quiet(self) -> bool:
        """True if libpq sees an open, idle connection and the server has sent nothing since the last
        answer (nothing to read, no error, no hang-up on the socket)."""
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        info = conn.info
        if info.status != pq.ConnStatus.OK or info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError):
            return False
