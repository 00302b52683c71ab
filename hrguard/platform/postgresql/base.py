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
in OPTIONS) turn that into a socket error, which this check then sees."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
