// One run: status, progress, the live timeline, every step, output and error, and what a person
// can do now (approve or reject while it waits; terminate while it runs; delete once it has ended).

import { AWAITING_APPROVAL, DECISION_EVENTS, approvalPanel, decisionText, pendingInputPanel } from "./approval.js";
import { api } from "./api.js";
import { deleteControl } from "./delete.js";
import { el, notify, pretty, replace, time } from "./dom.js";
import { followEvents } from "./events.js";
import { ENDED, progressBar, statusBadge } from "./status.js";
import { stepsPanel } from "./step_pages.js";
import { throttle } from "./throttle.js";
import { timelineList } from "./timeline.js";

const STEP_EVENTS = new Set(["step_scheduled", "step_completed", "step_failed"]);

export function runView(main, runId) {
  const path = `runs/${encodeURIComponent(runId)}`;
  const summary = el("section", { class: "panel summary", "aria-label": "Run" });
  const action = el("div", { class: "actions" });
  const decision = el("p", { class: "decision-made", role: "status" });
  const steps = stepsPanel(path);
  const outcome = el("div");
  const timeline = timelineList();
  let run = null;
  let stopped = false;

  const refresh = async () => {
    try {
      const [doc] = await Promise.all([api("GET", path), steps.refresh()]);
      if (stopped) return;
      run = doc;
      renderRun(summary, doc);
      renderActions(action, doc, refresh, path);
      renderOutcome(outcome, doc);
    } catch (error) {
      if (!stopped) notify(error.status === 404 ? `Run ${runId} was not found (it may have been deleted).` : error.message);
    }
  };
  // At most one refresh a second while steps keep finishing (a debounce would wait out the burst).
  const refreshSoon = throttle(refresh, { delayMs: 150, gapMs: 1000 });
  const stopEvents = followEvents(runId, {
    onEvent(type, data) {
      timeline.add(type, data);
      if (type === "event_received" && data && DECISION_EVENTS.has(data.name)) decision.textContent = decisionText(data);
      if (STEP_EVENTS.has(type) || type.startsWith("run_") || type === "event_received") refreshSoon();
    },
    onEnd: refresh,
    onError: () => {},
  });

  main.append(
    el("p", {}, el("a", { href: "#/runs" }, "← All runs")),
    el("h1", { class: "run-title" }, "Run ", el("code", {}, runId)),
    summary,
    action,
    decision,
    outcome,
    el("section", { "aria-labelledby": "steps-h" }, el("h2", { id: "steps-h" }, "Steps"), el("div", { class: "steps-box" }, steps.node)),
    el("section", { "aria-labelledby": "timeline-h" }, el("h2", { id: "timeline-h" }, "Timeline"), timeline.node),
  );
  refresh();
  return () => {
    stopped = true;
    refreshSoon.cancel();
    stopEvents();
  };
}

function renderRun(node, run) {
  const usage = run.usage ? `${run.usage.input_tokens} in / ${run.usage.output_tokens} out` : "—";
  replace(node, el("dl", { class: "facts" },
    el("dt", {}, "Status"), el("dd", { class: "run-status" }, statusBadge(run.status)),
    el("dt", {}, "Workflow"), el("dd", {}, run.workflow),
    el("dt", {}, "Progress"), el("dd", {}, progressBar(run.progress, run.status),
      run.progress && run.progress.last ? el("div", { class: "hint" }, String(run.progress.last)) : null),
    el("dt", {}, "Created"), el("dd", {}, time(run.createdAt)),
    el("dt", {}, "Updated"), el("dd", {}, time(run.updatedAt)),
    el("dt", {}, "Tokens"), el("dd", {}, usage),
  ));
}

function renderActions(node, run, refresh, path) {
  const ended = ENDED.has(run.status);
  const waiting = !ended && run.progress && run.progress.step === AWAITING_APPROVAL;
  // Redraw only when what a person can do changes, so a half-written comment survives refreshes.
  const requests = ended ? [] : run.pendingInput || [];
  const mode = `${ended}:${waiting}:${requests.map((r) => r.requestId).join(",")}`;
  if (node.dataset.mode === mode) return;
  node.dataset.mode = mode;
  replace(node,
    waiting ? approvalPanel(run, refresh) : null,
    requests.map((request) => pendingInputPanel(run, request, refresh)),
    el("div", { class: "row" }, ended ? deleteControl(`Delete run ${run.id} and its history?`, path, "#/runs") : terminateButton(path, refresh)),
  );
}

function terminateButton(path, refresh) {
  return el("button", { type: "button", class: "danger", onclick: async (event) => {
    event.currentTarget.disabled = true;
    try {
      await api("POST", `${path}/terminate`, { body: { reason: "terminated from the run viewer" } });
    } catch (error) {
      notify(error.message);
    }
    refresh();
  } }, "Terminate");
}

function renderOutcome(node, run) {
  replace(node,
    run.error ? el("section", { class: "panel error-box" }, el("h2", {}, "Error"), el("pre", {}, run.error)) : null,
    run.output !== null && run.output !== undefined
      ? el("section", { class: "panel" }, el("h2", {}, "Output"), el("pre", { class: "output" }, pretty(run.output)))
      : null,
  );
}
