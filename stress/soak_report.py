"""Writes the "Soak and leak" section of STRESS.md from the SOAK lines of a stress/soak log.

The section sits between the markers below; stress/summarize.py (stress/run) copies it over
unchanged. One row per soak; a run of some soaks replaces their rows and keeps the others.
Usage: soak_report.py LOG MODE JAVA_BIN JVM_FLAGS LOAD_AVERAGE
"""
import datetime
import os
import re
import subprocess
import sys

BEGIN = "<!-- soak:begin: written by stress/soak (stress/soak_report.py); stress/run keeps this section -->"
END = "<!-- soak:end -->"
MUST_HOLD = {
    "handlers": "10,000,000 handlers from 4 producer threads: none lost, none run twice, each on the loop thread with its own outcome",
    "abandoned": "1,000,000 pending promises abandoned on a running loop are all collected (weak references after GC)",
    "closed": "100,000 promises pending when their loop closes all reject with `EventLoopClosedException`; their futures fail; their handlers do not run",
    "flat-heap": "a loop running mixed work (10 min; 1 min with `--quick`) keeps a flat heap: growth after the warm-up within the tolerance, every operation ended, expected counts met",
    "queue-shrink": "after a burst of 1,000,000 timers (cleared, or fired) or microtasks, an idle loop's heap after GC is back within 1 MB of its baseline",
}

log_path, mode, java_bin, jvm_flags, load = sys.argv[1:6]
version = subprocess.run([java_bin, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
short_version = re.sub(r'^.*version "([^"]+)".*$', r"\1", version)
mem_gib = round(int(open("/proc/meminfo").read().split()[1]) / 1024 / 1024)
run = (f"{datetime.date.today().isoformat()}, `{'stress/soak --quick' if mode == 'quick' else 'stress/soak'}`, "
       f"{os.cpu_count()} cores, {mem_gib} GiB, JDK {short_version}, load average {load} at the start")

def key(name, label):
    """Rows are kept per soak; the flat-heap soak, whose length depends on the mode, per mode too."""
    return name + (" " + label if name == "flat-heap" else "")


rows = {}
old = open("STRESS.md", encoding="utf-8").read() if os.path.exists("STRESS.md") else "# Stress results\n"
m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", old, re.S)
if m:
    for line in m.group(0).splitlines():
        r = re.match(r"^\| `([^`]+)`(?: \((full|`--quick`)\))? \|", line)
        if r:
            rows[key(r.group(1), r.group(2) or "")] = line

for line in open(log_path, encoding="utf-8", errors="replace"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 7 or parts[0] != "SOAK":
        continue
    _, name, result, seconds, before, after, figures = parts
    figures = figures.replace("|", "\\|")
    label = "`--quick`" if mode == "quick" else "full"
    shown = f"`{name}` ({label})" if name == "flat-heap" else f"`{name}`"
    rows[key(name, label)] = (f"| {shown} | {MUST_HOLD.get(name, '')} | {result} | {figures} | {before} → {after} "
                              f"| {float(seconds):,.1f} s | {run} |")

section = [
    BEGIN,
    "## Soak and leak",
    "",
    "`stress/soak` (full) or `stress/soak --quick` runs the soak and leak programs of module `stress`",
    "(`stress/src/main/java/dev/eventual/soak`, one class per soak) one after another in one JVM",
    f"(`{jvm_flags}`) and writes one row per soak here; each row is the last run of that soak.",
    "`--quick` shortens only the mixed-work soak (1 minute instead of 10), which has a row per mode; the",
    "other soaks are the same in both modes. The run column gives the load average when the run started:",
    "durations and rates depend on what else the machine ran; the counts and heap figures do not.",
    "Heap figures are the used heap after a full GC, before the soak started and after it ended with its",
    "objects dropped; the flat-heap soak also samples it during the run, with no work in flight (see",
    "`FlatHeapSoak`). Counts are exact (counters and weak references), not estimates. Full log:",
    "`stress/results/soak.txt` (not committed).",
    "",
    "| soak | what must hold | result | figures | heap before → after (MB) | duration | run |",
    "|---|---|---|---|---|---|---|",
]
order = ["handlers", "abandoned", "closed", "flat-heap full", "flat-heap `--quick`", "queue-shrink"]
section += [rows[n] for n in order if n in rows] + [rows[n] for n in sorted(rows) if n not in order]
section += [END]
text = "\n".join(section) + "\n"
if m:
    new = old[:m.start()] + text + old[m.end():]
else:
    new = old.rstrip("\n") + "\n\n" + text
with open("STRESS.md.new", "w", encoding="utf-8") as f:
    f.write(new)
os.replace("STRESS.md.new", "STRESS.md")
