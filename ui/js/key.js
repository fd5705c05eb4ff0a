// How the page authenticates: a function key kept in this tab's sessionStorage (sent as
// x-functions-key, never in a URL), and, with Entra ID on, the App Service sign-in session.

import { setFunctionKey, functionKey } from "./api.js";
import { el, notify, uid } from "./dom.js";

export function keyView(main) {
  const id = uid("key");
  const input = el("input", { id, type: "password", autocomplete: "off", value: functionKey() });
  const status = el("p", { role: "status" }, functionKey() ? "A key is set for this tab." : "No key is set.");
  const save = (event) => {
    event.preventDefault();
    setFunctionKey(input.value.trim());
    status.textContent = input.value.trim() ? "Key saved for this tab." : "Key removed.";
    notify("");
  };
  const forget = () => {
    input.value = "";
    setFunctionKey("");
    status.textContent = "Key removed.";
  };
  const signIn = new URL("/.auth/login/aad", location.origin);
  signIn.searchParams.set("post_login_redirect_uri", location.pathname + "#/runs");
  main.append(
    el("h1", {}, "Access"),
    el(
      "p",
      {},
      "Locally no key is needed. On Azure, paste a function key: it stays in this browser tab only ",
      "(sessionStorage) and is sent as the x-functions-key header.",
    ),
    el(
      "form",
      { class: "stack", onsubmit: save },
      el("label", { for: id }, "Function key"),
      input,
      el("div", { class: "row" }, el("button", { type: "submit" }, "Save key"),
        el("button", { type: "button", class: "secondary", onclick: forget }, "Forget key")),
    ),
    status,
    el("h2", {}, "Microsoft Entra ID"),
    el("p", {}, "When the app has App Service authentication on, sign in first; approving needs the ",
      el("code", {}, "Runs.Approver"), " app role."),
    el("p", {}, el("a", { href: signIn.href }, "Sign in with Microsoft Entra ID")),
  );
}
