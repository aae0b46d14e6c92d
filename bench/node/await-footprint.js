// The Node.js twin of AwaitFootprint: retained heap per suspended async function. Suspends n async
// functions at once, each in `await` of one shared pending promise ("shared") or of its own timer
// promise (`setTimeout` of timers/promises, an hour: "timer"), collects garbage, and divides the
// growth of process.memoryUsage().heapUsed by n. Nothing else holds the functions (as nothing but
// what they await holds Eventual's suspended bodies, and their loop's list). Each case first
// suspends n functions three times and lets them end (warm-up, as in AwaitFootprint). Prints one
// line per case, `name bytes-per-waiter`.
// Run: node --expose-gc bench/node/await-footprint.js [n]
'use strict';
const { setTimeout: sleep } = require('timers/promises');

const n = Number(process.argv[2] || 100000);
if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

async function usedAfterGc() {
  let used = Infinity;
  for (let i = 0; i < 5; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r)); // let pending reactions and finalizers run
    used = Math.min(used, process.memoryUsage().heapUsed);
  }
  return used;
}

let left = 0;
let allEnded = null;

async function waiter(p) {
  await p;
  if (--left === 0) allEnded();
}

function ended(count) {
  left = count;
  return new Promise((r) => { allEnded = r; });
}

// n functions in await of one shared pending promise; the returned function resolves it.
function shared(count) {
  let resolve;
  const never = new Promise((r) => { resolve = r; });
  for (let i = 0; i < count; i++) waiter(never);
  return resolve;
}

// n functions in await of their own timer promise of ms (ref: false, the process may exit meanwhile).
function timers(count, ms, ref) {
  for (let i = 0; i < count; i++) waiter(sleep(ms, undefined, { ref }));
}

(async () => {
  for (let i = 0; i < 3; i++) {
    const done = ended(n);
    shared(n)();
    await done;
  }
  let before = await usedAfterGc();
  let done = ended(n);
  const release = shared(n);
  let after = await usedAfterGc();
  console.log(`shared ${((after - before) / n).toFixed(1)}`);
  release();
  await done;

  for (let i = 0; i < 3; i++) {
    done = ended(n);
    timers(n, 1, true);
    await done;
  }
  before = await usedAfterGc();
  timers(n, 3600e3, false);
  after = await usedAfterGc();
  console.log(`timer ${((after - before) / n).toFixed(1)}`);
  process.exit(0); // the hour-long timers are unref'd: nothing else to wait for
})();
