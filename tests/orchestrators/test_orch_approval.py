"""approval: event vs durable timer; approved publishes, rejected does not, silence times out."""

import json
from datetime import timedelta

from azure.durable_functions.models.actions import ActionType

from orchestrators.approval import approval
from tests.orchestrators.harness import FakeActivities, OrchestrationRun


def wait_for_approval(timeout_s: int | None = None) -> tuple[OrchestrationRun, FakeActivities]:
    given = (
        {"topic": "launch post"} if timeout_s is None else {"topic": "launch post", "timeout_s": timeout_s}
    )
    run, fake = OrchestrationRun(approval, given, instance_id="appr-7"), FakeActivities()
    run.start()
    run.drive(fake, fire_timers=False)
    return run, fake


def test_waits_for_approval_with_a_timer_at_the_timeout() -> None:
    run, _ = wait_for_approval(timeout_s=3600)

    assert run.last.custom_status["step"] == "awaiting_approval"
    assert run.last.custom_status["last"] == "writer on Topic: launch post"
    [when_any] = run.last.new_actions
    assert when_any["actionType"] == ActionType.WHEN_ANY  # the event or the timer
    [timer] = run.waiting("timer")
    assert timer.fire_at == run.last.started_at + timedelta(seconds=3600)
    assert not run.done


def test_default_timeout_is_one_day() -> None:
    run, _ = wait_for_approval()

    [timer] = run.waiting("timer")
    assert timer.fire_at - run.last.started_at == timedelta(days=1)


def test_approved_cancels_the_timer_and_publishes_once_with_the_key() -> None:
    run, fake = wait_for_approval()

    decided = run.raise_event("approval", {"approved": True, "comment": "ship it", "approver": "ana@contoso"})

    timers = [a for a in decided.actions if a["actionType"] == ActionType.CREATE_TIMER]
    assert [t["isCanceled"] for t in timers] == [True]
    assert run.waiting("timer") == []
    assert decided.custom_status["step"] == "publishing"
    last = run.drive(fake)
    assert fake.inputs("publish_draft") == [
        {
            "title": "launch post",
            "text": "writer on Topic: launch post",
            "approver": "ana@contoso",
            "idempotency_key": "appr-7:publish",
        }
    ]
    assert last.output == {
        "decision": "approved",
        "draft": "writer on Topic: launch post",
        "approver": "ana@contoso",
        "comment": "ship it",
        "published": True,
    }
    assert run.steps == ["drafting", "awaiting_approval", "publishing", "done"]


def test_a_decision_sent_by_the_sdks_client_arrives_as_json_text_and_is_read_the_same() -> None:
    """In Azure the SDK's raise_event delivers the API's object as a string holding its JSON."""
    run, fake = wait_for_approval()
    sent = {"approved": True, "comment": "ok", "approver": "al", "decisionId": "d1"}

    run.raise_event("approval", json.dumps(sent))
    last = run.drive(fake)

    assert (last.output["decision"], last.output["approver"], last.output["published"]) == (
        "approved",
        "al",
        True,
    )
    assert last.custom_status["decided"] == {"approval": "d1"}


def test_rejected_does_not_publish() -> None:
    run, fake = wait_for_approval()

    run.raise_event("approval", {"approved": False, "comment": "too long", "approver": "bo"})
    last = run.drive(fake)

    assert fake.inputs("publish_draft") == []
    assert last.output["decision"] == "rejected"
    assert (last.output["comment"], last.output["approver"], last.output["published"]) == (
        "too long",
        "bo",
        False,
    )


def test_the_decision_taken_and_only_that_one_is_listed_in_the_progress_by_its_id() -> None:
    """The API tells the sender of the taken decision from one sent at the same moment by this id."""
    run, fake = wait_for_approval()

    both = [
        {"approved": ok, "approver": who, "decisionId": who * 4} for ok, who in ((False, "bo"), (True, "al"))
    ]
    run.raise_events([("approval", both[0]), ("approval", both[1])])
    last = run.drive(fake)

    assert last.custom_status["decided"] == {"approval": "bobobobo"}
    assert last.output["decision"] == "rejected" and "decisionId" not in last.output


def test_timer_firing_first_times_out_without_publishing() -> None:
    run, fake = wait_for_approval(timeout_s=60)

    last = run.drive(fake)  # nobody answers; the durable timer fires

    assert fake.inputs("publish_draft") == []
    assert last.output == {
        "decision": "timed_out",
        "draft": "writer on Topic: launch post",
        "approver": None,
        "comment": None,
        "published": False,
    }
    assert run.steps == ["drafting", "awaiting_approval", "done"]
    assert "decided" not in last.custom_status


def test_a_malformed_approval_event_fails_the_run_with_its_payload() -> None:
    run, _ = wait_for_approval()

    last = run.raise_event("approval", "yes please")

    assert "event 'approval' needs" in last.error and "yes please" in last.error
