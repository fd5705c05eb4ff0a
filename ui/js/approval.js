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
  const decide = (approved) => sendOnce(box, onDone, () =>
    api("POST", `runs/${encodeURIComponent(run.id)}/approval`, {
      body: { approved, comment: comment.value.trim() || null },
    }));
  const box = el("fieldset", { class: "plain stack" },
    el("label", { for: id }, "Comment"),
    comment,
    el("div", { class: "row" },
      el("button", { type: "button", onclick: () => decide(true) }, "Approve"),
      el("button", { type: "button", class: "danger", onclick: () => decide(false) }, "Reject")),
  );
  return el("section", { class: "panel decision", "aria-labelledby": `${id}-h` },
    el("h2", { id: `${id}-h` }, "Waiting for your decision"),
    box,
  );
}

/**
 * One decision at a time: `box` (a fieldset holding the whole form) is disabled while `send` is in
 * flight, so a fast Approve-then-Reject sends only the first. A refusal is shown as the API words it;
 * a 409 (someone else's decision was taken first, or the run no longer waits) also re-reads the run,
 * so the page shows what the run did.
 */
async function sendOnce(box, onDone, send) {
  if (box.disabled) return;
  const focused = document.activeElement;
  notify("");
  box.disabled = true;
  try {
    await send();
    onDone();
  } catch (error) {
    notify(error.message);
    box.disabled = false;
    if (box.contains(focused)) focused.focus(); // keyboard users keep their place
    if (error.status === 409) onDone();
  }
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
  const form = schemaForm(whole ? schema : { properties: { response: schema }, required: ["response"], $defs: schema.$defs });
  const box = el("fieldset", { class: "plain stack" },
    form.node, el("div", { class: "row" }, el("button", { type: "submit" }, "Send answer")));
  const submit = (event) => {
    event.preventDefault();
    let values;
    try {
      values = readForm(form);
    } catch (error) {
      notify(error.message); // JSON that does not parse: nothing was sent
      return;
    }
    sendOnce(box, onDone, () => api("POST", `runs/${encodeURIComponent(run.id)}/input`, {
      body: { requestId: request.requestId, response: whole ? values : values.response },
    }));
  };
  return el("section", { class: "panel decision" },
    el("h2", {}, `Waiting for your input: ${request.executor} asks for ${request.responseType || "an answer"}`),
    request.data !== undefined && request.data !== null ? el("pre", { class: "text" }, pretty(request.data)) : null,
    el("form", { class: "stack", onsubmit: submit }, box),
  );
}
