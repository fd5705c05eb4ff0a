// Delete asks first: a second, explicit button confirms; Cancel puts things back. Used for a run and
// for a session, which differ only in the question asked and where the page goes once it is gone.

import { api } from "./api.js";
import { el, notify, replace } from "./dom.js";

export function deleteControl(question, path, goneHash, label = "Delete") {
  const box = el("span", { class: "row" });
  const ask = () => {
    const confirm = el("button", { type: "button", class: "danger", onclick: confirmDelete }, "Confirm delete");
    replace(box,
      el("span", { role: "alert" }, question),
      confirm,
      el("button", { type: "button", class: "secondary", onclick: () => reset(true) }, "Cancel"));
    confirm.focus(); // keyboard users land on the question's answer, not on a removed button
  };
  async function confirmDelete() {
    try {
      await api("DELETE", path);
      location.hash = goneHash;
    } catch (error) {
      notify(error.message);
    }
  }
  function reset(focus = false) {
    const button = el("button", { type: "button", class: "secondary", onclick: ask }, label);
    replace(box, button);
    if (focus) button.focus();
  }
  reset();
  return box;
}
