"""A copy of the template with a ninth workflow added exactly as README's "Add your own" says.

README's recipe is four edits: `orchestrators/<name>.py`, its registration (an import and one line)
in `function_app.py`, its input model and catalog entry in `api/catalog.py`, and a step-by-step test
under `tests/orchestrators/`. `add_workflow` makes those edits, as text, on a copy of the project.
"""

import re
import shutil
from pathlib import Path

from devhost.testing import copy_app

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NEW_WORKFLOW = Path(__file__).resolve().parent / "new_workflow"
# README's `digest`, named apart: a user who adds `digest` by README must not collide with it.
NAME = "readme_digest"
INPUT_MODEL = """

class ReadmeDigestInput(WorkflowInput):
    text: Text = Field(description="Text the assistant condenses.")
    sentences: int = Field(3, ge=1, le=10, description="Length of the digest in sentences.")"""


def copy_project(target: Path) -> Path:
    """The project's sources (no venvs, state or caches) copied to `target`."""
    return copy_app(PROJECT_ROOT, target)


def insert_after_last(text: str, pattern: str, addition: str, where: str) -> str:
    """`addition` on the line after the last line matching `pattern`; fails naming the file."""
    lines = [m for m in re.finditer(rf"^{pattern}.*$", text, flags=re.MULTILINE)]
    assert lines, f"{where}: no line matches {pattern!r}; README's recipe no longer fits it"
    end = lines[-1].end()
    return text[:end] + "\n" + addition + text[end:]


def add_workflow(app: Path) -> None:
    """README's four edits for the `digest` workflow (as `readme_digest`), on the copy at `app`."""
    shutil.copy(NEW_WORKFLOW / f"{NAME}.py", app / "orchestrators" / f"{NAME}.py")
    shutil.copy(NEW_WORKFLOW / f"{NAME}_steps.py", app / "tests" / "orchestrators" / f"test_orch_{NAME}.py")

    wiring = app / "function_app.py"
    text = insert_after_last(
        wiring.read_text(), r"from orchestrators\.", f"from orchestrators.{NAME} import {NAME}", wiring.name
    )
    text = insert_after_last(
        text,
        r"app\.orchestration_trigger\(",
        f'app.orchestration_trigger(context_name="context")({NAME})',
        wiring.name,
    )
    wiring.write_text(text)

    catalog = app / "api" / "catalog.py"
    text = insert_after_last(catalog.read_text(), r"    \w+: .*Field\(", INPUT_MODEL, catalog.name)
    entry = (
        f'        Workflow("{NAME}", "The assistant condenses a text into sentences.", ReadmeDigestInput),'
    )
    text = insert_after_last(text, r'        Workflow\("tools"', entry, catalog.name)
    catalog.write_text(text)
