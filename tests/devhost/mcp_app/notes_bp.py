"""A notebook kept in blobs: tools to save and read notes, a prompt, resources and an HTTP route.

Notes live at `notes/<title>.txt` on the `NOTES_STORAGE` connection: a storage account or Azurite
when that setting is a connection string, the host's local store otherwise. Blob parameters are
annotated with plain classes even where the value may be None (a missing blob): the Python worker
refuses to load `str | None` on a binding.
"""

import json

import azure.functions as func

bp = func.Blueprint()
NOTE_PATH = "notes/{mcptoolargs.title}.txt"
ARCHIVE_PATH = "archive/{mcptoolargs.title}-{mcptoolargs.version}.bin"
CONNECTION = "NOTES_STORAGE"


@bp.mcp_tool()
@bp.mcp_tool_property(arg_name="title", description="The note's title.")
@bp.mcp_tool_property(arg_name="text", description="What the note says.")
@bp.blob_output(arg_name="note", path=NOTE_PATH, connection=CONNECTION)
def save_note(note: func.Out[str], title: str, text: str) -> str:
    """Save a note under a title."""
    note.set(text)
    return f"Saved '{title}'"


@bp.mcp_tool()
@bp.mcp_tool_property(arg_name="title", description="The note's title.")
@bp.blob_input(arg_name="note", path=NOTE_PATH, connection=CONNECTION)
def read_note(note: func.InputStream, title: str) -> str:
    """Read a note; a missing one is said so rather than failing."""
    if note is None:
        return f"No note called '{title}'"
    return note.read().decode("utf-8")


@bp.mcp_tool_trigger(
    arg_name="context",
    tool_name="note_stats",
    description="Count a note's words.",
    tool_properties=json.dumps(
        [{"propertyName": "title", "propertyType": "string", "description": "The note.", "isRequired": True}]
    ),
)
@bp.blob_input(arg_name="note", path=NOTE_PATH, connection=CONNECTION)
def note_stats(context: str, note: str) -> str:
    """A raw trigger with a blob input annotated `str`: the worker hands over the decoded text."""
    title = json.loads(context)["arguments"]["title"]
    return f"{title}: {len((note or '').split())} words"


@bp.mcp_tool()
@bp.blob_input(arg_name="note", path=NOTE_PATH, connection=CONNECTION)
@bp.blob_output(arg_name="copy", path=ARCHIVE_PATH, connection=CONNECTION)
def archive_note(note: bytes, copy: func.Out[bytes], title: str, version: int) -> str:
    """Copy a note's bytes to the archive; argument values fill the path as text."""
    if note is None:
        return f"No note called '{title}'"
    copy.set(note)
    return f"Archived {len(note)} bytes"


@bp.mcp_tool()
@bp.generic_input_binding(
    arg_name="source", type="blob", path="notes/{mcptoolargs.title}.txt", connection=CONNECTION
)
@bp.generic_output_binding(
    arg_name="target", type="blob", path="notes/{mcptoolargs.copy}.txt", connection=CONNECTION
)
def copy_note(source: str, target: func.Out[str], title: str, copy: str) -> str:
    """The generic binding forms: copy one note to another title."""
    if source is None:
        return f"No note called '{title}'"
    target.set(source)
    return f"Copied '{title}' to '{copy}'"


@bp.mcp_prompt_trigger(
    arg_name="context",
    prompt_name="summarise_note",
    description="Ask for a summary of a note.",
    prompt_arguments=[
        func.PromptArgument("title", "The note to summarise.", required=True),
        func.PromptArgument("style", "bullet or prose", required=False),
    ],
)
def summarise_note(context: func.PromptInvocationContext) -> str:
    style = context.arguments.get("style", "prose")
    return f"Summarise the note '{context.arguments['title']}' as {style}."


@bp.mcp_resource_trigger(
    arg_name="context",
    uri="notes://readme",
    resource_name="Readme",
    description="How the notebook works.",
    mime_type="text/markdown",
)
def readme(context: str) -> str:
    return "# Notebook\nSave notes with save_note, read them with read_note."


@bp.mcp_resource_trigger(
    arg_name="context",
    uri="notes://note/{title}",
    resource_name="Note",
    description="A note by title.",
    mime_type="text/plain",
)
@bp.blob_input(arg_name="note", path="notes/{title}.txt", connection=CONNECTION)
def note_resource(context: str, note: str) -> str:
    """A resource template: `{title}` from the URI fills the blob path."""
    if note is None:
        raise LookupError("no such note")
    return note


@bp.mcp_resource_trigger(arg_name="context", uri="notes://logo", resource_name="Logo", mime_type="image/png")
def logo(context: str) -> bytes:
    return b"\x89PNG fake"


@bp.route(route="notes/{title}", methods=["GET"])
@bp.blob_input(arg_name="note", path="notes/{title}.txt", connection=CONNECTION)
def get_note_http(req: func.HttpRequest, note: str) -> func.HttpResponse:
    """The same blobs over HTTP, the path filled from the route."""
    if note is None:
        return func.HttpResponse(status_code=404)
    return func.HttpResponse(note, mimetype="text/plain")
