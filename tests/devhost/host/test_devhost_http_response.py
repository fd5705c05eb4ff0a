"""Handler return values become the HTTP responses the real worker would send."""

import azure.functions as func
import pytest

from devhost.http_functions import encode_response


def test_str_is_plain_text() -> None:
    response = encode_response("hello")
    assert (response.status, response.content_type, response.body) == (200, "text/plain", b"hello")
    assert response.charset == "utf-8"


def test_http_response_keeps_status_headers_and_mimetype() -> None:
    result = func.HttpResponse(
        '{"a": 1}', status_code=201, mimetype="application/json", headers={"X-Run": "7"}
    )
    response = encode_response(result)
    assert (response.status, response.headers["content-type"], response.headers["X-Run"]) == (
        201,
        "application/json",
        "7",
    )
    assert response.body == b'{"a": 1}'


def test_cookies() -> None:
    result = func.HttpResponse("x", headers={"Set-Cookie": "session=abc; Path=/"})
    assert encode_response(result).headers.getall("Set-Cookie") == ["session=abc; Path=/"]


@pytest.mark.parametrize("result", [None, 5])
def test_unencodable_return_fails_like_the_worker(result: object) -> None:
    """The worker's get_datum turns the converter's NotImplementedError into this TypeError."""
    name = type(result).__name__
    with pytest.raises(TypeError, match=f'unsupported type "http" for Python type "{name}"'):
        encode_response(result)


@pytest.mark.parametrize(
    ("returned", "status", "body", "content_type"),
    [
        ('{"body": "inner", "status": 201}', 201, b"inner", "text/plain"),
        (
            '{"Body": {"a": 1}, "statusCode": "202", "headers": {"Content-Type": "application/json"}}',
            202,
            b'{"a":1}',
            "application/json",
        ),
        ('{"a": 1}', 200, b'{\n  "a": 1\n}', "text/plain"),
        ('"quoted"', 200, b"quoted", "text/plain"),
        ("true", 200, b"True", "text/plain"),
        ("not json {", 200, b"not json {", "text/plain"),
    ],
)
def test_str_is_read_as_json_by_the_host(returned: str, status: int, body: bytes, content_type: str) -> None:
    """HttpBinding.CreateResult: a JSON response object sets status/headers/body; other JSON is re-written."""
    response = encode_response(returned)
    assert (response.status, response.body, response.content_type) == (status, body, content_type)
