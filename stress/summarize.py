"""Turns a jcstress text log into STRESS.md: one row per test and outcome, with counts."""
import datetime
import os
import re
import subprocess
import sys

log_path, mode, java_bin = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(log_path, encoding="utf-8", errors="replace").read()

tests = {}
current = None
for line in text.splitlines():
    m = re.match(r"^\.+ \[(OK|FAILED|ERROR)\] (\S+)", line.strip()) or re.match(r"^\s*\.+\s*\[(OK|FAILED|ERROR)\]\s+(\S+)", line)
    if m:
        current = m.group(2)
        tests.setdefault(current, {"status": m.group(1), "rows": {}})
        continue
    r = re.match(r"^\s+(.+?)\s+([\d,]+)\s+[\d.]+%\s+(Acceptable|Forbidden|Interesting)\s+(.*)$", line)
    if r and current:
        outcome, samples, expect, desc = r.groups()
        rows = tests[current]["rows"]
        prev = rows.get(outcome, (0, expect, desc))
        rows[outcome] = (prev[0] + int(samples.replace(",", "")), expect, desc)

version = subprocess.run([java_bin, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
mem_kb = int(open("/proc/meminfo").read().split()[1])
lines = [
    "# Stress results",
    "",
    "Produced by `stress/run" + (" --quick" if mode == "quick" else "") + "` (jcstress 0.16, mode `" + mode + "`) on "
    + datetime.date.today().isoformat() + ", " + str(os.cpu_count()) + " cores, "
    + str(round(mem_kb / 1024 / 1024)) + " GiB, " + version + ".",
    "Each test names the outcomes it accepts and forbids in its class javadoc and `@Outcome`s"
    " (module `stress`). Full log: `stress/results/latest.txt` (not committed).",
    "",
    "| test | status | outcome | samples | expectation | meaning |",
    "|---|---|---|---|---|---|",
]
forbidden_seen = 0
for name in sorted(tests):
    t = tests[name]
    for outcome, (samples, expect, desc) in sorted(t["rows"].items()):
        if expect == "Forbidden" and samples > 0:
            forbidden_seen += 1
        lines.append(f"| `{name.rsplit('.', 1)[-1]}` | {t['status']} | `{outcome}` | {samples:,} | {expect} | {desc} |")
lines += ["", f"Tests: {len(tests)}; outcomes forbidden but observed: {forbidden_seen}.", ""]
lines += [
    "## Interesting outcomes, explained",
    "",
    "- `ExecuteVsClose` `0, 0`: `execute` read the loop as open and queued the task just before the",
    "  loop stopped; the loop drops it and prints `closed with 1 task(s) ... not run` on stderr. This is",
    "  the documented behaviour of `close()` (nothing is dropped silently); a caller that must know",
    "  holds a `KeepAlive` or uses `submit`, whose promise then rejects with `EventLoopClosedException`.",
    "",
]
# Keep the sections that stress/soak (soak_report.py) and stress/fuzz (fuzz_report.py) write
# between their markers, and the hand-written fault measurements between the faults markers.
if os.path.exists("STRESS.md"):
    current = open("STRESS.md", encoding="utf-8").read()
    for name in ("soak", "fuzz", "faults"):
        kept = re.search(r"<!-- " + name + r":begin.*?<!-- " + name + r":end -->", current, re.S)
        if kept:
            lines += [kept.group(0), ""]
print("\n".join(lines))
