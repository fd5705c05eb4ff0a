"""A queue- and blob-driven app for the embedded host's storage trigger tests (tests/devhost/storage).

HTTP puts messages on any queue; triggers on `work`, `audit`, `orders`, `flaky` and `flaky-poison`
record what they received as blobs, so a test can read what ran; `start-greeting` starts an
orchestration whose activity has queue and blob outputs of its own; `summarise` runs for each version
of each `inbox/*.txt` blob (`PUT /api/inbox/{name}` writes one). Every binding uses the `QUEUES`
connection: empty for the host's local stores, an Azurite connection string for the real service.
"""

import asyncio
import json

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="enqueue/{queue}", methods=["POST"])
@app.queue_output(arg_name="msg", queue_name="{queue}", connection="QUEUES")
def enqueue(req: func.HttpRequest, msg: func.Out[str]) -> func.HttpResponse:
    """A JSON array body becomes one message per item; any other body one message."""
    body = req.get_body().decode("utf-8")
    msg.set(json.loads(body) if body.startswith("[") else body)
    return func.HttpResponse("queued", status_code=202)


@app.queue_trigger(arg_name="message", queue_name="work", connection="QUEUES")
@app.blob_output(arg_name="seen", path="seen/{queueTrigger}.json", connection="QUEUES")
@app.queue_output(arg_name="$return", queue_name="audit", connection="QUEUES")
def work(message: func.QueueMessage, seen: func.Out[str]) -> str:
    seen.set(
        json.dumps(
            {
                "id": message.id,
                "body": message.get_body().decode("utf-8"),
                "dequeue_count": message.dequeue_count,
                "inserted": message.insertion_time.isoformat() if message.insertion_time else None,
                "expires": message.expiration_time.isoformat() if message.expiration_time else None,
                "has_pop_receipt": bool(message.pop_receipt),
            }
        )
    )
    return f"audited {message.get_body().decode('utf-8')}"


@app.queue_trigger(arg_name="message", queue_name="audit", connection="QUEUES")
@app.blob_output(arg_name="entry", path="audit/{queueTrigger}.txt", connection="QUEUES")
def audit(message: func.QueueMessage, entry: func.Out[str]) -> None:
    entry.set(message.id)


@app.queue_trigger(arg_name="message", queue_name="orders", connection="QUEUES")
@app.blob_output(arg_name="order", path="orders/{orderId}.json", connection="QUEUES")
def orders(message: func.QueueMessage, order: func.Out[str]) -> None:
    """`{orderId}` comes from the JSON message's own property."""
    order.set(message.get_body().decode("utf-8"))


@app.queue_trigger(arg_name="message", queue_name="flaky", connection="QUEUES")
@app.blob_output(arg_name="recovered", path="recovered/{queueTrigger}.txt", connection="QUEUES")
def flaky(message: func.QueueMessage, recovered: func.Out[str]) -> None:
    """`always-...` always fails; `once-...` fails on its first delivery only."""
    body = message.get_body().decode("utf-8")
    if body.startswith("always") or (body.startswith("once") and message.dequeue_count == 1):
        raise RuntimeError(f"{body} failed on delivery {message.dequeue_count}")
    recovered.set(str(message.dequeue_count))


@app.queue_trigger(arg_name="message", queue_name="flaky-poison", connection="QUEUES")
@app.blob_output(arg_name="dead", path="poison/{queueTrigger}.txt", connection="QUEUES")
def dead_letters(message: func.QueueMessage, dead: func.Out[str]) -> None:
    dead.set(message.get_body().decode("utf-8"))


@app.generic_trigger(arg_name="message", type="queueTrigger", queueName="generic", connection="QUEUES")
@app.generic_output_binding(arg_name="copy", type="queue", queueName="work", connection="QUEUES")
def generic_forms(message: func.QueueMessage, copy: func.Out[str]) -> None:
    """The generic registration forms of a queue trigger and a queue output."""
    copy.set(f"via-generic-{message.get_body().decode('utf-8')}")


@app.queue_trigger(arg_name="message", queue_name="slow", connection="QUEUES")
@app.blob_output(arg_name="finished", path="finished/{queueTrigger}.txt", connection="QUEUES")
async def slow(message: func.QueueMessage, finished: func.Out[str]) -> None:
    """Takes a minute on its first delivery (long enough to stop the host under it), none after."""
    if message.dequeue_count == 1:
        await asyncio.sleep(60)
    finished.set(str(message.dequeue_count))


@app.queue_trigger(arg_name="message", queue_name="start-greeting", connection="QUEUES")
@app.durable_client_input(client_name="client")
async def start_greeting(message: func.QueueMessage, client: df.DurableOrchestrationClient) -> None:
    await client.start_new("greeting", None, message.get_body().decode("utf-8"))


@app.orchestration_trigger(context_name="context")
def greeting(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    return (yield context.call_activity("greet", context.get_input()))


@app.activity_trigger(input_name="name")
@app.blob_output(arg_name="card", path="greetings/{name}.txt", connection="QUEUES")
@app.queue_output(arg_name="sent", queue_name="work", connection="QUEUES")
def greet(name: str, card: func.Out[str], sent: func.Out[str]) -> str:
    """An activity with bindings of its own: `{name}` is its input, as the extension binds it."""
    card.set(f"Hello {name}")
    sent.set(f"greeted-{name}")
    return f"Hello {name}"


@app.blob_trigger(arg_name="document", path="inbox/{name}.txt", connection="QUEUES")
@app.blob_output(arg_name="summary", path="summaries/{name}.json", connection="QUEUES")
def summarise(document: func.InputStream, summary: func.Out[str]) -> None:
    """Runs once per version of each `inbox/*.txt` blob; `{name}` comes from the trigger's path."""
    text = document.read().decode("utf-8")
    if text.startswith("fail"):
        raise RuntimeError(f"cannot summarise {document.name}")
    properties = document.blob_properties or {}
    summary.set(
        json.dumps(
            {
                "blob": document.name,
                "length": document.length,
                "words": len(text.split()),
                "content_type": properties.get("ContentType"),
                "metadata": document.metadata,
            }
        )
    )


@app.route(route="inbox/{name}", methods=["PUT"])
@app.blob_output(arg_name="upload", path="inbox/{name}.txt", connection="QUEUES")
def upload(req: func.HttpRequest, upload: func.Out[str]) -> func.HttpResponse:
    upload.set(req.get_body().decode("utf-8"))
    return func.HttpResponse("stored", status_code=201)
