// The Node.js twin of AwaitMillion: one async function awaits an already resolved promise n times
// (with 'interleaved': two async functions, n / 2 times each, started together); median of the
// rounds, in ms. Run: node bench/node/await-million.js [n] [rounds] [interleaved]
'use strict';
const n = Number(process.argv[2] || 1000000);
const rounds = Number(process.argv[3] || 7);
const bodies = process.argv[4] === 'interleaved' ? 2 : 1;

async function body(one, count) {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await one;
  if (sum !== count) throw new Error('awaits gave ' + sum);
}

async function once() {
  const one = Promise.resolve(1);
  const t0 = process.hrtime.bigint();
  const all = [];
  for (let b = 0; b < bodies; b++) all.push(body(one, Math.floor(n / bodies)));
  await Promise.all(all);
  const t1 = process.hrtime.bigint();
  return Number(t1 - t0) / 1e6;
}

(async () => {
  const ms = [];
  for (let r = -2; r < rounds; r++) {
    const t = await once();
    if (r >= 0) ms.push(t);
  }
  ms.sort((a, b) => a - b);
  console.log(`awaits ${n} median_ms ${ms[Math.floor(rounds / 2)].toFixed(1)} min_ms ${ms[0].toFixed(1)} max_ms ${ms[rounds - 1].toFixed(1)}`);
})();
