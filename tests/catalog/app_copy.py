"""A copy of the template with a workflow, an agent with a tool and a graph added as README's
"Add your own" says.

README's workflow recipe is four edits: `orchestrators/<name>.py`, its registration (an import and
one line) in `function_app.py`, its input model and catalog entry in `api/catalog.py`, and a
step-by-step test under `tests/orchestrators/`. Its agent and tool recipe: the tool's module under
`agents/tools/`, its entry in the tool table, a declaration in `agents/catalog.py` naming it. Its
graph recipe: README's `graphs/summarise.py`, as README prints it, dropped into `graphs/`. The
functions below make those edits, as text, on a copy of the project.
"""

import re
import shutil
from pathlib import Path

from devhost.testing import copy_app

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NEW_WORKFLOW = Path(__file__).resolve().parent / "new_workflow"
# Named apart from anything a user adds by README (README's `summarise` graph too), so both can exist.
NAME = "readme_digest"
TOOL = "readme_word_count"
AGENT = "readme_counter"
GRAPH = "readme_summarise"
README = PROJECT_ROOT / "README.md"
AGENT_SPEC = f"""        AgentSpec(
            "{AGENT}",
            "You count the words of a text with {TOOL}, then say how long it is.",
            tools=("{TOOL}",),
        ),"""
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


def add_agent_with_tool(app: Path) -> None:
    """README's agent and tool recipe: `readme_word_count` given to a new `readme_counter` agent."""
    shutil.copy(NEW_WORKFLOW / f"{TOOL}.py", app / "agents" / "tools" / f"{TOOL}.py")
    shutil.copy(NEW_WORKFLOW / f"{TOOL}_steps.py", app / "tests" / "agents" / f"test_{TOOL}.py")

    table = app / "agents" / "tools" / "__init__.py"
    text = insert_after_last(
        table.read_text(), r"from agents\.tools import", f"from agents.tools import {TOOL}", table.name
    )
    text = insert_after_last(text, r"TOOLS: dict\[", f"TOOLS[{TOOL}.SPEC.name] = {TOOL}.SPEC", table.name)
    table.write_text(text)

    catalog = app / "agents" / "catalog.py"
    text = catalog.read_text()
    end = re.search(r"^    \)\n\}", text, flags=re.MULTILINE)  # the end of the AGENTS declarations
    assert end, f"{catalog.name}: no end of the AGENTS table; README's recipe no longer fits it"
    catalog.write_text(text[: end.start()] + AGENT_SPEC + "\n" + text[end.start() :])


def readme_graph() -> str:
    """README's `graphs/summarise.py`, exactly as README prints it."""
    found = re.search(r"```python\n(# graphs/summarise\.py\n.*?)```", README.read_text(), flags=re.DOTALL)
    assert found, "README.md no longer shows graphs/summarise.py"
    return found.group(1)


def add_graph(app: Path) -> None:
    """README's graph recipe: its module dropped into `graphs/`, renamed `readme_summarise`."""
    source = readme_graph().replace('"summarise"', f'"{GRAPH}"')
    assert f'name="{GRAPH}"' in source, "README's graph is no longer named by GraphSpec(name=...)"
    (app / "graphs" / f"{GRAPH}.py").write_text(source)
