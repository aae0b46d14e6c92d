// The Node.js twin of AwaitMillion: one async function awaits an already resolved promise n times;
// median of the rounds, in ms. Run: node bench/node/await-million.js [n] [rounds]
'use strict';
const n = Number(process.argv[2] || 1000000);
const rounds = Number(process.argv[3] || 7);

async function once() {
  const one = Promise.resolve(1);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sum += await one;
  const t1 = process.hrtime.bigint();
  if (sum !== n) throw new Error('awaits gave ' + sum);
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
