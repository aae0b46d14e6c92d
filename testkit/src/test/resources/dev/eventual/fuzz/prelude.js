// The helpers every generated program may use (see JsRenderer.java); LogFormat.java and
// EventualInterpreter.java are their Java twins. Runs in each program's own vm context before
// the program; the runner supplies log, setTimeout, clearTimeout and queueMicrotask.

// Node 22 has it; Node 20 does not. Same semantics: a pending promise and its two functions.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

// A rejection reason as a log word. Names, not instanceof: they hold across realms.
function describe(e) {
  if (!(e instanceof Error)) return 'not an Error: ' + String(e);
  if (e.name === 'AggregateError') return 'agg[' + e.errors.map(describe).join(',') + ']';
  if (e.name === 'TypeError') return 'TypeError'; // the chaining cycle; Eventual's message differs
  return e.message;
}

// A fulfilment value as a log word: numbers, undefined (which Java sees as null), arrays from
// Promise.all, outcome records from allSettled, and reasons returned as values.
function show(v) {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return '[' + v.map(show).join(',') + ']';
  if (v instanceof Error) return 'E(' + describe(v) + ')';
  if (v.status === 'fulfilled') return 'ok:' + show(v.value);
  if (v.status === 'rejected') return 'err:' + describe(v.reason);
  return 'unexpected ' + typeof v;
}

function delay(ms, value) {
  return new Promise(resolve => setTimeout(() => resolve(value), ms));
}

function fail(ms, message) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms));
}

// Settled by a microtask queued now: PromiseExpr.Queued.
function soon(value) {
  return new Promise(resolve => queueMicrotask(() => resolve(value)));
}

function soonFail(message) {
  return new Promise((_, reject) => queueMicrotask(() => reject(new Error(message))));
}

// A chain of n microtasks, each queued by the one before, logging "label i": Stmt.Ticks.
function ticks(label, n) {
  let i = 0;
  const step = () => {
    log(label, i);
    if (++i < n) queueMicrotask(step);
  };
  queueMicrotask(step);
}
