// Deciding for a run that waits for a person: Approve / Reject with a Comment, and answering a
// graph's pending input with a form built from its responseSchema. With Entra ID on, the API checks
// the Runs.Approver role and records who decided; a 403 is shown as it comes.

import { api } from "./api.js";
import { el, notify, uid } from "./dom.js";
import { readForm, schemaForm } from "./schema_form.js";

export const AWAITING_APPROVAL = "awaiting_approval";

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

/** The decision recorded in the timeline (the `approval` event), as a sentence. */
export function decisionText(event) {
  const detail = event.detail || {};
  const verdict = detail.approved ? "Approved" : "Rejected";
  const who = detail.approver ? ` by ${detail.approver}` : "";
  const why = detail.comment ? `: “${detail.comment}”` : "";
  return `${verdict}${who}${why}`;
}

/** A graph's pending input: one labelled control per field of its responseSchema. */
export function pendingInputPanel(run, pending, onDone) {
  const form = schemaForm(pending.responseSchema || {});
  const submit = async (event) => {
    event.preventDefault();
    try {
      const answer = readForm(form);
      await api("POST", `runs/${encodeURIComponent(run.id)}/input`, {
        body: { requestId: pending.requestId ?? pending.id, response: answer },
      });
      onDone();
    } catch (error) {
      notify(error.message);
    }
  };
  return el("section", { class: "panel decision" },
    el("h2", {}, "Waiting for your input"),
    pending.prompt ? el("p", {}, String(pending.prompt)) : null,
    el("form", { class: "stack", onsubmit: submit }, form.node, el("button", { type: "submit" }, "Send")),
  );
}
