"""Machine instructions per request of the ``bench/load.py`` mix, counted by valgrind's callgrind: the
same figure whatever else loads the machine (wall-clock and even CPU time are not, on a shared box).

    apt-get install valgrind
    .venv/bin/python bench/instructions.py --db /tmp/hrguard-bench.sqlite3 [--rounds 1]
    .venv/bin/python bench/instructions.py --pg hrguard_bench        # the web process only, not PostgreSQL

Runs the mix through the WSGI application in-process (as ``bench/profile_requests.py`` does) under
``valgrind --tool=callgrind --collect-atstart=no``, after a warm-up of every URL. Each kind of page
(roster / search / profile) is run from inside a C function of a tiny extension module compiled with gcc
for the run (``hrguard_window_roster`` …) and callgrind counts only inside those
(``--toggle-collect``),
so start-up and warm-up are not counted. Prints instructions per request by kind and over the mix, and
an estimate in ms at ``--ghz`` instructions per nanosecond (default 6: the roster page's 28.7 M
instructions took 4.6 ms of CPU on a nearly idle core of this EPYC — the ms column is only a reading aid)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import common

# Each kind of page runs inside a C function of a small extension module compiled here (``window_module``),
# which nothing else calls; callgrind collects only while inside one (``--toggle-collect``) and reports each
# one's inclusive cost. The module has its own symbols, so this works on a stripped interpreter too
# (Debian's python3, which the project's virtualenv is made with: CPython's own functions have no names
# there). Functions reached through ctypes would not do: callgrind does not see libffi's call as one.
WINDOWS = {name: f"hrguard_window_{name}" for name in ("roster", "search", "profile")}
MODULE = "hrguard_windows"


def window_module(directory: Path) -> Path:
    """Compile ``hrguard_windows`` (``roster(work)`` … calls ``work()`` from ``hrguard_window_roster`` …)
    against the running interpreter's headers; returns the directory to import it from."""
    functions = "".join(
        f"static PyObject *{fn}(PyObject *self, PyObject *work) {{ return PyObject_CallNoArgs(work); }}\n"
        for fn in WINDOWS.values()
    )
    table = "".join(f'{{"{name}", {fn}, METH_O, ""}},\n' for name, fn in WINDOWS.items())
    source = directory / f"{MODULE}.c"
    source.write_text(
        "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n" + functions
        + f"static PyMethodDef methods[] = {{\n{table}{{NULL, NULL, 0, NULL}}}};\n"
        + f'static struct PyModuleDef module = {{PyModuleDef_HEAD_INIT, "{MODULE}", NULL, -1, methods}};\n'
        + f"PyMODINIT_FUNC PyInit_{MODULE}(void) {{ return PyModule_Create(&module); }}\n"
    )
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise SystemExit("bench/instructions.py needs a C compiler (apt-get install gcc) for its window functions")
    target = directory / f"{MODULE}{sysconfig.get_config_var('EXT_SUFFIX')}"
    subprocess.run([compiler, "-O0", "-fno-inline", "-shared", "-fPIC", f"-I{sysconfig.get_paths()['include']}",
                    "-o", str(target), str(source)], check=True)
    return directory


def run_inner(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_web"
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from load import browser_cookies, mix
    from profile_requests import call, kind

    paths = mix(args.code)
    cookie = browser_cookies(args.code)
    app = get_wsgi_application()
    for path in paths:  # warm-up: templates, translations, connection, caches
        status = call(app, path, cookie)
        if not status.startswith("200"):
            raise SystemExit(f"{path}: {status}")
    sys.path.insert(0, args.library)
    windows = importlib.import_module(MODULE)
    counts = {}
    for name in WINDOWS:
        mine = [p for p in paths if kind(p) == name]
        counts[name] = len(mine) * args.rounds

        def work(mine: list[str] = mine) -> None:
            for _ in range(args.rounds):
                for path in mine:
                    call(app, path, cookie)

        getattr(windows, name)(work)
    Path(args.inner).write_text(json.dumps(counts))


def inclusive_costs(out_file: Path) -> dict[str, int]:
    """Inclusive instruction count of each window function (``callgrind_annotate --inclusive=yes``)."""
    listing = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", str(out_file)], capture_output=True, text=True, check=True,
    ).stdout
    costs: dict[str, int] = {}
    for line in listing.splitlines():
        count = line.split(maxsplit=1)[0].replace(",", "") if line.strip() else ""
        for name, fn in WINDOWS.items():
            if count.isdigit() and f":{fn} [" in line:
                costs.setdefault(name, int(count))
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="passes over the mix (default %(default)s)")
    parser.add_argument("--code", default="big")
    parser.add_argument("--ghz", type=float, default=6.0)
    parser.add_argument("--keep", default="", help="keep callgrind's output here (for callgrind_annotate)")
    parser.add_argument("--inner", default="", help=argparse.SUPPRESS)
    parser.add_argument("--library", default="", help=argparse.SUPPRESS)
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    if args.pg:
        os.environ["HRGUARD_BENCH_PG"] = args.pg
    else:
        os.environ["HRGUARD_BENCH_DB"] = str(Path(args.db).resolve())
    if args.inner:
        run_inner(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out_file, counts_file = Path(tmp) / "callgrind.out", Path(tmp) / "counts.json"
        library = window_module(Path(tmp))
        command = [
            "valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out_file}",
            *(f"--toggle-collect={fn}" for fn in WINDOWS.values()),
            sys.executable, __file__, "--inner", str(counts_file), "--library", str(library),
            "--rounds", str(args.rounds), "--code", args.code,
            *(["--pg", args.pg] if args.pg else ["--db", args.db]),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=env, stderr=subprocess.DEVNULL)
        counts = json.loads(counts_file.read_text())
        costs = inclusive_costs(out_file)
        if not costs:
            raise SystemExit("callgrind counted nothing inside the window functions")
        if args.keep:
            shutil.copyfile(out_file, args.keep)
    label = f"PostgreSQL {args.pg}" if args.pg else f"SQLite {args.db}"
    total_ir, total_n = sum(costs.values()), sum(counts.values())
    print(f"\n{label}: instructions per request (callgrind, web process only), {total_n} requests\n")
    print(f"| kind | requests | M instructions/request | ≈ ms at {args.ghz:.1f} instr/ns |")
    print("|---|---:|---:|---:|")
    for name in (*WINDOWS, "mix"):
        ir, n = (total_ir, total_n) if name == "mix" else (costs.get(name, 0), counts[name])
        print(f"| {name} | {n} | {ir / n / 1e6:.1f} | {ir / n / args.ghz / 1e6:.2f} |")


if __name__ == "__main__":
    main()
