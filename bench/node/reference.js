// Node.js reference figures for bench/run (not a JMH method: it runs in its own process, in the
// same bench/run invocation). Prints one JSON object: per-operation nanoseconds for
//   chain.<source>.<n>.build  time to attach n `then`s, per link
//   chain.<source>.<n>.drain  time from resolving the source (or from the end of building, for an
//                             already-resolved source) until the last link ran, per link
//   chain.<source>.<n>.total  build + drain, per link (comparable to JMH's Chain score / n)
//   resolveThen               create a pending promise, attach one handler, resolve, until the
//                             handler ran (batches of 10,000, as the JMH scenario)
//   await                     an async function awaits a pending promise that a microtask then
//                             resolves, per await (batches of 1,000; the JMH Await scenario runs
//                             10,000 per invocation so that its parked waiter's wake-up is noise)
// Each figure is the median of the measured rounds after warm-up rounds; <key>.lo and <key>.hi
// bound its distribution-free 99.9% confidence interval (order statistics of the rounds, ranks
// n/2 -+ 3.29 sqrt(n)/2; with few rounds, the lowest and highest round, which covers less).
'use strict';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
const warmups = quick ? 3 : 10;
const inc = v => v + 1;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Sets out[key] to the median of xs and out[key + '.lo'], out[key + '.hi'] to its 99.9% interval.
function putMedian(out, key, xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const half = 3.29 * Math.sqrt(n) / 2;
  out[key] = s[Math.floor(n / 2)];
  out[key + '.lo'] = s[Math.max(0, Math.floor(n / 2 - half) - 1)];
  out[key + '.hi'] = s[Math.min(n - 1, Math.ceil(1 + n / 2 + half) - 1)];
}

async function chainOnce(n, source) {
  let resolveSource;
  const start = source === 'resolved' ? Promise.resolve(0) : new Promise(r => { resolveSource = r; });
  const t0 = process.hrtime.bigint();
  let p = start;
  for (let i = 0; i < n; i++) p = p.then(inc);
  const t1 = process.hrtime.bigint();
  let done;
  const finished = new Promise(r => { done = r; });
  p.then(v => { done(process.hrtime.bigint()); if (v !== n) throw new Error('chain gave ' + v); });
  if (resolveSource) resolveSource(0);
  const t2 = await finished;
  return { build: Number(t1 - t0) / n, drain: Number(t2 - t1) / n, total: Number(t2 - t0) / n };
}

async function resolveThenOnce(batch) {
  let seen = 0;
  let done;
  const finished = new Promise(r => { done = r; });
  const handle = () => { if (++seen === batch) done(process.hrtime.bigint()); };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) {
    const { promise, resolve } = Promise.withResolvers ? Promise.withResolvers() : manual();
    promise.then(handle);
    resolve(i);
  }
  const t1 = await finished;
  return Number(t1 - t0) / batch;
}

async function awaitOnce(batch) {
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) {
    const { promise, resolve } = manual();
    queueMicrotask(() => resolve(i));
    sum += await promise;
  }
  const t1 = process.hrtime.bigint();
  if (sum !== batch * (batch - 1) / 2) throw new Error('await gave ' + sum);
  return Number(t1 - t0) / batch;
}

function manual() {
  let resolve;
  const promise = new Promise(r => { resolve = r; });
  return { promise, resolve };
}

async function main() {
  const out = { node: process.version };
  for (const source of ['resolved', 'pending']) {
    for (const n of [10, 1000, 100000, 1000000]) {
      const reps = n >= 100000 ? Math.max(3, Math.ceil(rounds / 3)) : rounds * 20;
      const warm = n >= 100000 ? Math.ceil(warmups / 3) : warmups * 20;
      for (let i = 0; i < warm; i++) await chainOnce(n, source);
      const runs = [];
      for (let i = 0; i < reps; i++) runs.push(await chainOnce(n, source));
      for (const k of ['build', 'drain']) out[`chain.${source}.${n}.${k}`] = median(runs.map(r => r[k]));
      putMedian(out, `chain.${source}.${n}.total`, runs.map(r => r.total));
    }
  }
  const rt = [];
  for (let i = 0; i < warmups * 20; i++) await resolveThenOnce(10000);
  for (let i = 0; i < rounds * 20; i++) rt.push(await resolveThenOnce(10000));
  putMedian(out, 'resolveThen', rt);
  const aw = [];
  for (let i = 0; i < warmups * 20; i++) await awaitOnce(1000);
  for (let i = 0; i < rounds * 20; i++) aw.push(await awaitOnce(1000));
  putMedian(out, 'await', aw);
  console.log(JSON.stringify(out));
}

main();
