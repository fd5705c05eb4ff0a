"""Route templates behave like ASP.NET routing on the Functions host."""

import pytest

from devhost.routing import Route, RouteError, RouteTable, RouteTemplate


def table(*templates: str, methods: dict[str, set[str]] | None = None) -> RouteTable[str]:
    methods = methods or {}
    routes = [Route(RouteTemplate(t), frozenset(methods[t]) if t in methods else None, t) for t in templates]
    return RouteTable("api", routes)


def resolve(routes: RouteTable[str], path: str, method: str = "GET") -> tuple[str, dict[str, str]] | None:
    found = routes.resolve(method, path)
    return None if found is None else (found[0].target, found[1])


def test_literal_beats_parameter_beats_catch_all() -> None:
    routes = table("{*path}", "runs/{key}", "runs/latest", "runs/{id:int}")
    assert resolve(routes, "/api/runs/latest") == ("runs/latest", {})
    assert resolve(routes, "/api/runs/42") == ("runs/{id:int}", {"id": "42"})
    assert resolve(routes, "/api/runs/abc") == ("runs/{key}", {"key": "abc"})
    assert resolve(routes, "/api/other/deep/path") == ("{*path}", {"path": "other/deep/path"})
    assert resolve(routes, "/api") == ("{*path}", {})


def test_literals_are_case_insensitive_and_values_decoded() -> None:
    routes = table("Orchestrators/{functionName}")
    assert resolve(routes, "/API/orchestrators/hello%20world") == (
        "Orchestrators/{functionName}",
        {"functionName": "hello world"},
    )
    # Kestrel decodes every escape in the path but %2F, which stays encoded in the route value.
    assert resolve(routes, "/api/orchestrators/a%2Fb%2fc%3F") == (
        "Orchestrators/{functionName}",
        {"functionName": "a%2Fb%2fc?"},
    )


def test_optional_default_and_missing_segments() -> None:
    routes = table("items/{id?}", "pages/{n=1}")
    assert resolve(routes, "/api/items") == ("items/{id?}", {})
    assert resolve(routes, "/api/items/7") == ("items/{id?}", {"id": "7"})
    assert resolve(routes, "/api/pages") == ("pages/{n=1}", {"n": "1"})
    assert resolve(routes, "/api/items/7/extra") is None


@pytest.mark.parametrize(
    ("template", "accepted", "rejected"),
    [
        ("{v:int}", ["0", "-5", "2147483647"], ["x", "2147483648", "1.5"]),
        ("{v:long}", ["9223372036854775807"], ["9223372036854775808"]),
        ("{v:bool}", ["true", "False"], ["yes"]),
        ("{v:guid}", ["3f2504e0-4f89-11d3-9a0c-0305e82c3301"], ["not-a-guid"]),
        ("{v:alpha}", ["abcXYZ"], ["abc1"]),
        ("{v:double}", ["1.5", "-2", "1e3"], ["one"]),
        ("{v:minlength(3)}", ["abc"], ["ab"]),
        ("{v:maxlength(3)}", ["abc"], ["abcd"]),
        ("{v:length(2,3)}", ["ab", "abc"], ["a", "abcd"]),
        ("{v:min(10)}", ["10", "99"], ["9"]),
        ("{v:max(10)}", ["10", "-3"], ["11"]),
        ("{v:range(1,3)}", ["1", "3"], ["0", "4"]),
        ("{v:regex(^a\\d+$)}", ["a12"], ["b12"]),
        ("{v:int:min(5)}", ["5"], ["4", "x"]),
    ],
)
def test_constraints(template: str, accepted: list[str], rejected: list[str]) -> None:
    routes = table(template)
    for value in accepted:
        assert resolve(routes, f"/api/{value}") is not None, value
    for value in rejected:
        assert resolve(routes, f"/api/{value}") is None, value


def test_method_restriction_falls_through_then_misses() -> None:
    routes = table("things/{id}", "{*rest}", methods={"things/{id}": {"GET"}, "{*rest}": {"PUT"}})
    assert resolve(routes, "/api/things/1", "GET") == ("things/{id}", {"id": "1"})
    assert resolve(routes, "/api/things/1", "PUT") == ("{*rest}", {"rest": "things/1"})
    assert resolve(routes, "/api/things/1", "POST") is None


def test_complex_segment_and_prefix() -> None:
    routes = table("files/{name}.{ext}")
    assert resolve(routes, "/api/files/report.v2.pdf") == (
        "files/{name}.{ext}",
        {"name": "report.v2", "ext": "pdf"},
    )
    assert resolve(routes, "/other/files/a.b") is None


def test_bad_templates_are_rejected() -> None:
    with pytest.raises(RouteError, match="unknown constraint 'nosuch'"):
        RouteTemplate("x/{id:nosuch}")
    with pytest.raises(RouteError, match="catch-all"):
        RouteTemplate("{*rest}/tail")
    with pytest.raises(RouteError, match="unclosed"):
        RouteTemplate("x/{id")


@pytest.mark.parametrize("template", ["a/{x}/{x}", "a/{x}/{X:int}", "{x}.{x}"])
def test_a_parameter_name_used_twice_is_refused(template: str) -> None:
    """ASP.NET's parser refuses it (names compared ignoring case), so the host does not start."""
    with pytest.raises(RouteError, match="appears more than one time in the route template"):
        RouteTemplate(template)
