// Run statuses and progress as the page shows them.

import { el } from "./dom.js";

export const ENDED = new Set(["Completed", "Failed", "Terminated"]);
export const STATUSES = ["Pending", "Running", "Completed", "Failed", "Terminated", "Suspended"];

export function statusBadge(status) {
  return el("span", { class: `badge status-${String(status).toLowerCase()}` }, status);
}

/**
 * `{step, index, of, last}` as a labelled progress bar plus the step's name. A graph's progress also
 * carries `superstep`, and its `of` is max_iterations, a limit rather than a total: it is shown as
 * "superstep N (limit M)" while running and "N supersteps" once done, never as a share of the limit.
 */
export function progressBar(progress, status) {
  const info = progress && typeof progress === "object" ? progress : {};
  const done = status === "Completed";
  if (Number.isFinite(info.superstep)) return progressText(info.step, supersteps(info, done));
  const of = Number.isFinite(info.of) && info.of > 0 ? info.of : null;
  const index = Number.isFinite(info.index) ? info.index : 0;
  const label = of ? `${done ? of : index} of ${of}` : done ? "done" : "—";
  const bar = of
    ? el("progress", { max: of, value: done ? of : Math.min(index, of), "aria-label": `Progress ${label}` })
    : null;
  return progressText(info.step, label, bar);
}

function supersteps(info, done) {
  const n = info.superstep;
  if (done) return `${n} ${n === 1 ? "superstep" : "supersteps"}`;
  const limit = Number.isFinite(info.of) && info.of > 0 ? ` (limit ${info.of})` : "";
  return `superstep ${n}${limit}`;
}

function progressText(step, label, bar = null) {
  return el("span", { class: "progress" }, bar, el("span", {}, step ? `${step} · ${label}` : label));
}
