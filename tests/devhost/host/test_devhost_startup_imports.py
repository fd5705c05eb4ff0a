"""Starting the host does not import the MCP SDK: its pydantic models take over a second to build,
paid on every start and every `make run` reload, while the MCP endpoint needs only JSON-RPC codes."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_host_and_the_template_app_load_without_the_mcp_sdk() -> None:
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import devhost.cli\n"
        "from devhost.discovery import load_app\n"
        "app = load_app(Path('.'))\n"
        "assert any(f.get_trigger().type == 'mcpToolTrigger' for f in app.functions), 'no MCP tools'\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
