"""A thin client for the run API (benchmarks and end-to-end tests): polling with deadlines, no sleeps."""

import time
from collections.abc import Callable
from typing import Any

import httpx

ENDED = frozenset({"Completed", "Failed", "Terminated"})


class ApiClient:
    """Calls `/api/...` on a running host and waits for runs the way a user script would."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def start(self, workflow: str, body: dict[str, Any], wait: int | None = None) -> httpx.Response:
        params = {} if wait is None else {"wait": str(wait)}
        return self.http.post(f"/api/runs/{workflow}", json=body, params=params)

    def run(self, run_id: str) -> dict[str, Any]:
        response = self.http.get(f"/api/runs/{run_id}")
        assert response.status_code == 200, response.text
        document: dict[str, Any] = response.json()
        return document

    def run_to_end(self, workflow: str, body: dict[str, Any]) -> dict[str, Any]:
        """Start a run and return its run document once it has ended."""
        response = self.start(workflow, body, wait=30)
        assert response.status_code in (200, 202), response.text
        document = response.json()
        return document if document["status"] in ENDED else self.wait_for(document["id"])

    def wait_for(self, run_id: str, deadline_s: float = 30.0, **expect: Any) -> dict[str, Any]:
        """Poll the run document until it has ended (or matches `step=...`), within the deadline."""
        until = time.monotonic() + deadline_s
        document: dict[str, Any] = {}
        while time.monotonic() < until:
            document = self.run(run_id)
            step = (document.get("progress") or {}).get("step")
            if ("step" in expect and step == expect["step"]) or (
                "step" not in expect and document["status"] in ENDED
            ):
                return document
            time.sleep(0.02)  # poll interval, bounded by the deadline
        raise AssertionError(f"run {run_id} did not reach {expect or 'an end'} in {deadline_s}s: {document}")

    def events(self, run_id: str, after: int | str = 0, wait: int = 0) -> dict[str, Any]:
        response = self.http.get(f"/api/runs/{run_id}/events", params={"after": after, "wait": wait})
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def wait_for_tool_step(self, run_id: str, tool: str, deadline_s: float = 30.0) -> None:
        """Long-poll the run's events until a `run_tool` step calling `tool` has completed."""
        until = time.monotonic() + deadline_s
        while time.monotonic() < until:
            events = self.events(run_id, wait=1)["events"]
            if any(e["type"] == "step_completed" and e["detail"].get("tool") == tool for e in events):
                return
        raise AssertionError(f"{tool} did not finish within {deadline_s}s")

    def answer_until_done(self, run_id: str, answer: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        """Answer each pending graph request with `answer(request)` until the run ends; its document."""
        while True:
            document = self.run(run_id)
            if document["status"] in ENDED:
                return document
            for request in document["pendingInput"]:
                body = {"requestId": request["requestId"], "response": answer(request)}
                response = self.http.post(f"/api/runs/{run_id}/input", json=body)
                assert response.status_code == 202, response.text
            self.events(run_id, after=self.events(run_id)["next"], wait=2)  # until something new
