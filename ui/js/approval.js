// Deciding for a run that waits for a person: Approve / Reject with a Comment, and answering a
// graph's pending input with a form built from its responseSchema. With Entra ID on, the API checks
// the Runs.Approver role and records who decided; a 403 is shown as it comes.

import { api } from "./api.js";
import { el, notify, pretty, uid } from "./dom.js";
import { readForm, schemaForm } from "./schema_form.js";

export const AWAITING_APPROVAL = "awaiting_approval";
export const DECISION_EVENTS = new Set(["approval", "graph_input"]);
const APPROVAL_EVENT = "approval";

export function approvalPanel(run, onDone) {
  const id = uid("comment");
  const comment = el("textarea", { id, rows: 3, maxlength: 4000 });
  const decide = async (approved, button) => {
    button.disabled = true;
    try {
      await api("POST", `runs/${encodeURIComponent(run.id)}/approval`, {
        body: { approved, comment: comment.value.trim() || null },
      });
      onDone();
    } catch (error) {
      notify(error.message);
      button.disabled = false;
    }
  };
  const approve = el("button", { type: "button", onclick: (e) => decide(true, e.currentTarget) }, "Approve");
  const reject = el("button", { type: "button", class: "danger", onclick: (e) => decide(false, e.currentTarget) }, "Reject");
  return el("section", { class: "panel decision", "aria-labelledby": `${id}-h` },
    el("h2", { id: `${id}-h` }, "Waiting for your decision"),
    el("label", { for: id }, "Comment"),
    comment,
    el("div", { class: "row" }, approve, reject),
  );
}

/** A person's decision as the timeline records it (the `approval` or `graph_input` event). */
export function decisionText(event) {
  const detail = event.detail || {};
  const who = detail.approver || detail.answeredBy;
  const by = who ? ` by ${who}` : "";
  if (event.name !== APPROVAL_EVENT) return `Answered${by}: ${pretty(detail.response)}`;
  const why = detail.comment ? `: “${detail.comment}”` : "";
  return `${detail.approved ? "Approved" : "Rejected"}${by}${why}`;
}

/** A graph's pending request: what it is about, and a form built from its responseSchema. */
export function pendingInputPanel(run, request, onDone) {
  const schema = request.responseSchema || {};
  // An object schema becomes one control per property; any other answer is one "response" control.
  const whole = schema.type === "object" && schema.properties;
  const form = schemaForm(whole ? schema : { properties: { response: schema }, required: ["response"] });
  const send = el("button", { type: "submit" }, "Send answer");
  const submit = async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      const values = readForm(form);
      await api("POST", `runs/${encodeURIComponent(run.id)}/input`, {
        body: { requestId: request.requestId, response: whole ? values : values.response },
      });
      onDone();
    } catch (error) {
      notify(error.message);
      send.disabled = false;
    }
  };
  return el("section", { class: "panel decision" },
    el("h2", {}, `Waiting for your input: ${request.executor} asks for ${request.responseType || "an answer"}`),
    request.data !== undefined && request.data !== null ? el("pre", { class: "text" }, pretty(request.data)) : null,
    el("form", { class: "stack", onsubmit: submit }, form.node, el("div", { class: "row" }, send)),
  );
}
