// Start a run: pick a workflow (the Workflow select), fill the form generated from its input schema,
// press Start; the run's page opens.

import { api } from "./api.js";
import { el, notify, replace, uid } from "./dom.js";
import { readForm, schemaForm } from "./schema_form.js";

export function startView(main, chosen) {
  const id = uid("workflow");
  const picker = el("select", { id });
  const description = el("p", { class: "hint" });
  const fields = el("div");
  let workflows = [];
  let form = null;
  const show = () => {
    const info = workflows.find((w) => w.name === picker.value);
    if (!info) return;
    description.textContent = info.description;
    form = schemaForm(info.input_schema || {});
    replace(fields, form.node);
  };
  const start = async (event) => {
    event.preventDefault();
    try {
      const body = readForm(form);
      const run = await api("POST", `runs/${encodeURIComponent(picker.value)}`, { body });
      location.hash = `#/runs/${encodeURIComponent(run.id)}`;
    } catch (error) {
      notify(error.message);
    }
  };
  picker.addEventListener("change", show);
  main.append(
    el("h1", {}, "Start a run"),
    el("form", { class: "stack panel", onsubmit: start },
      el("div", { class: "field" }, el("label", { for: id }, "Workflow"), picker, description),
      fields,
      el("div", { class: "row" }, el("button", { type: "submit" }, "Start"))),
  );
  api("GET", "workflows").then((all) => {
    workflows = all.filter((w) => w.startable !== false);
    replace(picker, workflows.map((w) => el("option", { value: w.name, selected: w.name === chosen }, w.name)));
    show();
  }, (error) => notify(error.message));
}
