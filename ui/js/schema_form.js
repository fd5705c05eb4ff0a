// A form generated from a JSON schema (a workflow's input, a graph's responseSchema): one labelled
// control per property, defaults filled in, the description as the control's hint. The API still
// validates; this only saves people from writing JSON by hand. Each control reads back a value of its
// schema's type (a number as a number, a boolean as true or false, an enum as the enum's own value),
// and only a control the browser can judge is marked `required`: a checkbox is always a value.

import { el, uid } from "./dom.js";

export function schemaForm(schema) {
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties || {}).map(([name, property]) =>
    field(name, resolve(schema, property), required.has(name), schema),
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

/** `{type: ["integer", "null"]}` or `anyOf: [X, {type: "null"}]` as X, noting that null is allowed. */
function unwrapNull(schema, property) {
  if (Array.isArray(property.type) && property.type.includes("null")) {
    const rest = property.type.filter((t) => t !== "null");
    return { property: { ...property, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  const options = property.anyOf || property.oneOf;
  if (!Array.isArray(options)) return { property, nullable: false };
  const others = options.filter((option) => option.type !== "null");
  if (others.length !== 1 || others.length === options.length) return { property, nullable: false };
  const { anyOf, oneOf, ...outer } = property;
  return { property: { ...resolve(schema, others[0]), ...outer }, nullable: true };
}

function field(name, declared, required, schema) {
  const { property, nullable } = unwrapNull(schema, declared);
  const id = uid("field");
  const isBoolean = property.type === "boolean" && !Array.isArray(property.enum);
  // Left empty: null where the schema allows it and the field must be sent, else left out.
  const empty = () => (required && nullable ? null : undefined);
  const mustFill = required && !nullable && !isBoolean; // a box left unticked is false, not missing
  const about = [property.description, mustFill ? "Required." : null, nullable ? "Leave empty for none." : null]
    .filter(Boolean).join(" ");
  const hintId = about ? `${id}-hint` : undefined;
  const hint = hintId ? el("small", { id: hintId, class: "hint" }, about) : null;
  const common = { id, name, required: mustFill, "aria-describedby": hintId };
  const items = property.items || {};
  if (property.type === "array" && Array.isArray(items.enum)) return choices(name, property, items.enum, required, hint, hintId);
  let control;
  let read;
  if (Array.isArray(property.enum)) {
    const values = property.enum;
    const chosen = values.findIndex((value) => value === property.default);
    const blank = chosen < 0 ? el("option", { value: "" }, mustFill ? "— choose —" : "—") : null;
    control = el("select", common, blank, values.map((value, i) => el("option", { value: String(i), selected: i === chosen }, String(value))));
    read = () => (control.value === "" ? empty() : values[Number(control.value)]);
  } else if (isBoolean) {
    control = el("input", { ...common, type: "checkbox", checked: property.default === true });
    read = () => control.checked;
  } else if (property.type === "integer" || property.type === "number") {
    control = el("input", { ...common, type: "number", inputmode: property.type === "integer" ? "numeric" : "decimal",
      min: property.minimum, max: property.maximum, step: property.type === "integer" ? 1 : "any", value: property.default ?? "" });
    read = () => (control.value === "" ? empty() : control.valueAsNumber);
  } else if (property.type === "string") {
    control = el("textarea", { ...common, rows: 2, minlength: property.minLength, maxlength: property.maxLength }, property.default ?? "");
    read = () => (control.value === "" && (!required || nullable) ? empty() : control.value);
  } else {
    const text = property.default === undefined || property.default === null ? "" : JSON.stringify(property.default);
    control = el("textarea", { ...common, rows: 3, class: "json" }, text);
    read = () => (control.value.trim() === "" ? empty() : parseJson(name, control.value, property.type));
  }
  const label = el("label", { for: id }, name);
  return { name, read, node: el("div", { class: "field" }, label, control, hint) };
}

/** An array of fixed values (e.g. which specialists) as a group of checkboxes. */
function choices(name, property, values, required, hint, hintId) {
  const chosen = new Set(property.default || []);
  const boxes = values.map((value) => {
    const id = uid("choice");
    const box = el("input", { id, type: "checkbox", value: String(value), checked: chosen.has(value) });
    return { value, box, node: el("span", { class: "choice" }, box, el("label", { for: id }, String(value))) };
  });
  const node = el("fieldset", { class: "field", "aria-describedby": hintId }, el("legend", {}, name), boxes.map((b) => b.node), hint);
  const read = () => {
    const picked = boxes.filter((b) => b.box.checked).map((b) => b.value);
    if (picked.length) return picked;
    return required ? [] : undefined; // none ticked: the workflow's default applies, if it has one
  };
  return { name, node, read };
}

const JSON_TYPES = { object: (v) => v !== null && typeof v === "object" && !Array.isArray(v), array: Array.isArray };

function parseJson(name, text, type) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${name}: not valid JSON`);
  }
  if (JSON_TYPES[type] && !JSON_TYPES[type](value)) throw new Error(`${name}: should be a JSON ${type}`);
  return value;
}
