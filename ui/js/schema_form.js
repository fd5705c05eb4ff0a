// A form generated from a JSON schema (a workflow's input, a graph's responseSchema): one labelled
// control per property, defaults filled in, the description as the control's hint. The API still
// validates; this only saves people from writing JSON by hand.

import { el, uid } from "./dom.js";

export function schemaForm(schema) {
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties || {}).map(([name, property]) =>
    field(name, resolve(schema, property), required.has(name)),
  );
  return { node: el("div", { class: "stack" }, fields.map((f) => f.node)), fields };
}

/** The form's values as the API's JSON body; empty optional fields are left out (defaults apply). */
export function readForm(form) {
  const body = {};
  for (const f of form.fields) {
    const value = f.read();
    if (value !== undefined) body[f.name] = value;
  }
  return body;
}

function resolve(schema, property) {
  const ref = property.$ref || (property.allOf && property.allOf.length === 1 && property.allOf[0].$ref);
  if (!ref) return property;
  const name = ref.split("/").pop();
  return { ...((schema.$defs || {})[name] || {}), ...property, $ref: undefined };
}

function field(name, property, required) {
  const id = uid("field");
  const about = [property.description, required ? "Required." : null].filter(Boolean).join(" ");
  const hintId = about ? `${id}-hint` : undefined;
  const hint = hintId ? el("small", { id: hintId, class: "hint" }, about) : null;
  const common = { id, name, required, "aria-describedby": hintId };
  const items = property.items || {};
  if (property.type === "array" && Array.isArray(items.enum)) return choices(name, property, items.enum, hint, hintId);
  let control;
  let read;
  if (Array.isArray(property.enum)) {
    control = el("select", common, property.enum.map((value) => el("option", { value, selected: value === property.default }, String(value))));
    read = () => control.value;
  } else if (property.type === "boolean") {
    control = el("input", { ...common, type: "checkbox", checked: property.default === true });
    read = () => control.checked;
  } else if (property.type === "integer" || property.type === "number") {
    control = el("input", { ...common, type: "number", inputmode: "numeric", min: property.minimum, max: property.maximum,
      step: property.type === "integer" ? 1 : "any", value: property.default ?? "" });
    read = () => (control.value === "" ? undefined : Number(control.value));
  } else if (property.type === "string") {
    control = el("textarea", { ...common, rows: 2, minlength: property.minLength, maxlength: property.maxLength }, property.default ?? "");
    read = () => (control.value === "" && !required ? undefined : control.value);
  } else {
    control = el("textarea", { ...common, rows: 3, class: "json" }, property.default === undefined ? "" : JSON.stringify(property.default));
    read = () => (control.value.trim() === "" ? undefined : parseJson(name, control.value));
  }
  const label = el("label", { for: id }, name);
  return { name, read, node: el("div", { class: "field" }, label, control, hint) };
}

/** An array of fixed values (e.g. which specialists) as a group of checkboxes. */
function choices(name, property, values, hint, hintId) {
  const chosen = new Set(property.default || []);
  const boxes = values.map((value) => {
    const id = uid("choice");
    const box = el("input", { id, type: "checkbox", value, checked: chosen.has(value) });
    return { value, box, node: el("span", { class: "choice" }, box, el("label", { for: id }, String(value))) };
  });
  const node = el("fieldset", { class: "field", "aria-describedby": hintId }, el("legend", {}, name), boxes.map((b) => b.node), hint);
  const read = () => {
    const picked = boxes.filter((b) => b.box.checked).map((b) => b.value);
    return picked.length ? picked : undefined; // none ticked: the workflow's default applies
  };
  return { name, node, read };
}

function parseJson(name, text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name}: not valid JSON`);
  }
}
