"""Against a running server of the installed wheel: sign in, load a page and its static files, and
fetch a template preview PDF; prints what it checked, exits non-zero on the first failure.

Usage: python wheel_smoke.py BASE_URL USERNAME PASSWORD TEMPLATE_ID  (run with the wheel's venv)"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile

import requests


def fail(message: str) -> None:
    print(f"wheel smoke: FAIL: {message}", file=sys.stderr)
    raise SystemExit(1)


def main(base: str, username: str, password: str, template_id: str) -> None:
    s = requests.Session()
    login = s.get(f"{base}/accounts/login/", timeout=30)
    if login.status_code != 200 or "登录" not in login.text:
        fail(f"login page: HTTP {login.status_code}, Chinese UI {'登录' in login.text}")
    static = re.findall(r'(?:href|src)="(/static/[^"]+)"', login.text)
    if not static:
        fail("login page references no static files")
    for path in static:
        r = s.get(f"{base}{path}", timeout=30)
        if r.status_code != 200 or not r.content:
            fail(f"static file {path}: HTTP {r.status_code}")
    token = s.cookies.get("csrftoken", "")
    r = s.post(f"{base}/accounts/login/", data={"username": username, "password": password,
               "csrfmiddlewaretoken": token}, headers={"Referer": f"{base}/accounts/login/"}, timeout=30)
    if r.status_code != 200 or "/accounts/login/" in r.url:
        fail(f"sign-in as {username}: HTTP {r.status_code}, ended at {r.url}")
    pdf = s.get(f"{base}/documents/templates/{template_id}/v1/preview.pdf", timeout=60)
    if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
        fail(f"template preview PDF: HTTP {pdf.status_code}, starts {pdf.content[:8]!r}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf.content)
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    if not re.search(r"[\u4e00-\u9fff]{4}", text):
        fail(f"the PDF has no Chinese text: {text[:200]!r}")
    print(f"wheel smoke: OK (login page + {len(static)} static files, signed in, PDF {len(pdf.content)} bytes "
          f"with Chinese text: {text.split()[0] if text.split() else ''!r})")


if __name__ == "__main__":
    main(*sys.argv[1:5])
