#!/usr/bin/env python3
"""Writes the result of a stress/fuzz run into STRESS.md's "Differential fuzzing" section, between
its markers (stress/run's summarize.py keeps it). Arguments: the run's log, the number of programs
asked for, the exit status, the duration in seconds, the load average at the start, the seed given
(or empty)."""
import os
import re
import subprocess
import sys
from datetime import date

BEGIN = "<!-- fuzz:begin: written by stress/fuzz (stress/fuzz_report.py); stress/run keeps this section -->"
END = "<!-- fuzz:end -->"

log_path, programs, status, seconds, load, seed = sys.argv[1:7]
text = open(log_path, encoding="utf-8", errors="replace").read()
ok = status == "0"

# DifferentialFuzzTest's statistics blocks (its Tally): "<value> (count) : percent" lines under each
# "[DifferentialFuzzTest] (N) <label> =" header.
stats = []
for block in re.finditer(r"\] \((\d+)\) ([^=\n]+?) = \n((?:    .+\n)+)", text):
    rows = [re.sub(r"\s+", " ", r.strip()) for r in block.group(3).splitlines()]
    stats.append((block.group(2).strip(), block.group(1), rows))
failed = re.findall(r"^Program (\d+) of the run with seed", text, re.M)
seeds = re.findall(r"DifferentialFuzzTest: \d+ programs, seed = (-?\d+)", text)
digests = re.findall(r"SHA-256 of the programs and Node's logs: ([0-9a-f]+)", text)
first_diff = re.search(r"^Program \d+ of the run with seed.*?(?=\n\s+at |\Z)", text, re.S | re.M)

# The JDK the build's toolchain runs the tests on: scripts/newest-jdk's.
jdk = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "newest-jdk")],
                     capture_output=True, text=True, check=True).stdout.strip()
java = subprocess.run([os.path.join(jdk, "bin", "java"), "-version"], capture_output=True, text=True).stderr.splitlines()[0]
node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
cores = os.cpu_count()
mem = round(int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) / 1048576)

lines = [BEGIN, "## Differential fuzzing", "",
         "`stress/fuzz [N]` generates N random programs (promise chains, combinators, adoption, microtasks, timers,",
         "throwing handlers, unhandled and later-handled rejections, async functions and await;",
         "`testkit/src/test/java/dev/eventual/fuzz`), runs",
         "each in Node.js and on Eventual, and compares the logs line by line; it shrinks a failing program itself.",
         "Both sides run on virtual time (Eventual on a `TestLoop`, Node under `node/virtual-timers.js`), so every",
         "program is compared, also those whose timer order would be a race on the real clock, and a busy machine",
         "slows the run but cannot change a log. `mvn -B verify` runs 300 programs; the shim itself is checked",
         "against real Node by `-Dfuzz.checkVirtualTimers=true` (see \"Faults, measured\"). `FUZZ_ASYNC=1 stress/fuzz N`",
         "runs programs focused on async functions on both paths of async bodies (see \"Fuzzing async/await\"). Last run:", "",
         f"- {date.today().isoformat()}, `stress/fuzz {programs}`{' with FUZZ_SEED=' + seed if seed else ''}: "
         f"**{'PASS' if ok else 'FAIL'}**"
         f"{', failed at program ' + failed[-1] if failed and not ok else ''}"
         f"{', seed ' + seeds[-1] if seeds else ''}, {int(seconds) // 60} min {int(seconds) % 60} s; "
         f"{cores} cores, {mem} GiB, {java}, Node {node}, load average {load} at the start"
         f"{'; SHA-256 of the programs and their logs `' + digests[-1] + '`' if digests and ok else ''}.", ""]
for title, count, rows in stats:
    lines.append(f"{title} ({count}):")
    lines.append("")
    lines += [f"- {r}" for r in rows]
    lines.append("")
if not ok and first_diff:
    lines += ["The first difference (full log: `stress/results/fuzz.txt`):", "", "```",
              first_diff.group(0).strip(), "```", ""]
lines.append(END)
section = "\n".join(lines)

md = open("STRESS.md", encoding="utf-8").read() if os.path.exists("STRESS.md") else "# Stress\n"
if BEGIN in md:
    md = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda m: section, md, flags=re.S)
else:
    md = md.rstrip("\n") + "\n\n" + section + "\n"
open("STRESS.md", "w", encoding="utf-8").write(md)
print(f"stress/fuzz: result written to STRESS.md ({'PASS' if ok else 'FAIL'})")
