"""Names and defaults shared with the rest of the app (see docs/contracts.md).

Orchestrators refer to activities, entities and events only through these constants, never by
importing `activities/` or `agents/`, so a replay depends on nothing but the recorded history.
"""

# Activities registered in function_app.py.
RUN_AGENT = "run_agent"
RUN_TOOL = "run_tool"
PUBLISH_DRAFT = "publish_draft"
RUN_GRAPH_STEP = "run_graph_step"

# The per-session conversation entity and its operations.
CONVERSATION_ENTITY = "conversation"
ENTITY_GET = "get"
ENTITY_APPEND = "append"
ENTITY_COMPACT = "compact"
ENTITY_DELETE = "delete"

# The external event the approval workflow waits for, and the progress step the API checks.
APPROVAL_EVENT = "approval"
AWAITING_APPROVAL = "awaiting_approval"

# The event that carries a person's answer to a graph's `request_info`, and the step while it waits.
GRAPH_INPUT_EVENT = "graph_input"
AWAITING_INPUT = "awaiting_input"

# A person's decision (an approval, a graph's answer) carries the API's `decisionId`; the run lists the
# ones it took in its progress under `decided`, `{<wait>: <decision id>}` (the wait: APPROVAL_EVENT, or
# the graph's request id), so the API can tell which of two decisions sent together was taken.
DECISION_ID = "decisionId"
DECIDED = "decided"

# The progress step every workflow reports when it has its result, and the one a run shows when its
# first agent steps finish before its first report (a graph's first superstep), so their usage shows.
DONE = "done"
STARTING = "starting"

# The words of a session turn that gave up because other messages kept being saved first; the API
# answers that turn 429 (send it again) instead of 502.
SESSION_BUSY = "other messages were saved first"

# The class name of the run_agent activity's retryable failure; it appears in the failure text.
TRANSIENT_MODEL_ERROR = "TransientModelError"

# Workflow input defaults (the API validates and fills them; orchestrators fall back to the same).
DEFAULT_SPECIALISTS = ("market_analyst", "tech_analyst", "risk_analyst")
DEFAULT_MAX_ROUNDS = 3
DEFAULT_APPROVAL_TIMEOUT_S = 86400
DEFAULT_MAX_ITERATIONS = 5
DEFAULT_SESSION_MAX_MESSAGES = 40

# Routes the triage agent may choose; each has a `<route>_specialist` agent.
ROUTES = ("billing", "technical", "general")
