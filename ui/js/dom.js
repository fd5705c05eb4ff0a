// Building the page from data without ever parsing it as markup: every text goes in as a text node,
// so a model's reply holding <img onerror=...> or <script> is shown, never run.

const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "selected", "required", "multiple"]);

/** An element with attributes, event handlers (`on*` functions) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (PROPERTIES.has(name)) {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

/** Append nodes and strings (as text) to `node`; null, undefined and false are skipped. */
export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace every child of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** A unique id for pairing labels and hints with their controls. */
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** JSON as indented text (strings as they are). */
export function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** A local, readable time for an ISO timestamp, with the exact value in a <time> element. */
export function time(iso) {
  if (!iso) return el("span", {}, "—");
  const moment = new Date(iso);
  return el("time", { datetime: iso, title: iso }, moment.toLocaleString());
}

/** A collapsible block whose summary is always visible. */
export function details(summary, body, open = false) {
  return el("details", { open }, el("summary", {}, summary), body);
}

const NOTICE_CHARS = 600; // an API message may quote a whole rejected value back (a 4,001-char comment)

/** Show a message to the user in the page's alert region (empty text hides it); a long one is cut. */
export function notify(text) {
  const notice = document.getElementById("notice");
  const message = String(text || "");
  notice.hidden = !message;
  replace(notice, message.length > NOTICE_CHARS
    ? `${message.slice(0, NOTICE_CHARS)}… (${message.length.toLocaleString("en")} characters in all)`
    : message);
}
