"""demo.http, run top to bottom against the host: every request gets its documented reply."""

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.run_api import ApiClient

DEMO = Path(__file__).resolve().parents[2] / "demo.http"
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


@dataclass
class DemoRequest:
    title: str
    expect: int
    retry_on_conflict: bool
    name: str | None
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


def parse_demo(text: str) -> tuple[dict[str, str], list[DemoRequest]]:
    """File variables and requests of a REST Client file (only the features demo.http uses)."""
    blocks = text.split("\n###")
    variables = dict(re.findall(r"^@(\w+)\s*=\s*(\S+)", blocks[0], flags=re.MULTILINE))
    return variables, [parse_block(block) for block in blocks[1:]]


def parse_block(block: str) -> DemoRequest:
    lines = block.strip("\n").split("\n")
    title, rest = lines[0].strip(), lines[1:]
    expect = next(line.split(":", 1)[1].strip() for line in rest if line.startswith("# expect:"))
    name = next((line.split()[-1] for line in rest if line.startswith("# @name")), None)
    code = [line for line in rest if not line.startswith("#")]
    method, url = code[0].split(maxsplit=1)
    headers, body_start = {}, len(code)
    for i, line in enumerate(code[1:], start=1):
        if not line.strip():
            body_start = i + 1
            break
        key, value = line.split(":", 1)
        headers[key.strip()] = value.strip()
    status = int(expect.split()[0])
    body = "\n".join(code[body_start:]).strip()
    return DemoRequest(title, status, "409 before" in expect, name, method, url, headers, body)


def substitute(text: str, variables: dict[str, str], responses: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in variables:
            return variables[key]
        name, _response, _body, field = key.split(".")  # name.response.body.field
        return str(responses[name][field])

    return VARIABLE.sub(value, text)


def send(api: ApiClient, request: DemoRequest, url: str, body: str) -> Any:
    """Send once, or — for the approval step — again while the run is still drafting (409)."""
    deadline = time.monotonic() + 30
    while True:
        response = api.http.request(request.method, url, content=body or None, headers=request.headers)
        if not (request.retry_on_conflict and response.status_code == 409 and time.monotonic() < deadline):
            return response
        time.sleep(0.05)  # poll interval, bounded by the deadline


def test_every_demo_request_gets_its_documented_reply(api: ApiClient) -> None:
    variables, requests = parse_demo(DEMO.read_text())
    variables["base"] = str(api.http.base_url).rstrip("/") + "/api"
    variables["mcp"] = str(api.http.base_url).rstrip("/") + "/runtime/webhooks/mcp"
    responses: dict[str, Any] = {}
    assert len(requests) >= 20

    for request in requests:
        url = substitute(request.url, variables, responses)
        response = send(api, request, url, substitute(request.body, variables, responses))
        assert response.status_code == request.expect, (request.title, response.status_code, response.text)
        if request.name:
            responses[request.name] = json.loads(response.text)
