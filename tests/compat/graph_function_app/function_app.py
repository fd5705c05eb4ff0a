"""An AgentFunctionApp hosting one multi-executor graph, as agent-framework-azurefunctions' samples do.

The compatibility check's second app: `panel` fans a question out to two agents, fans their replies in
to a plain executor that keeps a tally in shared state, and a switch-case edge sends the tally to one
of two plain executors that yield the output. The package runs the agents as entities and each plain
executor as its own activity (`dafx-panel-<executor>`); devhost must run all of it unchanged.
`transcript_client.py` is copied next to this file by the test (the same offline model as the first app).
"""

from agent_framework.azure import AgentFunctionApp
from panel_workflow import build_panel_workflow
from transcript_client import TranscriptChatClient

app = AgentFunctionApp(
    workflow=build_panel_workflow(
        TranscriptChatClient().as_agent(name="Optimist", instructions="You see the bright side."),
        TranscriptChatClient().as_agent(name="Skeptic", instructions="You see the risks."),
    ),
    enable_health_check=True,
)
