// Refreshing a view while events arrive in bursts: one call of `work` for a burst, never two at once,
// and no more often than every `gapMs`, so a run that finishes a step every few milliseconds costs
// the host one refresh a second per viewer, not one per step.

/**
 * A function that asks for `work` to run soon: the first ask waits `delayMs` to gather the burst;
 * asks while `work` runs get one more run after it; runs start at least `gapMs` apart.
 * `cancel()` drops whatever is waiting.
 */
export function throttle(work, { delayMs, gapMs }) {
  let timer = null;
  let busy = false;
  let again = false;
  let lastStart = -Infinity;
  const start = async () => {
    timer = null;
    busy = true;
    lastStart = Date.now();
    try {
      await work();
    } finally {
      busy = false;
      if (again) {
        again = false;
        ask();
      }
    }
  };
  function ask() {
    if (busy) again = true;
    else if (timer === null) timer = setTimeout(start, Math.max(delayMs, lastStart + gapMs - Date.now()));
  }
  ask.cancel = () => {
    clearTimeout(timer);
    timer = null;
    again = false;
  };
  return ask;
}
