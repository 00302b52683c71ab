"""The HTML of every page of the ``bench/load.py`` mix (and any ``--path``), written to a directory with the
per-response CSP nonce and CSRF token masked, to compare two versions of the code byte for byte:

    .venv/bin/python bench/pages_snapshot.py --db /tmp/hrguard-bench.sqlite3 --out /tmp/pages-before
    (change the code)
    .venv/bin/python bench/pages_snapshot.py --db /tmp/hrguard-bench.sqlite3 --out /tmp/pages-after
    diff -r /tmp/pages-before /tmp/pages-after && echo byte-identical

Runs in-process through the WSGI application as ``big-hr`` (as ``bench/profile_requests.py`` does); every
page must answer 200."""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

import common

MASKS = (
    (re.compile(rb'nonce="[^"]*"'), b'nonce="-"'),
    (re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'), b'name="csrfmiddlewaretoken" value="-"'),
    (re.compile(rb'("X-CSRFToken": ?")[^"]*(")'), rb"\1-\2"),
    (re.compile(rb'csrf-token" content="[^"]*"'), b'csrf-token" content="-"'),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--code", default="big")
    parser.add_argument("--path", action="append", default=[], help="another page to keep (repeatable)")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.web_environment(args)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from load import browser_cookies, mix
    from profile_requests import environ_for

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cookie = browser_cookies(args.code)
    app = get_wsgi_application()
    for path in [*mix(args.code), *args.path]:
        status: list[str] = []
        body = app(environ_for(path, cookie), lambda s, h, exc_info=None, status=status: status.append(s))
        try:
            html = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")
        for pattern, replacement in MASKS:
            html = pattern.sub(replacement, html)
        name = hashlib.sha256(path.encode()).hexdigest()[:16]
        (out / f"{name}.html").write_bytes(html)
        (out / f"{name}.path").write_text(path + "\n")
    print(f"{len(list(out.glob('*.html')))} pages in {out}")


if __name__ == "__main__":
    main()
