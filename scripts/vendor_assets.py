#!/usr/bin/env python3
"""Copy the front-end files HRGuard serves from ``node_modules`` into ``hrguard/static/vendor``.

Run after ``npm ci`` (versions are pinned exactly in package.json / package-lock.json)::

    npm ci --ignore-scripts && python3 scripts/vendor_assets.py

The copied files are committed, so a fresh machine needs neither npm nor a CDN. The script also writes
``hrguard/static/vendor/MANIFEST.json`` (package, version, file, sha256) so a reviewer can check what is
served against the registry. ``--check`` verifies the committed files against the manifest without npm.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "hrguard" / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"

# package -> (vendor folder, [files relative to the package root])
FILES: dict[str, tuple[str, list[str]]] = {
    "htmx.org": ("htmx", ["dist/htmx.min.js", "LICENSE"]),
    "@alpinejs/csp": ("alpinejs-csp", ["dist/cdn.min.js"]),
    "bootstrap": (
        "bootstrap",
        ["dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js", "LICENSE"],
    ),
    "echarts": ("echarts", ["dist/echarts.min.js", "i18n/langZH.js", "LICENSE", "NOTICE"]),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locked_versions() -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in FILES}


def vendor() -> list[dict[str, str]]:
    versions = locked_versions()
    entries: list[dict[str, str]] = []
    for package, (folder, files) in FILES.items():
        src_root = NODE_MODULES / package
        installed = json.loads((src_root / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != versions[package]:
            raise SystemExit(f"{package}: node_modules has {installed}, lockfile pins {versions[package]}; run npm ci")
        target = VENDOR / folder
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for rel in files:
            src = src_root / rel
            dest = target / Path(rel).name
            shutil.copyfile(src, dest)
            entries.append(
                {
                    "name": package,
                    "version": installed,
                    "file": dest.relative_to(VENDOR).as_posix(),
                    "source": rel,
                    "sha256": sha256(dest),
                }
            )
    MANIFEST.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return entries


def check() -> list[str]:
    """Problems found comparing the vendored files with the manifest (empty when all is well)."""
    problems: list[str] = []
    for entry in json.loads(MANIFEST.read_text(encoding="utf-8")):
        path = VENDOR / entry["file"]
        if not path.is_file():
            problems.append(f"missing {entry['file']}")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"checksum mismatch {entry['file']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify vendored files against MANIFEST.json")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    if not NODE_MODULES.is_dir():
        print("node_modules is missing: run `npm ci --ignore-scripts` first", file=sys.stderr)
        return 1
    for entry in vendor():
        print(f"{entry['name']} {entry['version']}: {entry['file']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
