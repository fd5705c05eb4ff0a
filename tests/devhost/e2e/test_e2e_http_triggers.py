"""HTTP triggers behave as on the Functions host: routes, methods, request and response shapes."""

from devhost.testing import DevHost


def test_route_precedence_and_constraints(host: DevHost) -> None:
    assert host.get("/api/items/latest").text == "latest"
    assert host.get("/api/items/42").json() == {"route": "by-id", "id": 42}
    assert host.get("/api/items/forty-two").json() == {"route": "by-name", "name": "forty-two"}
    assert host.get("/API/Items/7").json()["route"] == "by-id"  # literals ignore case


def test_method_not_accepted_is_an_empty_404(host: DevHost) -> None:
    assert host.get("/api/get-only").status_code == 200
    refused = host.post("/api/get-only")
    assert (refused.status_code, refused.content) == (404, b"")
    unknown = host.get("/api/no/such/route")
    assert (unknown.status_code, unknown.content) == (404, b"")
    assert host.get("/outside/the/prefix").status_code == 404


def test_request_reaches_the_handler_whole(host: DevHost) -> None:
    response = host.http.put(
        "/api/echo/a/b%20c?q=one+two&x=%2F&x=2",
        content=b'{"k": 1}',
        headers={"X-Echo": "hi", "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    echoed = response.json()
    assert echoed["method"] == "PUT"
    assert echoed["url"] == f"{host.base_url}/api/echo/a/b%20c?q=one+two&x=%2F&x=2"
    assert echoed["params"] == {"q": "one two", "x": "/,2"}
    assert echoed["route_params"] == {"rest": "a/b c"}
    assert (echoed["header"], echoed["body"]) == ("hi", '{"k": 1}')
    assert echoed["function_name"] == "echo_request" and len(echoed["invocation_id"]) == 36


def test_str_return_is_plain_text(host: DevHost) -> None:
    response = host.get("/api/get-only")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "only GET reaches me"


def test_handler_exception_is_500_and_host_keeps_serving(host: DevHost) -> None:
    failed = host.get("/api/boom")
    assert (failed.status_code, failed.content) == (500, b"")
    assert host.get("/api/items/1").status_code == 200
    log = host.log_tail(400)
    assert "RuntimeError: boom: this handler always fails" in log
    assert "GET /api/boom -> 500" in log


def test_one_log_line_per_request_with_status_and_duration(host: DevHost) -> None:
    host.get("/api/items/314159")
    lines = [line for line in host.log_tail(400).splitlines() if "/api/items/314159" in line]
    assert len(lines) == 1 and "-> 200 (" in lines[0] and lines[0].endswith("ms)")
