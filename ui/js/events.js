// The run's timeline as server-sent events, read with fetch so the function key travels as a header
// (EventSource cannot send headers, and a key in the URL would end up in logs). Each reply is one
// batch of frames; like EventSource, the reader reconnects and sends the last `id:` it saw as
// Last-Event-ID, so a dropped connection resumes exactly after the last event shown.

import { apiUrl, authHeaders } from "./api.js";

const WAIT_S = 20;

/** Parse SSE text into frames `{id, event, data, retry}` (data JSON-decoded when it is JSON). */
export function parseFrames(text) {
  const frames = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const frame = { id: null, event: "message", data: [], retry: null };
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") frame.id = value;
      else if (field === "event") frame.event = value;
      else if (field === "data") frame.data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) frame.retry = Number(value);
    }
    if (frame.data.length || frame.retry !== null) frames.push(decode(frame));
  }
  return frames;
}

function decode(frame) {
  const text = frame.data.join("\n");
  try {
    return { ...frame, data: text ? JSON.parse(text) : null };
  } catch {
    return { ...frame, data: text };
  }
}

/**
 * Follow `runs/{id}/events` until the run ends or `stop()` is called. `onEvent(type, data, id)` gets
 * every event; `onEnd(data)` once the stream says the run is over.
 */
export function followEvents(runId, { onEvent, onEnd, onError }) {
  const controller = new AbortController();
  let lastId = "";
  let retryMs = 1000;
  let stopped = false;
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const loop = async () => {
    while (!stopped) {
      let frames;
      try {
        const headers = authHeaders({ Accept: "text/event-stream" });
        if (lastId) headers["Last-Event-ID"] = lastId;
        const url = apiUrl(`runs/${encodeURIComponent(runId)}/events`, { wait: WAIT_S });
        const response = await fetch(url, { headers, signal: controller.signal, credentials: "same-origin" });
        if (response.status === 204) {
          // The run has ended and we have every event (a reconnect after the batch with `end`).
          stopped = true;
          if (onEnd) onEnd(null);
          return;
        }
        if (!response.ok) throw new Error(`events: HTTP ${response.status}`);
        frames = parseFrames(await response.text());
      } catch (error) {
        if (stopped) return;
        if (onError) onError(error);
        await pause(retryMs);
        continue;
      }
      let delivered = 0;
      for (const frame of frames) {
        if (frame.retry !== null) retryMs = frame.retry;
        if (!frame.data && frame.event === "message") continue;
        if (frame.id) lastId = frame.id;
        delivered += 1;
        if (frame.event === "end") {
          stopped = true;
          if (onEnd) onEnd(frame.data);
          return;
        }
        onEvent(frame.event, frame.data, frame.id);
      }
      if (!delivered) await pause(retryMs); // an empty batch: the server's wait ran out
    }
  };
  loop();
  return () => {
    stopped = true;
    controller.abort();
  };
}
