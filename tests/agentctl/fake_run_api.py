"""A small in-memory run API on 127.0.0.1 for the agentctl tests.

It speaks the public contract (routes, shapes, error envelope) with scripted runs:
each events poll reveals the next batch of a run's events, so a follower sees the run
progress without any clock. Tests can make chosen events polls drop the connection
(after the server has moved on, like a real network failure) or answer 500 (a host stopping).
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

JsonObject = dict[str, Any]

WORKFLOWS: list[JsonObject] = [
    {
        "name": "single",
        "description": "One agent answers a question.",
        "input_schema": {"properties": {"question": {"type": "string"}}, "required": ["question"]},
    },
    {
        "name": "fanout",
        "description": "Specialists in parallel, then an aggregator.",
        "input_schema": {
            "properties": {"topic": {"type": "string"}, "specialists": {"type": "array"}},
            "required": ["topic"],
        },
    },
    {
        "name": "approval",
        "description": "A draft waits for a person's decision.",
        "input_schema": {"properties": {"topic": {"type": "string"}}, "required": ["topic"]},
    },
    {
        "name": "session",
        "description": "One turn of a conversation; start it with POST /api/sessions/{id}/messages.",
        "input_schema": {"properties": {"message": {"type": "string"}}, "required": ["message"]},
        "startable": False,
    },
]
REQUIRED = {item["name"]: item["input_schema"]["required"] for item in WORKFLOWS}


@dataclass
class FakeRun:
    """A run whose events are revealed `batch` at a time, one batch per events poll."""

    id: str
    workflow: str
    final_status: str = "Completed"
    output: Any = None
    error: Any = None
    event_count: int = 4
    batch: int = 1
    revealed: int = 0
    terminated: bool = False
    words: list[str] = field(default_factory=list)
    agent: str = "writer"

    @property
    def status(self) -> str:
        if self.terminated:
            return "Terminated"
        return self.final_status if self.revealed >= self.event_count else "Running"

    def events(self) -> list[JsonObject]:
        """The revealed events; with `words`, each step's words come as token events before it.

        Ids are positions in this list, opaque to the client as the real API's are.
        """
        flat: list[JsonObject] = []
        for seq in range(1, self.revealed + 1):
            last = seq == self.event_count
            if self.words and not last:
                flat += [
                    {
                        "seq": None,
                        "at": f"2025-01-01T12:00:{seq:02d}Z",
                        "type": "token",
                        "name": self.agent,
                        "detail": {"step": f"s{seq}", "attempt": 1, "text": word},
                    }
                    for word in self.words
                ]
            flat.append(
                {
                    "seq": seq,
                    "at": f"2025-01-01T12:00:{seq:02d}Z",
                    "type": "run_completed" if last else "step_completed",
                    "name": f"step{seq}",
                    "detail": {"n": seq},
                }
            )
        return [{"id": str(position), **event} for position, event in enumerate(flat, start=1)]

    def document(self) -> JsonObject:
        ended = self.status in ("Completed", "Failed", "Terminated")
        return {
            "id": self.id,
            "workflow": self.workflow,
            "status": self.status,
            "createdAt": "2025-01-01T12:00:00Z",
            "updatedAt": f"2025-01-01T12:00:{self.revealed:02d}Z",
            "progress": {
                "step": f"step{self.revealed}",
                "index": self.revealed,
                "of": self.event_count,
                "last": "",
            },
            "usage": {"input_tokens": 10 * self.revealed, "output_tokens": 20 * self.revealed},
            "output": self.output if ended and self.status == "Completed" else None,
            "error": self.error if self.status == "Failed" else None,
        }


@dataclass
class FakeRunApi:
    """State and scripting knobs; `requests` records what the CLI sent, in order."""

    runs: dict[str, FakeRun] = field(default_factory=dict)
    requests: list[JsonObject] = field(default_factory=list)
    drop_events_polls: set[int] = field(default_factory=set)
    failing_events_polls: set[int] = field(default_factory=set)
    events_polls: int = 0
    steps_page: int = 100
    approvals: list[JsonObject] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_run(self, run: FakeRun) -> FakeRun:
        self.runs[run.id] = run
        return run

    def handle(self, method: str, path: str, query: JsonObject, body: Any) -> tuple[int, Any]:
        """Route one request; returns (status, JSON body) or (0, None) to drop the connection."""
        parts = [unquote(part) for part in path.removeprefix("/api/").split("/")]
        route = {
            ("GET", "health"): lambda: (200, {"status": "ok", "version": "0.1.0", "provider": "offline"}),
            ("GET", "workflows"): lambda: (200, WORKFLOWS),
            ("GET", "runs"): lambda: self._list(query),
        }.get((method, "/".join(parts)))
        if route:
            return route()
        if parts[0] == "runs" and len(parts) == 2:
            return self._start(parts[1], query, body) if method == "POST" else self._get(parts[1])
        if parts[0] == "runs" and len(parts) == 3:
            return self._run_action(method, parts[1], parts[2], query, body)
        if parts[0] == "sessions" and parts[-1] == "messages":
            return self._message(parts[1], query, body)
        if parts[0] == "sessions" and len(parts) == 2 and method == "DELETE":
            return self._delete_session(parts[1])
        return _error(404, "not_found", f"no route {method} {path}")

    def _start(self, workflow: str, query: JsonObject, body: Any) -> tuple[int, Any]:
        if workflow not in REQUIRED:
            return _error(404, "unknown_workflow", f"workflow '{workflow}' does not exist")
        if workflow == "session":  # as the API answers it
            return _error(
                400,
                "use_sessions_api",
                "workflow 'session' is started per message: POST /api/sessions/{id}/messages",
            )
        missing = [name for name in REQUIRED[workflow] if name not in body]
        if missing:
            return _error(422, "invalid_input", f"field '{missing[0]}' is required")
        run = self.add_run(FakeRun(id=f"run{len(self.runs) + 1}", workflow=workflow, output={"input": body}))
        run.words = list(body.get("words") or [])
        if body.get("fail"):
            run.final_status, run.error = "Failed", "step 'writer' failed: PermanentModelError"
        if int(query.get("wait", 0)) > 0 and body.get("instant"):
            run.revealed = run.event_count
            return 200, run.document()
        return 202, {"id": run.id, "workflow": workflow, "status": "Pending", "links": {}}

    def _get(self, run_id: str) -> tuple[int, Any]:
        run = self.runs.get(run_id)
        return (200, run.document()) if run else _error(404, "run_not_found", f"run '{run_id}' not found")

    def _list(self, query: JsonObject) -> tuple[int, Any]:
        runs = [run.document() for run in self.runs.values()]
        runs = [doc for doc in runs if query.get("workflow") in (None, doc["workflow"])]
        runs = [doc for doc in runs if query.get("status") in (None, doc["status"])]
        limit = int(query.get("limit", 50))
        offset = int(str(query.get("cursor", "cursor-0")).removeprefix("cursor-"))
        rest = len(runs) > offset + limit
        return 200, {
            "runs": runs[offset : offset + limit],
            "next": f"cursor-{offset + limit}" if rest else None,
        }

    def _run_action(
        self, method: str, run_id: str, action: str, query: JsonObject, body: Any
    ) -> tuple[int, Any]:
        run = self.runs.get(run_id)
        if run is None:
            return _error(404, "run_not_found", f"run '{run_id}' not found")
        if action == "events":
            return self._events(run, str(query.get("after", "0")))
        if action == "steps":
            return self._steps(run, int(query.get("after", 0)), int(query.get("limit", self.steps_page)))
        if run.status != "Running":
            return _error(409, "conflict", f"run '{run_id}' is {run.status}")
        if action == "approval":
            self.approvals.append(body)
            run.revealed = run.event_count
            return 202, {"id": run_id, "status": "Running"}
        run.terminated = True
        return 202, {"id": run_id, "status": "Running"}

    def _events(self, run: FakeRun, after: str) -> tuple[int, Any]:
        self.events_polls += 1
        seen = [event for event in run.events() if int(event["id"]) <= int(after)]
        seen_steps = max([event["seq"] for event in seen if event["seq"]], default=0)
        run.revealed = min(run.event_count, max(run.revealed, seen_steps) + run.batch)
        if self.events_polls in self.drop_events_polls:
            return 0, None
        if self.events_polls in self.failing_events_polls:
            return _error(500, "internal", "host stopping")
        events = [event for event in run.events() if int(event["id"]) > int(after)]
        page = {"events": events, "next": events[-1]["id"] if events else after}
        return 200, page | {"status": run.status, "done": run.status != "Running"}

    def _steps(self, run: FakeRun, after: int, limit: int) -> tuple[int, Any]:
        """At most `steps_page` steps a reply, however large a `limit` the client asks for."""
        total = run.revealed
        page = [
            {
                "seq": seq,
                "kind": "agent",
                "name": f"step{seq}",
                "status": "completed",
                "reply": f"reply {seq}",
            }
            for seq in range(after + 1, min(after + min(limit, self.steps_page), total) + 1)
        ]
        reached = after + len(page)
        page_next = reached if reached < total else None
        return 200, {"id": run.id, "status": run.status, "steps": page, "total": total, "next": page_next}

    def _message(self, session_id: str, query: JsonObject, body: Any) -> tuple[int, Any]:
        if not session_id.replace("-", "").isalnum():  # as the API's id rule refuses it
            return _error(400, "invalid_parameter", "session id: may contain only letters, digits, '-'")
        message = body["message"]
        if message == "crash":
            return 500, {
                "error": {"code": "internal", "message": "unexpected error", "correlationId": "c0ffee"}
            }
        if message == "fail fast":
            return _error(502, "run_failed", "session turn run 'turn0' ended Failed: model refused")
        reply = f"you said: {message}"
        self.sessions.add(session_id)
        run = self.add_run(
            FakeRun(id=f"turn{len(self.runs) + 1}", workflow="session", event_count=2, batch=2, agent="chat")
        )
        if message == "fail please":
            run.final_status, run.error = "Failed", "model refused"
        else:
            run.output = {"session_id": session_id, "reply": reply, "turns": 1}
            # The stream shows all of the reply, or only its start when the store fell behind.
            run.words = reply.split(" ", 1)[:1] if message == "lagging" else [reply[:4], reply[4:]]
        if message.startswith("slow") or message == "fail please" or query.get("wait") == "0":
            return 202, {"sessionId": session_id, "runId": run.id, "links": {}}
        return 200, {"sessionId": session_id, "runId": run.id, "reply": f"you said: {message}", "turns": 1}

    def _delete_session(self, session_id: str) -> tuple[int, Any]:
        """As the API answers: 409 while a turn runs ("busy"), 202 while still queued ("queued")."""
        if session_id == "busy":
            return _error(409, "conflict", "session 'busy' has a turn still running (run 'turn9')")
        if session_id == "queued":
            return 202, {"sessionId": session_id, "status": "deleting"}
        if session_id not in self.sessions:
            return _error(404, "session_not_found", f"session '{session_id}' not found")
        self.sessions.discard(session_id)
        return 204, None


def _error(status: int, code: str, message: str) -> tuple[int, JsonObject]:
    return status, {"error": {"code": code, "message": message}}


class FakeServer:
    """Serves a `FakeRunApi` from a thread; `url` is the base without `/api`."""

    def __init__(self, api: FakeRunApi) -> None:
        self.api = api
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(api))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _handler_for(api: FakeRunApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
            length = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            if self.headers.get("x-functions-key") == "revoked":
                self.send_response(401)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            with api.lock:
                api.requests.append(
                    {
                        "method": self.command,
                        "path": parts.path,
                        "query": query,
                        "body": body,
                        "headers": dict(self.headers),
                    }
                )
                status, payload = api.handle(self.command, parts.path, query, body)
            if status == 0:
                self.close_connection = True
                return
            data = b"" if status == 204 else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler
