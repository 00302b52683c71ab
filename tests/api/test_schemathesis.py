"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis, in-process over WSGI).

Every operation of /api/schema/ — this package's and the plugged-in apps' (activity, …) — gets generated
requests (valid per the schema, and deliberately invalid ones) sent with an HR token, ids in paths and
bodies aimed at existing objects half the time so that the operation's service runs. Then each operation's
every query parameter and body field in turn gets each known-hostile value (the rest of the request valid).
No request may cause a server error, and every error response is JSON; the responses to valid requests must have a documented content type and, for
documented status codes, a body of the documented shape. Operations that document their error responses
(all of this package's: ``hrguard.api.schema.ApiSchema``) must also never answer with an undocumented
status code.

Random generation alone almost never produces a 4,301-digit numeric string or the text "NaN" in a field the
schema calls a string, nor a body naming an employee that exists; the hostile values are inputs that have
broken servers before (Python's int-from-text limit, non-finite decimals, dates at the edge of the calendar,
ids beyond 64 bits, Unicode digits that ``str.isdigit`` accepts but ``int`` refuses), swept field by field
so that such a fault is found wherever it sits (run on the code before the fix, the sweep reports the
employee, contract and monthly-attendance 500s of issue 7)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hrguard.people import contracts
from hrguard.people.models import ClauseTemplate, Contract
from hrguard.wsgi import application
from tests.conftest import api_client_for

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
OPERATIONS = [(op.ok().path, op.ok().method.upper()) for op in SCHEMA.get_all_operations()]
# Bounded so the whole run stays around a minute or two per database (CI runs it on SQLite and PostgreSQL);
# for a deeper local run: HRGUARD_FUZZ_EXAMPLES=200.
MAX_EXAMPLES = int(os.environ.get("HRGUARD_FUZZ_EXAMPLES", "20"))
# Values that broke this or other servers before, by the kind of field they go into.
TEXT_KILLERS: list[Any] = [
    "1" * 4301,  # beyond Python's int-from-text limit (ValueError in int())
    "9" * 19,  # beyond a 64-bit id column
    "²",  # a digit to str.isdigit(), not to int()
    "NaN", "Infinity", "1e999",  # non-finite decimals: comparisons raise
    "9999-12", "9999-12-31",  # the calendar's last month/day: "next month" or "+1 day" overflows
    "\x00",
]
TYPED_KILLERS: dict[str, list[Any]] = {
    "integer": [2**64, "1" * 4301], "number": [1e308, "NaN"], "date": ["9999-12-31", "0001-01-01"],
    "date-time": ["9999-12-31T23:59:59Z"],
}
# Pagination parameters are one shared implementation: swept on the first list operation only.
SHARED_PARAMS = {"page", "page_size", "cursor"}
# Body fields that name an object of the people/organisation API -> collection of existing_ids().
BODY_IDS = {"employee": "employees", "department": "departments", "position": "positions", "contract": "contracts",
            "template": "clauses"}
# Known schema mismatches outside this package, reported to their owner (not strict: they pass once fixed).
# (path, method) -> reason, for a schema/response mismatch being fixed elsewhere. Empty: every operation
# must pass.
KNOWN_MISMATCHES: dict[tuple[str, str], str] = {}


def documents_errors(path: str, method: str) -> bool:
    """Whether the operation declares its error responses (then any other status is a failure)."""
    return "401" in SCHEMA.raw_schema["paths"][path][method.lower()]["responses"]


def conformance(path: str, method: str) -> list[Any]:
    checks = [content_type_conformance, response_schema_conformance]
    return [*checks, status_code_conformance] if documents_errors(path, method) else checks


def params() -> list[Any]:
    out = []
    for path, method in OPERATIONS:
        reason = KNOWN_MISMATCHES.get((path, method))
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        out.append(pytest.param(path, method, marks=marks, id=f"{method} {path}"))
    return out


def run_checks(case: Any, response: Any, checks: list[Any]) -> None:
    case.validate_response(response, checks=checks)


def killers(schema: dict[str, Any]) -> list[Any]:
    """The hostile values for a field (or parameter) of this schema."""
    kind = schema.get("type")
    if kind == "string" and schema.get("format") in TYPED_KILLERS:
        return TYPED_KILLERS[schema["format"]]
    if kind == "string" and "enum" not in schema:
        return TEXT_KILLERS
    return TYPED_KILLERS.get(str(kind), [])


def body_properties(definition: dict[str, Any]) -> dict[str, Any]:
    """The properties of a request body schema (schemathesis bundles referenced schemas under x-bundled)."""
    schema = definition.get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/x-bundled/"):
        schema = schema.get("x-bundled", {}).get(ref.rsplit("/", 1)[1], {})
    return schema.get("properties") or {}


def sweep_targets(operation: Any, seen_shared: set[str]) -> list[tuple[str, str, Any]]:
    """(where, name, value) for every query parameter and body field of the operation and its killers."""
    targets: list[tuple[str, str, Any]] = []
    for param in operation.query:
        if param.name in SHARED_PARAMS:
            if param.name in seen_shared:
                continue
            seen_shared.add(param.name)
        targets += [("query", param.name, v) for v in killers(param.definition.get("schema", {}))]
    names: set[str] = set()
    for alternative in operation.body:
        for name, schema in body_properties(alternative.definition).items():
            if name not in names:
                names.add(name)
                targets += [("body", name, v) for v in killers(schema)]
    return targets


def aim_body(case: Any, ids: dict[str, int]) -> Any:
    """The case with its body's object references pointing at existing objects."""
    if isinstance(case.body, dict):
        case.body = {**case.body, **{k: ids[c] for k, c in BODY_IDS.items() if k in case.body and c in ids}}
    return case


def error_is_json(response: Any) -> str | None:
    """Why the answer breaks the API's promise (a server error, or an error that is not JSON), or None."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code >= 400:
        content_type = (response.headers.get("content-type") or [""])[0]
        if not content_type.startswith("application/json"):
            return f"{response.status_code} answered as {content_type}"
        if "error" not in json.loads(response.content):
            return f"{response.status_code} not in the error format"
    return None


def existing_ids(world: Any) -> dict[str, int]:
    """An existing object of the world's company per collection of the people/organisation API."""
    hr = world.users["hr"]
    template = contracts.save_clause_template(
        hr, world.company, {"code": "CONF", "title": "保密条款", "body": "……", "category": "confidentiality"}
    ) if not ClauseTemplate.objects.filter(company=world.company, code="CONF").exists() else (
        ClauseTemplate.objects.get(company=world.company, code="CONF")
    )
    contract = Contract.objects.filter(company=world.company).first() or contracts.create_contract(
        hr, world.employees["east_rep"],
        {"contract_no": "HT-FUZZ", "contract_type": "open_ended", "start_date": "2020-01-06", "wage": "9000",
         "work_location": "上海"},
        [(template.pk, True)],
    )
    return {
        "employees": world.employees["east_rep"].pk, "departments": world.depts["sales"].pk,
        "positions": world.employees["east_rep"].position_id, "contracts": contract.pk, "clauses": template.pk,
    }


@pytest.fixture
def keep_connection() -> Any:
    """Calling the WSGI application directly fires request_started/finished, whose handler would close the
    test's database connection (and its open transaction); Django's test client unhooks it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def aimed_at(path: str, ids: dict[str, int]) -> dict[str, Any]:
    """Strategy arguments that put an existing object's id into the path, when the path names one."""
    existing = ids.get(path.split("/")[3])
    return {"path_parameters": {"id": str(existing)}} if "{id}" in path and existing else {}


@pytest.mark.parametrize(("path", "method"), params())
def test_operation_never_fails_with_a_server_error(world, keep_connection, path, method):
    token = api_client_for(world.users["hr"])._credentials["HTTP_AUTHORIZATION"]
    operation = SCHEMA[path][method]
    positive_checks = [not_a_server_error, *conformance(path, method)]
    ids = existing_ids(world)
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE).map(lambda case: (case, True)),
        operation.as_strategy(GenerationMode.NEGATIVE).map(lambda case: (case, False)),
        # Half the time, aim at objects that exist and are visible, so the operation's service runs.
        operation.as_strategy(GenerationMode.POSITIVE, **aimed_at(path, ids)).map(
            lambda case: (aim_body(case, ids), True)
        ),
    ]
    strategy = st.one_of(*strategies)

    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(generated: tuple[Any, bool]) -> None:
        case, positive = generated
        response = case.call(headers={"Authorization": token})
        checks = positive_checks if positive else [not_a_server_error]
        run_checks(case, response, checks)
        broken = error_is_json(response)
        assert broken is None, broken

    fuzz()


SEEN_SHARED: set[str] = set()


@pytest.mark.parametrize(("path", "method"), params())
def test_every_field_survives_every_hostile_value(world, keep_connection, path, method):
    """One valid request per operation (ids aimed at existing objects), then each field in turn replaced by
    each hostile value: no server error, every error JSON. Failures are listed together."""
    token = api_client_for(world.users["hr"])._credentials["HTTP_AUTHORIZATION"]
    operation = SCHEMA[path][method]
    ids = existing_ids(world)
    targets = sweep_targets(operation, SEEN_SHARED)
    if not targets:
        pytest.skip("no parameters or body fields")

    @settings(max_examples=1, phases=[Phase.generate], deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(GenerationMode.POSITIVE, **aimed_at(path, ids)))
    def sweep(case: Any) -> None:
        aim_body(case, ids)
        query, body = dict(case.query or {}), case.body
        broken = []
        for where, name, value in targets:
            if where == "query":
                case.query = {**query, name: value if isinstance(value, str) else str(value)}
            elif isinstance(body, dict):
                case.body = {**body, name: value}
            else:
                continue
            why = error_is_json(case.call(headers={"Authorization": token}))
            if why:
                broken.append(f"{where} {name}={str(value)[:24]!r}: {why}")
            case.query, case.body = query, body
        assert not broken, "\n".join(broken)

    sweep()
