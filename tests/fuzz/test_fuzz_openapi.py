"""Property-based fuzzing of the run API from its own OpenAPI document (schemathesis 4).

Every operation in `/api/openapi.json` gets generated requests, valid and invalid, against the template
on the embedded host. Each reply must not be a 5xx, must conform to the documented status codes,
content type and response schema, and every 4xx must carry the documented `{"error": {"code",
"message"}}` body. `FUZZ_MAX_EXAMPLES` sets the examples per operation (default 8 keeps `make test`
short; `make fuzz` raises it) and `FUZZ_RANDOM=1` draws new examples on every run.

The one data constraint: `wait` query values are capped at 1 second. The API honours waits of up to
60 s (an approval run really waits that long for a person), which would only make the test slow; the
long-poll behaviour itself is covered in tests/e2e.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "8"))
# The same examples on every run unless FUZZ_RANDOM=1 (make fuzz), so `make test` is reproducible.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
MAX_FUZZ_WAIT_S = 1


@pytest.fixture(scope="module")
def fuzz_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with DevHost(PROJECT_ROOT, tmp / "state.db", env=template_env(tmp, TASKHUB_NAME="fuzzhub")) as host:
        yield host


def bounded_wait(case: Case) -> Case:
    """Cap a valid `wait` query value at MAX_FUZZ_WAIT_S (see the module docstring)."""
    wait = (case.query or {}).get("wait")
    if isinstance(wait, int) and not isinstance(wait, bool) and wait > MAX_FUZZ_WAIT_S:
        case.query = {**case.query, "wait": MAX_FUZZ_WAIT_S}
    return case


def error_body_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx reply is JSON `{"error": {"code": str, "message": str}}`."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        raise Failure(
            operation=case.operation.label,
            title="4xx reply is not JSON",
            message=f"{response.status_code} with body {response.text[:200]!r}",
        ) from None
    error = body.get("error") if isinstance(body, dict) else None
    fields_ok = isinstance(error, dict) and all(isinstance(error.get(k), str) for k in ("code", "message"))
    if not fields_ok:
        raise Failure(
            operation=case.operation.label,
            title="4xx reply lacks the documented error shape",
            message=f'{response.status_code} body {body!r} is not {{"error": {{"code", "message"}}}}',
        )
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_body_shape,
]


def fuzz_operation(operation: APIOperation, mode: GenerationMode) -> str | None:
    """Run MAX_EXAMPLES generated requests; None when all passed, else the shrunk failure report."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def one_request(case: Case) -> None:
        bounded_wait(case).call_and_validate(checks=CHECKS, timeout=30)

    try:
        one_request()
    except Unsatisfiable:  # negative mode on an operation with no inputs: nothing to make invalid
        return None
    except (FailureGroup, Failure, AssertionError) as failure:  # the shrunk failing request, with curl
        return f"{operation.label} ({mode.value}): {failure}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_every_operation_answers_within_its_documented_contract(
    fuzz_host: DevHost, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_host.base_url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]

    failures = [report for op in operations if (report := fuzz_operation(op, mode))]

    assert not failures, "\n\n".join(failures)
