// The run's timeline, one row per event as it arrives. Known events read as sentences; any other
// type (e.g. `token` events of a streaming model) is still shown: type, name and its detail as text.

import { el, pretty, time } from "./dom.js";

const LABELS = {
  run_started: "Run started",
  step_scheduled: "Step scheduled",
  step_completed: "Step completed",
  step_failed: "Step failed",
  timer_started: "Timer started",
  timer_fired: "Timer fired",
  event_received: "Event received",
  run_completed: "Run completed",
  run_failed: "Run failed",
  run_terminated: "Run terminated",
};

export function timelineList() {
  const list = el("ol", { class: "timeline", "aria-live": "polite", "aria-label": "Timeline" });
  const streams = new Map();
  return {
    node: list,
    add(type, data) {
      const event = data && typeof data === "object" ? data : { detail: data };
      if (type === "token") return appendToken(list, streams, event);
      list.append(row(type, event));
    },
  };
}

function row(type, event) {
  const detail = event.detail && typeof event.detail === "object" ? event.detail : {};
  const subject = detail.agent || detail.tool || "";
  const rest = Object.fromEntries(Object.entries(detail).filter(([key]) => key !== "agent" && key !== "tool"));
  return el(
    "li",
    { class: `event event-${type}`, "data-seq": event.seq },
    el("span", { class: "when" }, event.at ? time(event.at) : ""),
    el("strong", {}, LABELS[type] || type),
    " ",
    el("span", { class: "name" }, [event.name, subject].filter(Boolean).join(" · ")),
    Object.keys(rest).length ? el("pre", { class: "detail" }, pretty(rest)) : null,
  );
}

/** Streamed tokens of one step grow one block of text instead of one row per token. */
function appendToken(list, streams, event) {
  const detail = event.detail && typeof event.detail === "object" ? event.detail : event;
  const key = detail.step ?? detail.agent ?? event.name ?? "stream";
  let block = streams.get(key);
  if (!block) {
    block = el("pre", { class: "tokens" });
    list.append(el("li", { class: "event event-token" }, el("strong", {}, "Streaming"), " ",
      el("span", { class: "name" }, String(detail.agent || event.name || "")), block));
    streams.set(key, block);
  }
  if (detail.restarted) block.textContent = ""; // a retried step: its earlier words are void
  const text = detail.text ?? detail.delta ?? detail.token ?? "";
  block.append(document.createTextNode(typeof text === "string" ? text : pretty(text)));
}
