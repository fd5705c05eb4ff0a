"""Bad input never yields a 500 or a silent 200: each case gets its documented 4xx JSON error."""

import pytest

from bench.run_api import ApiClient

JSON = {"Content-Type": "application/json"}
CASES = [
    ("malformed JSON", "POST", "/api/runs/chain", b'{"topic": ', 400),
    ("body not an object", "POST", "/api/runs/chain", b'["topic"]', 422),
    ("wrong type", "POST", "/api/runs/chain", b'{"topic": 42}', 422),
    ("missing field", "POST", "/api/runs/chain", b"{}", 422),
    ("unknown field", "POST", "/api/runs/chain", b'{"topic": "x", "colour": "red"}', 422),
    ("max_rounds out of range", "POST", "/api/runs/critic", b'{"topic": "x", "max_rounds": 99}', 422),
    ("unknown workflow", "POST", "/api/runs/nope", b"{}", 404),
    ("unknown run", "GET", "/api/runs/0123456789abcdef", None, 404),
    ("odd characters in id", "GET", "/api/runs/bad%20id%3B", None, 400),
    ("path traversal in id", "GET", "/api/runs/..%2F..%2Fetc", None, 400),
    ("wait not a number", "POST", "/api/runs/single?wait=soon", b'{"question": "q"}', 400),
    ("wait too long", "POST", "/api/runs/single?wait=61", b'{"question": "q"}', 400),
    ("limit too large", "GET", "/api/runs?limit=1000", None, 400),
    ("bad status filter", "GET", "/api/runs?status=Sleeping", None, 400),
    ("before= (replaced by cursor)", "GET", "/api/runs?before=yesterday", None, 400),
    ("events wait too long", "GET", "/api/runs/0123456789abcdef/events?wait=99", None, 400),
    ("wrong method on runs", "PUT", "/api/runs", b"{}", 405),
    ("wrong method on health", "DELETE", "/api/health", None, 405),
    ("wrong method on workflows", "POST", "/api/workflows", b"{}", 405),
    ("approve unknown run", "POST", "/api/runs/0123456789abcdef/approval", b'{"approved": true}', 404),
    ("approval without decision", "POST", "/api/runs/0123456789abcdef/approval", b"{}", 422),
    ("terminate unknown run", "POST", "/api/runs/0123456789abcdef/terminate", b"{}", 404),
    ("empty session message", "POST", "/api/sessions/s1/messages", b'{"message": 5}', 422),
    ("unknown route", "GET", "/api/nothing/here", None, 404),
    ("huge body", "POST", "/api/runs/chain", b'{"topic": "' + b"x" * (1024 * 1024 + 10) + b'"}', 413),
    ("deeply nested body", "POST", "/api/runs/chain", b"[" * 100_000 + b"]" * 100_000, 400),
    ("cursor not issued by the API", "GET", "/api/runs?cursor=0078-07-09T09:39:08Z", None, 400),
    ("newline in run id", "GET", "/api/runs/a%0Ab", None, 400),
    ("newline in session id", "GET", "/api/sessions/a%0Ab", None, 400),
]


@pytest.mark.parametrize(("case", "method", "path", "body", "status"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_json_4xx(
    api: ApiClient, case: str, method: str, path: str, body: bytes | None, status: int
) -> None:
    response = api.http.request(method, path, content=body, headers=JSON)

    assert response.status_code == status, (case, response.status_code, response.text[:300])
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_validation_error_names_the_field(api: ApiClient) -> None:
    response = api.start("chain", {"topic": 42})
    assert "topic" in response.json()["error"]["message"]


def test_wrong_method_says_which_are_allowed(api: ApiClient) -> None:
    response = api.http.put("/api/runs", content=b"{}")
    assert "GET" in response.headers["Allow"]
