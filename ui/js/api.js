// Every call to the run API: JSON in and out, the user's function key as a header (never in a URL),
// and the API's {"error": {"code", "message"}} turned into an ApiError the views can show.

const KEY_ITEM = "functionKey";
export const API_ROOT = new URL("../", document.baseURI);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function functionKey() {
  return sessionStorage.getItem(KEY_ITEM) || "";
}

export function setFunctionKey(key) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

/** Headers of every call: the key when one was given (EasyAuth's session cookie goes by itself). */
export function authHeaders(extra = {}) {
  const key = functionKey();
  return key ? { ...extra, "x-functions-key": key } : { ...extra };
}

export function apiUrl(path, params = {}) {
  const url = new URL(path, API_ROOT);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  return url;
}

/** Call the API; resolves with the JSON body (null for 204), rejects with ApiError. */
export async function api(method, path, { params, body, signal } = {}) {
  const headers = authHeaders(body === undefined ? {} : { "Content-Type": "application/json" });
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "unreachable", "The app did not answer; is it running?");
  }
  return readReply(response);
}

async function readReply(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data;
  if (response.status === 401) {
    throw new ApiError(401, "unauthorized", "The API needs a function key or a sign-in: see Access.");
  }
  const error = data && data.error ? data.error : {};
  throw new ApiError(response.status, error.code || "http_" + response.status, error.message || text);
}
