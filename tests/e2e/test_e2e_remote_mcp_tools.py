"""An agent calls a tool of a remote MCP server through a durable activity, on the embedded host.

The `tools` workflow's agent declares the tools of the `demo` MCP server; the test points
MCP_SERVER_DEMO_URL at the notes server and asks for a note. The call is one `run_tool` step: after
a kill -9 that lands once the call has finished, the restarted host completes the run without
calling the server again.
"""

from pathlib import Path

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from tests.support.notes_mcp import NotesServer

QUESTION = "Please add_note: water the plants. Also what is 6 * 7?"


def host_env(tmp_path: Path, server: NotesServer, **overrides: str) -> dict[str, str]:
    return template_env(
        tmp_path, MCP_SERVER_DEMO_URL=server.url, MCP_SERVER_DEMO_TOKEN="e2e-token", **overrides
    )


def test_agent_calls_the_remote_tool_as_a_durable_step(tmp_path: Path, notes_server: NotesServer) -> None:
    with DevHost(PROJECT_ROOT, tmp_path / "state.db", env=host_env(tmp_path, notes_server)) as host:
        api = ApiClient(host.http)
        document = api.start("tools", {"question": QUESTION}, wait=60).json()
    assert document["status"] == "Completed", document
    calls = {call["name"]: call for call in document["output"]["tool_calls"]}
    assert calls["demo__add_note"]["arguments"] == {"text": "water the plants"}
    assert calls["demo__add_note"]["result"] == {"note": 1, "text": "water the plants"}
    assert calls["calculator"]["result"]["value"] == 42
    [entry] = notes_server.entries()
    key = f"{document['id']}:{calls['demo__add_note']['call_id']}"
    assert entry["meta"] == {"idempotencyKey": key}
    assert entry["authorization"] == "Bearer e2e-token"
    assert "water the plants" in document["output"]["answer"]


def test_kill_after_the_call_finished_does_not_repeat_it(tmp_path: Path, notes_server: NotesServer) -> None:
    # A 300 ms model: the kill lands after the tool step and before the final answer.
    env = host_env(tmp_path, notes_server, OFFLINE_MODEL_DELAY_MS="300")
    with DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env) as host:
        api = ApiClient(host.http)
        run_id = api.start("tools", {"question": QUESTION}).json()["id"]
        api.wait_for_tool_step(run_id, "demo__add_note", deadline_s=60)
        assert len(notes_server.entries()) == 1

        host.kill()
        host.launch()
        document = api.wait_for(run_id, deadline_s=60)

    assert document["status"] == "Completed", document
    assert [call["name"] for call in document["output"]["tool_calls"]].count("demo__add_note") == 1
    assert len(notes_server.entries()) == 1
