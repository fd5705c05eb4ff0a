// Run statuses and progress as the page shows them.

import { el } from "./dom.js";

export const ENDED = new Set(["Completed", "Failed", "Terminated"]);
export const STATUSES = ["Pending", "Running", "Completed", "Failed", "Terminated", "Suspended"];

export function statusBadge(status) {
  return el("span", { class: `badge status-${String(status).toLowerCase()}` }, status);
}

/** `{step, index, of, last}` as a labelled progress bar plus the step's name. */
export function progressBar(progress, status) {
  const info = progress && typeof progress === "object" ? progress : {};
  const of = Number.isFinite(info.of) && info.of > 0 ? info.of : null;
  const index = Number.isFinite(info.index) ? info.index : 0;
  const done = status === "Completed";
  const label = of ? `${done ? of : index} of ${of}` : done ? "done" : "—";
  const bar = of
    ? el("progress", { max: of, value: done ? of : Math.min(index, of), "aria-label": `Progress ${label}` })
    : null;
  return el("span", { class: "progress" }, bar, el("span", {}, info.step ? `${info.step} · ${label}` : label));
}
