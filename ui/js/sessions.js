// Sessions as a chat: the bounded conversation from GET /sessions/{id}, and a box to send the next
// message (one durable run per message; the reply is shown once it is written). Delete session
// forgets it: DELETE /sessions/{id} removes the conversation and every turn's run.

import { api } from "./api.js";
import { deleteControl } from "./delete.js";
import { el, notify, replace, uid } from "./dom.js";

const REPLY_WAIT_S = 30;

export function sessionsView(main) {
  const id = uid("session");
  const input = el("input", { id, required: true, pattern: "[A-Za-z0-9_.:\\-]+", maxlength: 100 });
  const open = (event) => {
    event.preventDefault();
    location.hash = `#/sessions/${encodeURIComponent(input.value.trim())}`;
  };
  main.append(
    el("h1", {}, "Sessions"),
    el("p", {}, "A session is a multi-turn conversation kept in a durable entity. Open one by its id, or pick a new id to start one."),
    el("form", { class: "stack panel", onsubmit: open },
      el("label", { for: id }, "Session id"), input,
      el("small", { class: "hint" }, "Letters, digits and _ . : -"),
      el("div", { class: "row" }, el("button", { type: "submit" }, "Open"))),
  );
}

export function sessionView(main, sessionId) {
  const path = `sessions/${encodeURIComponent(sessionId)}`;
  const chat = el("ol", { class: "chat", "aria-live": "polite", "aria-label": "Conversation" });
  const summary = el("p", { class: "hint" });
  const id = uid("message");
  const box = el("textarea", { id, rows: 3, required: true, maxlength: 32000 });
  const send = el("button", { type: "submit" }, "Send");
  const load = async () => {
    try {
      render(await api("GET", path));
    } catch (error) {
      if (error.status === 404) render({ messages: [], summary: null, turns: 0 });
      else notify(error.message);
    }
  };
  const render = (state) => {
    summary.textContent = state.summary ? `Earlier turns, summarised: ${state.summary}` : "";
    const visible = state.messages.filter((m) => m.role === "user" || m.role === "assistant");
    replace(chat, visible.length ? visible.map(bubble) : el("li", { class: "empty" }, "No messages yet."));
  };
  const submit = async (event) => {
    event.preventDefault();
    const message = box.value.trim();
    if (!message) return;
    send.disabled = true;
    chat.append(bubble({ role: "user", text: message }));
    try {
      await api("POST", `${path}/messages`, { params: { wait: REPLY_WAIT_S }, body: { message } });
      box.value = "";
    } catch (error) {
      notify(error.message);
    }
    send.disabled = false;
    load();
  };
  main.append(
    el("p", {}, el("a", { href: "#/sessions" }, "← Sessions")),
    el("h1", {}, "Session ", el("code", {}, sessionId)),
    summary,
    chat,
    el("form", { class: "stack panel", onsubmit: submit }, el("label", { for: id }, "Message"), box,
      el("div", { class: "row" }, send)),
    el("div", { class: "row" }, deleteControl(
      `Delete session ${sessionId}, its conversation and every turn's run?`, path, "#/sessions", "Delete session")),
  );
  load();
}

function bubble(message) {
  return el("li", { class: `bubble from-${message.role}` },
    el("span", { class: "who" }, message.role === "user" ? "You" : "Assistant"),
    el("p", {}, message.text || ""));
}
