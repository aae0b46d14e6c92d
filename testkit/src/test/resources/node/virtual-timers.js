// Virtual time for Node, for the differential ordering tests (see NodeHarness) and the
// differential fuzzer (dev/eventual/fuzz/batch-runner.js): the program's timers fire in the
// order Node's own timers would on an idle machine, whatever the load.
//
// setTimeout/setInterval/clearTimeout/clearInterval and AbortSignal.timeout are replaced by a
// queue ordered by (deadline, order set) on a clock that moves only from timer to timer. Each
// due timer runs in its own setImmediate callback, after which Node drains process.nextTick and
// the microtasks, as it does after each timer callback of its timers phase. Node's rules are
// kept: a delay that is not a number in [1, 2^31 - 1] is 1 ms; an interval is set again after
// its callback, from the time it ran; an unref'd timer does not keep the process alive, so once
// only unref'd timers are left, none of them fires (the process exits, as Node's would).
// Time does not pass inside a callback: a busy loop there moves nothing (cases that depend on
// the real clock run without this file).
(() => {
  const realSetImmediate = setImmediate;
  const TIMEOUT_MAX = 2 ** 31 - 1;
  const queue = []; // sorted by (due, seq)
  let now = 0;
  let seq = 0;
  let nextId = 1;
  let stepping = false;

  class Timeout {
    constructor(callback, ms, args, repeat) {
      if (typeof callback !== 'function') {
        throw new TypeError('The "callback" argument must be of type function. Received ' + typeof callback);
      }
      ms *= 1;
      if (!(ms >= 1 && ms <= TIMEOUT_MAX)) ms = 1;
      this._callback = callback;
      this._ms = Math.trunc(ms);
      this._args = args;
      this._repeat = repeat;
      this._ref = true;
      this._active = false;
      this._id = nextId++;
      arm(this);
    }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
    refresh() { if (this._active) { remove(this); arm(this); } return this; }
    close() { clear(this); return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }

  const byId = new Map();

  function arm(t) {
    t._due = now + t._ms;
    t._seq = ++seq;
    t._active = true;
    byId.set(t._id, t);
    let i = queue.length;
    while (i > 0 && (queue[i - 1]._due > t._due || (queue[i - 1]._due === t._due && queue[i - 1]._seq > t._seq))) i--;
    queue.splice(i, 0, t);
    wake();
  }

  function remove(t) {
    const i = queue.indexOf(t);
    if (i >= 0) queue.splice(i, 1);
  }

  function clear(t) {
    if (t === undefined || t === null) return;
    const timer = t instanceof Timeout ? t : byId.get(Number(t));
    if (!timer || !timer._active) return;
    timer._active = false;
    byId.delete(timer._id);
    remove(timer);
  }

  function wake() {
    if (!stepping) {
      stepping = true;
      realSetImmediate(step);
    }
  }

  function step() {
    stepping = false;
    if (!queue.some(t => t._ref)) return; // only unref'd timers left: Node would exit here
    const t = queue.shift();
    now = Math.max(now, t._due);
    if (!t._repeat) {
      t._active = false;
      byId.delete(t._id);
    }
    wake(); // the next timer gets the next immediate, after this one's microtasks
    t._callback(...t._args);
    if (t._repeat && t._active && !queue.includes(t)) arm(t); // from when it ran, as Node's
  }

  globalThis.setTimeout = (callback, ms, ...args) => new Timeout(callback, ms, args, false);
  globalThis.setInterval = (callback, ms, ...args) => new Timeout(callback, ms, args, true);
  globalThis.clearTimeout = clear;
  globalThis.clearInterval = clear;
  AbortSignal.timeout = ms => {
    const controller = new AbortController();
    globalThis.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
    return controller.signal;
  };
})();
