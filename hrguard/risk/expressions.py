"""The rule language: CEL (the library the process engine's gates use) over a small vocabulary of terms.

Terms (arguments are literals; ``S`` is a registered signal's name):

* ``S("14d")`` — the signal over the last 14 days up to the scan day (signals with daily data:
  ``late_arrivals``, ``absences``); ``S("3m")`` — over the last 3 calendar months including the scan's
  month (1–12). Counts and amounts add up; scores (``performance_score``) average.
* ``baseline("S")`` / ``spread("S")`` — the employee's own mean / standard deviation of the monthly values
  over the 6 months before the scan's month; ``dept_baseline("S")`` — the mean of those baselines over
  the employee's department.
* ``months_running("S", 3)`` — true when the signal was above 0 in each of the last 3 months (including
  the scan's month); ``months_above("S", 5000, 3)`` — above 5000 in each of them.

Everything else is plain CEL: ``&&``, ``||``, ``!``, comparisons, arithmetic, ``double()``, ``int()``.
The expression is compiled once per rule version (``compiled``); the terms are computed set-based by the
scan (one query each) and passed to the program as variables.

Explanation templates name terms in braces: ``{late_arrivals:14d}``, ``{baseline:travel_days}``,
``{months_running:expense_total}``, and ``{employee}``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cel
from django.utils.translation import gettext as _

from . import registry

BASELINE_MONTHS = 6
MAX_WINDOW_MONTHS = 12
MAX_WINDOW_DAYS = 92
AGGREGATES = ("baseline", "spread", "dept_baseline")
RUNS = ("months_running", "months_above")
VOCABULARY = (*AGGREGATES, *RUNS)
CEL_BUILTINS = frozenset({"int", "double", "uint", "string", "bool", "size", "abs", "min", "max", "has",
                          "matches", "contains", "startsWith", "endsWith", "ceil", "floor", "round"})
CALL = re.compile(r'\b([a-z_][a-z0-9_]*)\(\s*"([^"]*)"\s*((?:,\s*-?[0-9]+(?:\.[0-9]+)?\s*)*)\)')
WINDOW = re.compile(r"^([1-9][0-9]*)([dm])$")
POSITION = re.compile(r"<input>:(\d+):(\d+)")
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z0-9_]+))?\}")


@dataclass(frozen=True)
class Term:
    """One term of a rule: ``fn`` is a signal name (a window) or a vocabulary function."""

    fn: str
    arg: str
    numbers: tuple[float, ...] = ()

    @property
    def signal(self) -> str:
        return self.arg if self.fn in VOCABULARY else self.fn

    @property
    def window(self) -> tuple[int, str]:
        match = WINDOW.match(self.arg)
        assert match is not None
        return int(match.group(1)), match.group(2)

    @property
    def source(self) -> str:
        nums = "".join(f", {_num(n)}" for n in self.numbers)
        return f'{self.fn}("{self.arg}"{nums})'

    def months_back(self) -> int:
        """How many months before the scan's month this term reads."""
        if self.fn in AGGREGATES:
            return BASELINE_MONTHS
        if self.fn in RUNS:
            return int(self.numbers[-1]) - 1
        n, unit = self.window
        return n - 1 if unit == "m" else 0


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass
class Parsed:
    source: str
    rewritten: str = ""
    terms: dict[str, Term] = field(default_factory=dict)  # variable name -> term
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _compile_error(exc: Exception) -> str:
    text = str(exc)
    found = POSITION.search(text)
    detail = text.split("ERROR:", 1)[-1].strip().split("\n")[0][:200]
    if found:
        return _("The expression does not compile at line %(line)s, column %(col)s.") % {
            "line": found.group(1), "col": found.group(2)}
    return _("The expression does not compile: %(error)s") % {"error": detail}


def _check_term(term: Term, errors: list[str]) -> None:
    spec = registry.signal(term.signal)
    if spec is None:
        errors.append(_("Unknown signal “%(name)s”.") % {"name": term.signal})
        return
    if term.fn in RUNS:
        want = 1 if term.fn == "months_running" else 2
        if len(term.numbers) != want or not float(term.numbers[-1]).is_integer() or not (
                1 <= term.numbers[-1] <= MAX_WINDOW_MONTHS):
            errors.append(_("%(fn)s needs the signal and %(what)s (1–12 months).") % {
                "fn": term.fn,
                "what": _("a number of months") if want == 1 else _("a threshold and a number of months")})
        return
    if term.fn in AGGREGATES:
        if term.numbers:
            errors.append(_("%(fn)s takes only the signal's name.") % {"fn": term.fn})
        return
    match = WINDOW.match(term.arg)
    if match is None or term.numbers:
        errors.append(_("%(name)s needs a window such as \"14d\" or \"3m\".") % {"name": term.fn})
        return
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d" and spec.days is None:
        errors.append(_("%(name)s has monthly values only: use a window in months such as \"1m\".") % {
            "name": term.fn})
    elif unit == "d" and n > MAX_WINDOW_DAYS:
        errors.append(_("A window in days may be at most %(n)d days.") % {"n": MAX_WINDOW_DAYS})
    elif unit == "m" and n > MAX_WINDOW_MONTHS:
        errors.append(_("A window in months may be at most %(n)d months.") % {"n": MAX_WINDOW_MONTHS})


def parse(source: str) -> Parsed:
    """Check an expression: it compiles (error with position), names only known signals and the
    vocabulary, with literal arguments; and rewrite it into a program over term variables."""
    parsed = Parsed(source=source)
    try:
        program = cel.compile(source)
    except (ValueError, RuntimeError) as exc:
        parsed.errors.append(_compile_error(exc))
        return parsed
    for name in program.variables():
        parsed.errors.append(_("Unknown name “%(name)s”: use a signal with a window, e.g. %(example)s.") % {
            "name": name, "example": f'{name}("1m")'})
    calls = list(CALL.finditer(source))
    called = {m.group(1) for m in calls}
    for fn in program.functions():
        if fn.startswith("_") or fn in CEL_BUILTINS:
            continue
        if fn not in VOCABULARY and registry.signal(fn) is None:
            parsed.errors.append(_("Unknown signal “%(name)s”.") % {"name": fn})
        elif fn not in called or len(re.findall(rf"\b{fn}\s*\(", source)) != sum(
                1 for m in calls if m.group(1) == fn):
            parsed.errors.append(_("The arguments of %(name)s must be literals, e.g. %(example)s.") % {
                "name": fn, "example": f'{fn}("3m")' if fn not in VOCABULARY else f'{fn}("travel_days")'})
    if parsed.errors:
        return parsed
    names: dict[Term, str] = {}
    pieces, last = [], 0
    for m in calls:
        numbers = tuple(float(x) for x in re.findall(r"-?[0-9]+(?:\.[0-9]+)?", m.group(3)))
        term = Term(m.group(1), m.group(2), numbers)
        _check_term(term, parsed.errors)
        var = names.setdefault(term, f"t{len(names)}")
        parsed.terms[var] = term
        pieces += [source[last:m.start()], var]
        last = m.end()
    pieces.append(source[last:])
    parsed.rewritten = "".join(pieces)
    if not parsed.errors:
        try:
            compiled(parsed.rewritten)
        except (ValueError, RuntimeError) as exc:
            parsed.errors.append(_compile_error(exc))
    return parsed


@lru_cache(maxsize=256)
def compiled(rewritten: str) -> Any:
    """The CEL program of a rule version's expression (compiled once per distinct text)."""
    return cel.compile(rewritten)


@lru_cache(maxsize=256)
def parsed_ok(source: str) -> Parsed:
    parsed = parse(source)
    if not parsed.ok:
        raise ValueError("; ".join(parsed.errors))
    return parsed


def check_template(template: str, parsed: Parsed) -> list[str]:
    known = _placeholders(parsed)
    errors = []
    for m in PLACEHOLDER.finditer(template):
        key = (m.group(1), m.group(2) or "")
        if key != ("employee", "") and key not in known:
            errors.append(_("The explanation names “%(p)s”, which the expression does not use.") % {"p": m.group(0)})
    return errors


def _placeholders(parsed: Parsed) -> dict[tuple[str, str], str]:
    return {(t.fn, t.arg): var for var, t in parsed.terms.items()}


def render(template: str, parsed: Parsed, values: dict[str, Any], employee: str) -> str:
    known = _placeholders(parsed)

    def sub(m: re.Match[str]) -> str:
        if m.group(1) == "employee" and not m.group(2):
            return employee
        var = known.get((m.group(1), m.group(2) or ""))
        return m.group(0) if var is None else display(values.get(var, 0))

    return PLACEHOLDER.sub(sub, template)


def display(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return _num(round(value, 2))
    return str(value)
