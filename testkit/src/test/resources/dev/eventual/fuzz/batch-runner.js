// Runs a batch of generated programs in one Node process, isolated from each other, and prints
// each program's log: one line per entry, "<program index>\t<entry>", after all have finished.
// Usage: node batch-runner.js [virtual-timers.js] < programs   (sources separated by NUL characters)
//
// Why one process for many programs: starting Node costs ~40 ms, more than a program's run.
// Isolation: each program has its own vm context (its own globals and its own Promise, so an
// unhandled rejection is traced to its program by the promise's realm). What they share, the
// microtask queue and the timer queue, is FIFO, so the order of one program's callbacks is the
// order it would have alone. Each program starts from its own immediate, so its microtask
// checkpoint follows its own top level at once; all contexts are made before any program
// starts, so no program's timers wait behind another's setup.
//
// Virtual time (the path of virtual-timers.js given): the programs' setTimeout and clearTimeout
// are that file's, loaded once into this process, so timers fire by (virtual deadline, order set)
// on a clock that moves from timer to timer, whatever the load. All programs start at virtual
// time 0 and share the one queue; a timer of one program never changes the deadlines of
// another's, so each program's order is the order it would have alone.
//
// Real clock (no argument): Node's own timers, and after each program's log one line
// "<program index>\tlate\t<ms>" (entries have no tabs): how much later than its virtual time (code
// taking no time) the latest setTimeout call of the program came. TimerSchedule.java says why.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const virtualTimers = process.argv[2];
if (virtualTimers) {
  vm.runInThisContext(fs.readFileSync(virtualTimers, 'utf8'), { filename: virtualTimers });
}

const prelude = new vm.Script(fs.readFileSync(path.join(__dirname, 'prelude.js'), 'utf8'), { filename: 'prelude.js' });
const sources = fs.readFileSync(0, 'utf8').split('\0');

// setTimeout for program p on the real clock: the host's, plus the virtual clock of TimerSchedule.java.
function idealTimers(p) {
  let idealNow = 0; // the virtual time of the callback running now
  return (callback, ms) => {
    p.late = Math.max(p.late, performance.now() - p.start - idealNow);
    const due = idealNow + Math.max(ms, 1);
    return setTimeout(() => { idealNow = due; callback(); }, ms);
  };
}

const programs = sources.map((source, index) => {
  const p = { index, out: [], start: 0, late: 0 };
  const log = (...words) => { p.out.push(words.join(' ')); };
  p.context = vm.createContext(virtualTimers
    ? { log, setTimeout, clearTimeout, queueMicrotask }
    : { log, setTimeout: idealTimers(p), clearTimeout, queueMicrotask });
  prelude.runInContext(p.context);
  p.script = new vm.Script(source, { filename: 'program-' + index + '.js' });
  p.PromiseOfRealm = vm.runInContext('Promise', p.context);
  p.describe = vm.runInContext('describe', p.context);
  return p;
});

const ownerOf = promise => programs.find(p => promise instanceof p.PromiseOfRealm);
const reasons = new WeakMap(); // rejectionHandled gives the promise only
process.on('unhandledRejection', (reason, promise) => {
  const p = ownerOf(promise);
  reasons.set(promise, reason);
  p.out.push('unhandled ' + p.describe(reason));
});
process.on('rejectionHandled', promise => {
  const p = ownerOf(promise);
  p.out.push('handled later ' + p.describe(reasons.get(promise)));
});

for (const p of programs) {
  setImmediate(() => {
    p.start = performance.now();
    try {
      p.script.runInContext(p.context);
    } catch (e) {
      p.out.push('crash ' + e);
    }
  });
}

process.on('exit', () => {
  let text = '';
  for (const p of programs) {
    for (const line of p.out) text += p.index + '\t' + line + '\n';
    if (!virtualTimers) text += p.index + '\tlate\t' + p.late + '\n';
  }
  fs.writeSync(1, text);
});
