// The run's steps, read a page at a time from GET /runs/{id}/steps?after=&limit=. Opening a run shows
// its newest SHOWN steps (a loop that ran for hours has thousands), with a button for earlier ones;
// each refresh asks only for what can have changed: the steps after the newest one shown, and from
// the oldest one still running on. New steps are appended and a changed step redrawn alone, so
// watching a long run costs each refresh a page, not the whole run.

import { api } from "./api.js";
import { el, notify } from "./dom.js";
import { stepItem } from "./steps.js";

export const SHOWN = 20; // steps shown on opening, and added by each "Show earlier steps"
const PAGE = 100; // steps a request while catching up (the API's default page)

export function stepsPanel(path) {
  const list = el("ol", { class: "steps" });
  const empty = el("p", { class: "empty" }, "No steps yet.");
  const earlier = el("button", {
    type: "button",
    class: "secondary earlier-steps",
    hidden: true,
    onclick: () => queued(showEarlier).catch((error) => notify(error.message)),
  });
  const node = el("div", {}, empty, earlier, list);
  const shown = new Map(); // seq → { step, item, text }: always the steps first..last, none missing
  const running = new Set(); // seqs of shown steps still running
  const askers = new Map(); // tool call id → seq of the shown agent step that asked for it
  let first = 0;
  let last = 0;
  let queue = Promise.resolve();

  const get = (after, limit) => api("GET", `${path}/steps`, { params: { after, limit } });

  /** Add or redraw one step; `atTop` puts a step older than every shown one first. */
  function show(step, atTop = false) {
    const text = JSON.stringify(step);
    const known = shown.get(step.seq);
    if (known && known.text === text) return;
    const item = stepItem(step);
    if (known) known.item.replaceWith(item);
    else if (atTop) list.prepend(item);
    else list.append(item);
    shown.set(step.seq, { step, item, text });
    if (step.status === "running") running.add(step.seq);
    else running.delete(step.seq);
    for (const call of step.tool_calls) askers.set(call.call_id, step.seq);
    if (step.kind === "tool" && step.call_id) showResult(step);
    first = first ? Math.min(first, step.seq) : step.seq;
    last = Math.max(last, step.seq);
  }

  /** An agent step shown earlier gets its tool call's result once the tool step has one (the API
   * links them within a reply; a refresh that starts after the agent step does not resend it). */
  function showResult(tool) {
    const agent = shown.get(askers.get(tool.call_id));
    const call = agent && agent.step.tool_calls.find((c) => c.call_id === tool.call_id);
    if (call && tool.result !== null && JSON.stringify(call.result) !== JSON.stringify(tool.result)) {
      show({ ...agent.step, tool_calls: agent.step.tool_calls.map((c) => (c === call ? { ...c, result: tool.result } : c)) });
    }
  }

  /** Every step after `after`, following `next`. */
  async function readFrom(after) {
    let page;
    do {
      page = await get(after, PAGE);
      page.steps.forEach((step) => show(step));
      after = page.next;
    } while (after !== null && after !== undefined);
  }

  async function readNew() {
    if (!last) {
      const head = await get(0, SHOWN);
      if (head.next === null) head.steps.forEach((step) => show(step));
      else await readFrom(Math.max(0, head.total - SHOWN));
    } else {
      await readFrom(Math.min(last, ...[...running].map((seq) => seq - 1)));
    }
    updateControls();
  }

  async function showEarlier() {
    earlier.disabled = true;
    const after = Math.max(0, first - 1 - SHOWN);
    try {
      const page = await get(after, first - 1 - after);
      page.steps.slice().reverse().forEach((step) => show(step, true));
    } finally {
      earlier.disabled = false;
      updateControls();
    }
  }

  /** Reads never overlap: each one starts from where the one before left off. */
  function queued(task) {
    queue = queue.catch(() => {}).then(task);
    return queue;
  }

  function updateControls() {
    empty.hidden = shown.size > 0;
    earlier.hidden = first <= 1;
    earlier.textContent = `Show earlier steps (${first - 1} not shown)`;
  }

  return {
    node,
    /** Read what is new since the last refresh. */
    refresh: () => queued(readNew),
  };
}
