// The run list: newest first, filtered by workflow and status, paged with the API's cursor.
// While the tab is visible and a shown run has not ended, the page refreshes every 2 s.

import { api } from "./api.js";
import { el, notify, replace, time, uid } from "./dom.js";
import { ENDED, STATUSES, progressBar, statusBadge } from "./status.js";

export const REFRESH_MS = 2000;
const PAGE_SIZE = 20;

export function runsView(main) {
  const state = { cursors: [null], page: 0, runs: [], next: null };
  const workflow = select("Workflow", [""], "All workflows");
  const status = select("Status", ["", ...STATUSES], "All statuses");
  const list = el("ul", { class: "runs", "aria-live": "polite" });
  const pager = el("div", { class: "row pager" });
  const load = async () => {
    try {
      const page = await api("GET", "runs", {
        params: { workflow: workflow.control.value, status: status.control.value, limit: PAGE_SIZE,
          cursor: state.cursors[state.page] },
      });
      state.runs = page.runs;
      state.next = page.next;
      render();
    } catch (error) {
      notify(error.message);
    }
  };
  const go = (page) => {
    state.page = page;
    load();
  };
  const render = () => {
    replace(list, state.runs.length ? state.runs.map(runRow) : el("li", { class: "empty" }, "No runs yet."));
    const older = el("button", { type: "button", disabled: !state.next, onclick: () => {
      state.cursors[state.page + 1] = state.next;
      go(state.page + 1);
    } }, "Older runs");
    const newer = el("button", { type: "button", disabled: state.page === 0, onclick: () => go(state.page - 1) },
      "Newer runs");
    replace(pager, newer, older);
  };
  const refilter = () => {
    state.cursors = [null];
    go(0);
  };
  workflow.control.addEventListener("change", refilter);
  status.control.addEventListener("change", refilter);
  api("GET", "workflows").then((workflows) => {
    for (const info of workflows) workflow.control.append(el("option", { value: info.name }, info.name));
  }, (error) => notify(error.message));

  main.append(
    el("div", { class: "row spread" }, el("h1", {}, "Runs"), el("a", { class: "button", href: "#/start" }, "Start a run")),
    el("div", { class: "row filters" }, workflow.field, status.field),
    list,
    pager,
  );
  load();
  const timer = setInterval(() => {
    const live = state.runs.some((run) => !ENDED.has(run.status));
    if (live && document.visibilityState === "visible") load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

function select(label, values, allText) {
  const id = uid("filter");
  const control = el("select", { id }, values.map((value) => el("option", { value }, value || allText)));
  return { control, field: el("span", { class: "field" }, el("label", { for: id }, label), control) };
}

// A session turn's id starts with its session's prefix (`session-<digest>-`, api/session_turns.py),
// the same for every turn of the session: the row shows the random end that tells them apart.
const TURN_ID = /^session-[0-9a-f]{20}-/;

export function shortId(id) {
  return TURN_ID.test(id) ? id.slice(-12) : id.slice(0, 12);
}

function runRow(run) {
  return el(
    "li",
    { class: "run" },
    el("a", { href: `#/runs/${encodeURIComponent(run.id)}`, class: "run-id", title: run.id }, shortId(run.id)),
    el("span", { class: "workflow" }, run.workflow),
    statusBadge(run.status),
    time(run.createdAt),
    progressBar(run.progress, run.status),
  );
}
