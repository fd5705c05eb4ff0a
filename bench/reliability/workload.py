"""The mixed workload of the reliability run: every workflow, driven through the run API like a user.

A work item is one workflow with a fixed input. Approval items are approved through the API once they
report `awaiting_approval`; session items are a short conversation (one run per message, each message
sent after the previous reply). `Driver.advance` makes one step of progress per call and tolerates a
host that has just been killed, so the crash run can interleave kills with driving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

ENDED = frozenset({"Completed", "Failed", "Terminated"})
WORKFLOWS = ("single", "chain", "fanout", "routing", "critic", "approval", "tools", "session")
SESSION_MESSAGES = ("Hello, I am planning a trip to Porto.", "What did I say I was planning?")
TOOLS_QUESTION = "What is {n} * 7? Also please open a ticket: printer {n} is jammed."
# Values that legitimately differ between two runs of the same input: the outbox numbers tickets in
# the order runs reach the tool, which depends on scheduling, not on the run.
_TICKET = re.compile(r"TCK-\d{5}")


def item_input(workflow: str, n: int) -> dict[str, Any]:
    """The input of the n-th item of `workflow`: distinct per item, identical across passes."""
    inputs: dict[str, dict[str, Any]] = {
        "single": {"question": f"What is durable execution, case {n}?"},
        "chain": {"topic": f"durable agents, part {n}"},
        "fanout": {"topic": f"remote work policy {n}"},
        "routing": {"question": f"I was charged twice on invoice {n}, please refund"},
        "critic": {"topic": f"retry budgets {n}", "max_rounds": 3},
        "approval": {"topic": f"release notes {n}", "timeout_s": 3600},
        "tools": {"question": TOOLS_QUESTION.format(n=n + 2)},
        "session": {"session_id": f"reliability-{n}"},
    }
    return inputs[workflow]


def normalise(value: Any) -> Any:
    """An output with ticket numbers blanked, for comparing a crashed pass with the reference."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return _TICKET.sub("TCK-#####", value) if isinstance(value, str) else value


@dataclass
class Item:
    """One work item and its progress; `runs` are the run ids the host acknowledged, in order."""

    workflow: str
    n: int
    runs: list[str] = field(default_factory=list)
    outputs: list[Any] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    approved: bool = False
    done: bool = False

    @property
    def key(self) -> str:
        return f"{self.workflow}#{self.n}"

    @property
    def steps(self) -> int:
        """Runs this item needs: one per session message, otherwise one."""
        return len(SESSION_MESSAGES) if self.workflow == "session" else 1


def make_items(per_workflow: int) -> list[Item]:
    """`per_workflow` items of every workflow, interleaved so each batch mixes workflows."""
    return [Item(workflow, n) for n in range(per_workflow) for workflow in WORKFLOWS]


def _awaiting_approval(document: dict[str, Any]) -> bool:
    return (document.get("progress") or {}).get("step") == "awaiting_approval"


class Driver:
    """Moves items forward over HTTP, one request at a time; transport errors mean "try again later"."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def start(self, item: Item) -> None:
        """Start the item's next run; a run counts as started only once the host acknowledged it."""
        if item.workflow == "session":
            session_id = item_input("session", item.n)["session_id"]
            message = SESSION_MESSAGES[len(item.runs)]
            response = self.http.post(
                f"/api/sessions/{session_id}/messages", params={"wait": "0"}, json={"message": message}
            )
            if response.status_code == 202:
                item.runs.append(response.json()["runId"])
            return
        response = self.http.post(f"/api/runs/{item.workflow}", json=item_input(item.workflow, item.n))
        if response.status_code == 202:
            item.runs.append(response.json()["id"])

    def advance(self, item: Item) -> None:
        """One step: start the next run, approve a waiting approval, or record an ended run."""
        if item.done:
            return
        if len(item.runs) == len(item.outputs):
            self.start(item)
            return
        response = self.http.get(f"/api/runs/{item.runs[-1]}")
        if response.status_code != 200:
            return
        document = response.json()
        if document["status"] in ENDED:
            item.outputs.append(document["output"])
            item.statuses.append(document["status"])
            item.done = len(item.outputs) == item.steps
        elif item.workflow == "approval" and not item.approved and _awaiting_approval(document):
            self.approve(item)

    def approve(self, item: Item) -> None:
        """Send the decision; once acknowledged (202) the event is durable and is not sent again."""
        decision = {"approved": True, "comment": f"approved {item.key}"}
        response = self.http.post(f"/api/runs/{item.runs[-1]}/approval", json=decision)
        item.approved = item.approved or response.status_code == 202

    def advance_all(self, items: list[Item]) -> None:
        """One step for every unfinished item; stops at the first transport error (the host is down)."""
        for item in items:
            if not item.done:
                self.advance(item)
