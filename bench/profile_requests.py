"""Where a request's CPU goes: the ``bench/load.py`` mix through the WSGI application, in-process, under
cProfile (no network, no server threads), as the company's HR user.

    .venv/bin/python bench/profile_requests.py --db /tmp/hrguard-bench.sqlite3 [--rounds 3] [--sort tottime]
    .venv/bin/python bench/profile_requests.py --pg hrguard_bench

Prints CPU ms per request by kind (roster / search / profile, without the profiler) and the top
functions of the profile. ``--dump FILE`` keeps the raw profile for ``python -m pstats`` or snakeviz."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict
from typing import Any
from urllib.parse import unquote

import common


def environ_for(path: str, cookie: str) -> dict[str, Any]:
    route, _sep, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": unquote(route), "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8380", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8380", "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT_LANGUAGE": "zh-CN", "HTTP_USER_AGENT": "profile", "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }


def call(app: Any, path: str, cookie: str) -> str:
    status: list[str] = []
    body = app(environ_for(path, cookie), lambda s, h, exc_info=None: status.append(s))
    try:
        for _chunk in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
    return status[0]


def kind(path: str) -> str:
    return "search" if "q=" in path else "profile" if path.rstrip("/").split("/")[-1].isdigit() else "roster"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code", default="big")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", default="")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.web_environment(args)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from load import browser_cookies, mix

    paths = mix(args.code)
    cookie = browser_cookies(args.code)
    app = get_wsgi_application()
    for path in paths:  # warm-up, and every answer must be a page
        status = call(app, path, cookie)
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status}")
    cpu: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        for path in paths:
            c0 = time.process_time()
            call(app, path, cookie)
            cpu[kind(path)].append(time.process_time() - c0)
    every = [s for samples in cpu.values() for s in samples]
    print(f"\n{common.vendor()}: CPU ms per request over {len(every)} requests: "
          f"all {1000 * sum(every) / len(every):.2f}; "
          + ", ".join(f"{k} {1000 * sum(v) / len(v):.2f}" for k, v in sorted(cpu.items())))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        for path in paths:
            call(app, path, cookie)
    profiler.disable()
    if args.dump:
        profiler.dump_stats(args.dump)
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
