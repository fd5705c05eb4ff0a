// The viewer's router: one view per hash route, so the page is one static file and deep links work.
// A view is a function (main, ...route parts) that may return a cleanup function (stop timers, streams).

import { notify } from "./dom.js";
import { keyView } from "./key.js";
import { runView } from "./run.js";
import { runsView } from "./runs.js";
import { sessionView, sessionsView } from "./sessions.js";
import { startView } from "./start.js";

const ROUTES = [
  [/^#\/runs\/([^/]+)$/, runView],
  [/^#\/start(?:\/([^/]+))?$/, startView],
  [/^#\/sessions\/([^/]+)$/, sessionView],
  [/^#\/sessions$/, sessionsView],
  [/^#\/key$/, keyView],
  [/^#\/runs$/, runsView],
];

let cleanup = null;

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  notify("");
  const main = document.getElementById("main");
  main.replaceChildren();
  const hash = location.hash || "#/runs";
  for (const [pattern, view] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      const parts = match.slice(1).map((part) => (part === undefined ? undefined : decoded(part)));
      cleanup = view(main, ...parts) || null;
      markCurrent(hash);
      return;
    }
  }
  location.replace("#/runs");
}

/** A route part as the user meant it; a broken escape (`%E0%A4`) is kept as typed for the view to refuse. */
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function markCurrent(hash) {
  for (const link of document.querySelectorAll("nav a")) {
    const current = hash.startsWith(link.getAttribute("href"));
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

window.addEventListener("hashchange", route);
route();
