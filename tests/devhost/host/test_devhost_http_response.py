"""Handler return values become the HTTP responses the real worker would send."""

import azure.functions as func

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


def test_cookies_and_none() -> None:
    result = func.HttpResponse("x", headers={"Set-Cookie": "session=abc; Path=/"})
    assert encode_response(result).headers.getall("Set-Cookie") == ["session=abc; Path=/"]
    assert encode_response(None).status == 204
