"""`POST /admin/functions/{name}` runs queue and blob triggers with `{"input": ...}`, as on the host."""

import json
import uuid

from tests.devhost.storage.conftest import StartHost, local_blob


def test_a_queue_trigger_runs_with_the_input_as_its_message(storage_host: StartHost) -> None:
    host = storage_host("")
    body = f"direct-{uuid.uuid4().hex[:8]}"

    assert host.post("/admin/functions/work").status_code == 400  # no FunctionInvocation body
    assert host.post("/admin/functions/no_such_function", json={"input": body}).status_code == 404
    assert host.post("/admin/functions/WORK", json={"input": body}).status_code == 202

    seen = json.loads(local_blob(host, "seen", f"{body}.json"))
    assert (seen["body"], seen["dequeue_count"]) == (body, 1)
    assert "Reason='This function was programmatically called via the host APIs.'" in host.log_tail(200)


def test_a_blob_trigger_runs_with_the_input_as_the_blob_path(storage_host: StartHost) -> None:
    host = storage_host("")
    name = f"doc-{uuid.uuid4().hex[:8]}"
    host.http.put(f"/api/inbox/{name}", content=b"three little words")
    local_blob(host, "summaries", f"{name}.json")  # the scan ran it once
    summary = host.state_path.with_name(host.state_path.stem + ".blobs") / "summaries" / f"{name}.json"
    summary.unlink()

    assert host.post("/admin/functions/summarise", json={"input": f"inbox/{name}.txt"}).status_code == 202

    assert json.loads(local_blob(host, "summaries", f"{name}.json"))["words"] == 3
