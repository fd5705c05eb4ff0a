// Each agent or tool step from GET /runs/{id}/steps: who ran, what it was asked (collapsible), what
// it answered (collapsible), tool calls with arguments and results, tokens, time, status and error.

import { el, details, pretty } from "./dom.js";

export function stepItem(step) {
  const heading = el(
    "h3",
    {},
    `${step.seq}. `,
    el("span", { class: "kind" }, step.kind),
    " ",
    step.name,
    " ",
    el("span", { class: `badge step-${step.status}` }, step.status),
  );
  return el(
    "li",
    { class: "step", "data-seq": step.seq },
    heading,
    el("p", { class: "meta" }, meta(step)),
    step.error ? el("p", { class: "error" }, `Error: ${step.error}`) : null,
    asked(step),
    step.reply
      ? details("Reply", el("pre", { class: "text" }, step.reply), true)
      : null,
    step.value !== null && step.value !== undefined ? details("Structured value", el("pre", {}, pretty(step.value))) : null,
    step.tool_calls.length ? details(`Tool calls (${step.tool_calls.length})`, toolCalls(step.tool_calls), true) : null,
    step.kind === "tool" ? toolStep(step) : null,
    step.kind !== "agent" && step.kind !== "tool" && step.result !== null ? details("Result", el("pre", {}, pretty(step.result))) : null,
    step.truncated.length ? el("p", { class: "note" }, `Cut to 16 KB: ${step.truncated.join(", ")}`) : null,
  );
}

function meta(step) {
  const parts = [];
  if (step.elapsed_ms !== null && step.elapsed_ms !== undefined) parts.push(`${formatMs(step.elapsed_ms)}`);
  if (step.usage) parts.push(`${step.usage.input_tokens} in / ${step.usage.output_tokens} out tokens`);
  if (step.model) parts.push(step.model);
  return parts.join(" · ") || (step.status === "running" ? "running…" : "");
}

function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function asked(step) {
  if (step.prompt !== null && step.prompt !== undefined) {
    return details("Prompt", el("pre", { class: "text" }, step.prompt));
  }
  if (!step.messages) return null;
  const items = step.messages.map((message) =>
    el("li", { class: `message role-${message.role}` },
      el("strong", {}, message.name ? `${message.role} (${message.name})` : message.role),
      message.tool_calls.length ? ` → asks for ${message.tool_calls.join(", ")}` : "",
      message.text ? el("pre", { class: "text" }, message.text) : null),
  );
  const omitted = step.omitted_messages ? el("p", { class: "note" }, `${step.omitted_messages} earlier messages not shown`) : null;
  return details(`Messages (${step.messages.length})`, el("div", {}, omitted, el("ol", { class: "messages" }, items)));
}

function toolCalls(calls) {
  return el("ul", { class: "tool-calls" }, calls.map((call) =>
    el("li", {}, el("strong", {}, call.name), ` (${call.call_id})`,
      el("pre", {}, `arguments: ${pretty(call.arguments)}`),
      call.result !== null && call.result !== undefined ? el("pre", {}, `result: ${pretty(call.result)}`) : null),
  ));
}

function toolStep(step) {
  return el("div", {},
    step.arguments !== null && step.arguments !== undefined ? details("Arguments", el("pre", {}, pretty(step.arguments)), true) : null,
    step.result !== null && step.result !== undefined ? details("Result", el("pre", {}, pretty(step.result)), true) : null,
  );
}
