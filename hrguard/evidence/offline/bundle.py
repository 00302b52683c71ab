"""The single-file ``verify.py`` shipped inside every evidence package, made from this package's modules.

The verifier is kept in modules by responsibility (environment, model, rfc6962, certs, log_checks,
checkpoint_checks, document_checks, verify); an arbitrator still gets one file that runs with
``python3 verify.py PACKAGE.zip``. ``script()`` joins the modules in dependency order: the docstring and
``from __future__`` line of ``verify.py`` first, then each module's code without its docstring, its
``from __future__`` line, its imports of sibling modules (every name they import is defined earlier in
the same file) and the imports an earlier module already made. Standard library only, like the verifier itself.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Dependency order: each module only uses names of the modules before it.
PARTS = ("environment", "model", "rfc6962", "certs", "log_checks", "checkpoint_checks", "document_checks", "verify")


def _body(source: str, seen: set[str]) -> tuple[str, list[str]]:
    """(docstring, code lines) of one module without its shebang, docstring, __future__ and relative imports,
    nor a top-level import already in ``seen`` (which it extends)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    drop: set[int] = {0} if lines and lines[0].startswith("#!") else set()
    docstring = ast.get_docstring(tree, clean=False) or ""
    for node in tree.body:
        is_doc = node is tree.body[0] and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        relative = isinstance(node, ast.ImportFrom) and (node.level > 0 or node.module == "__future__")
        repeated = isinstance(node, ast.Import | ast.ImportFrom) and ast.unparse(node) in seen
        if isinstance(node, ast.Import | ast.ImportFrom):
            seen.add(ast.unparse(node))
        if is_doc or relative or repeated:
            drop.update(range(node.lineno - 1, (node.end_lineno or node.lineno)))
    kept = [line for n, line in enumerate(lines) if n not in drop]
    while kept and not kept[0].strip():
        kept.pop(0)
    return docstring, kept


@functools.cache
def script() -> bytes:
    """The bytes of the standalone verify.py (UTF-8), the same for every package this code builds."""
    docstring, _ = _body((HERE / "verify.py").read_text(encoding="utf-8"), set())
    seen: set[str] = set()
    out = ["#!/usr/bin/env python3", f'"""{docstring}"""', "", "from __future__ import annotations", ""]
    for name in PARTS:
        summary, code = _body((HERE / f"{name}.py").read_text(encoding="utf-8"), seen)
        first = summary.strip().splitlines()[0] if summary.strip() else ""
        out += ["", f"# ==== {name}.py: {first}".rstrip(), "", *code]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
