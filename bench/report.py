#!/usr/bin/env python3
"""Turns JMH JSON runs (plus Node's reference figures and the timer footprint) into the results
section of BENCHMARKS.md and the chart benchmarks.svg. Called by bench/run; see it for the inputs.

Rows and runs. Every JMH entry of bench/results/latest.json carries the id of the bench/run
invocation that measured it ("run") and the harness version it was measured with ("harness"); a
run replaces the rows it measured (same benchmark and params) and leaves the others as they were,
with their own run id. Every table row shows its run, and a ratio between two rows is only
computed (and a goal only judged) when both come from the same run: a filtered run's fresh
numbers are never compared with stale peers. Entries of an older harness (other units, other
setups) are left out of the tables.

Errors and verdicts. JMH's score error is the half-width of the 99.9% confidence interval of the
score (Student's t over every measured iteration of every fork). For a ratio a/b of two scores
with intervals [a-ea, a+ea] and [b-eb, b+eb] the interval is [(a-ea)/(b+eb), (a+ea)/(b-eb)]
(interval arithmetic: every a and b in their intervals gives a ratio inside it; unbounded when
b-eb <= 0). A goal "ratio at most G" is met when the whole interval is at most G, not met when the
whole interval is above G, and undecided otherwise; also undecided when a score has no error (one
iteration), when the rows come from different runs, or when a row is still drifting (see below).
A goal over several rows is met when every row meets it, not met when one row does not, and
undecided otherwise. The timer footprint is one heap measurement without an interval: its goal is
judged on the value +-FOOTPRINT_MARGIN. Node's figures are medians of timed rounds; their interval is the
distribution-free 99.9% confidence interval of the median (order statistics of the rounds),
written by bench/node/reference.js.

Async bodies outside JMH (bench/run, when it runs Await): AwaitMillion and its Node twin print the
median, fastest and slowest of their timed rounds; with seven rounds, [fastest, slowest] covers the
median with 98.4% confidence (distribution-free: 1 - 2 * 0.5^7), and a ratio's interval is the
interval arithmetic of the two. AwaitFootprint (retained bytes per suspended body) is one heap
measurement per case, judged on the value +-BODY_FOOTPRINT_MARGIN: a suspended virtual thread's
stack chunk holds its frames as the JIT compiler had compiled them, which moves it by 20 to 80
bytes from one JVM to the next.

Steady state. For every row, drift = the mean over forks of (mean of the second half of the fork's
measured iterations - mean of the first half) / the fork's mean. A row whose |drift| exceeds
DRIFT_LIMIT is marked "drifting": its warm-up did not reach steady state, and goals using it are
undecided. `report.py --warmup jmh.txt` prints every fork's warm-up and measured iterations from
JMH's text output (bench/run writes that table to bench/results/warmup.txt).

Tests: python3 bench/test_report.py
"""
import argparse
import json
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "results")
BEGIN = "<!-- bench:results:begin (written by bench/run; edits here are lost) -->"
END = "<!-- bench:results:end -->"

# Version of the harness: rows measured with another version are not shown (2: one hand-off per
# 100,000 operations, scores per operation, fair floors, the peers' fast columns, 3 forks).
HARNESS = 2
DRIFT_LIMIT = 0.10
# TimerFootprint is one heap measurement (retained bytes after GC) with no interval; repeated runs
# agree within a few tenths of a byte, so its goal is decided outside this relative margin.
FOOTPRINT_MARGIN = 0.02
BODY_FOOTPRINT_MARGIN = 0.08  # see the module docstring: the stack chunk moves by up to 80 B

IMPLS = ["eventual", "eventualFastPath", "eventualVirtualLoop", "completableFuture", "kotlinCoroutine", "netty", "nettyNio",
         "vertx", "guava", "guavaDirect", "reactor", "reactorDirect", "floor"]
SCENARIOS = ["ResolveThen", "Chain", "AllOf", "CrossThreadSubmit", "SmallBatch", "Timers", "Await", "HttpGet"]
# Scenarios whose JMH score is per batch of `n` items: the tables show cost per item.
PER_N = {"Timers": "timer", "HttpGet": "GET"}
# The others' JMH score is already per operation (@OperationsPerInvocation) or per invocation.
PER_OP = {"ResolveThen": "promise", "Chain": "link", "AllOf": "input", "CrossThreadSubmit": "task",
          "SmallBatch": "hand-off (chain of 10)", "Await": "await"}
TO_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}

MET, NOT_MET, UNDECIDED = "met", "not met", "undecided"


# ------------------------------------------------------------------ figures with errors

class Figure:
    """A score (ns per item) with the half-width of its 99.9% interval (None: unknown), or an
    explicit interval [lo, hi] (Node's medians)."""

    def __init__(self, value, err=None, lo=None, hi=None, run=None, drift=None):
        self.value = value
        self.err = err
        self._lo = lo
        self._hi = hi
        self.run = run
        self.drift = drift

    def interval(self):
        if self._lo is not None and self._hi is not None:
            return self._lo, self._hi
        if self.err is None:
            return None
        return self.value - self.err, self.value + self.err

    def steady(self):
        return self.drift is None or abs(self.drift) <= DRIFT_LIMIT


def ratio_interval(a, b):
    """Interval of a / b from the intervals of a and b (a, b: Figure); None when either has none."""
    ia, ib = a.interval(), b.interval()
    if ia is None or ib is None:
        return None
    lo = max(ia[0], 0.0) / ib[1] if ib[1] > 0 else math.inf
    hi = ia[1] / ib[0] if ib[0] > 0 else math.inf
    return lo, hi


def verdict(interval, bound):
    """met / not met / undecided for "ratio at most bound", from the ratio's interval."""
    if interval is None:
        return UNDECIDED
    lo, hi = interval
    if hi <= bound:
        return MET
    if lo > bound:
        return NOT_MET
    return UNDECIDED


def combine(verdicts):
    """A goal over several rows: met if all are, not met if one is not, else undecided."""
    if not verdicts:
        return UNDECIDED
    if any(v == NOT_MET for v in verdicts):
        return NOT_MET
    if all(v == MET for v in verdicts):
        return MET
    return UNDECIDED


def compare(a, b, bound):
    """(ratio, interval, verdict, note) of a / b against "at most bound"."""
    r = a.value / b.value if b.value > 0 else math.inf
    if a.run != b.run:
        return r, None, UNDECIDED, "different runs"
    iv = ratio_interval(a, b)
    if iv is None:
        return r, None, UNDECIDED, "no error"
    if not (a.steady() and b.steady()):
        return r, iv, UNDECIDED, "drifting"
    return r, iv, verdict(iv, bound), ""


def drift(raw):
    """Mean over forks of (second-half mean - first-half mean) / fork mean; None if no fork has 2 iterations."""
    ds = []
    for fork in raw or []:
        k = len(fork) // 2
        if k == 0:
            continue
        mean = sum(fork) / len(fork)
        if mean <= 0:
            continue
        ds.append((sum(fork[-k:]) / k - sum(fork[:k]) / k) / mean)
    return sum(ds) / len(ds) if ds else None


# ------------------------------------------------------------------ entries and runs

def key(entry):
    return entry["benchmark"] + json.dumps(entry.get("params", {}), sort_keys=True)


def scenario_of(entry):
    return entry["benchmark"].split(".")[-2]


def impl_of(entry):
    return entry["benchmark"].split(".")[-1]


def merge(latest, run, run_id):
    """latest (list of entries) with run's entries, tagged with run_id and HARNESS, replacing the
    rows they measure; every other row keeps its own run id."""
    tagged = [dict(e, run=run_id, harness=HARNESS) for e in run]
    fresh = {key(e) for e in tagged}
    return [e for e in latest if key(e) not in fresh] + tagged


def current(entries):
    """The entries of this harness version, and how many older ones were left out."""
    kept = [e for e in entries if e.get("harness") == HARNESS]
    return kept, len(entries) - len(kept)


def normalise(entry):
    """(time Figure in ns per item, bytes Figure per item or None) for one JMH entry."""
    scenario = scenario_of(entry)
    pm = entry["primaryMetric"]
    div = float(entry["params"]["n"]) if scenario in PER_N else 1.0
    scale = TO_NS[pm["scoreUnit"]] / div
    err = pm.get("scoreError")
    err = err * scale if isinstance(err, (int, float)) and not math.isnan(err) else None
    raw = pm.get("rawData")
    time = Figure(pm["score"] * scale, err, run=entry.get("run"), drift=drift(raw))
    alloc = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    b = None
    if alloc:
        aerr = alloc.get("scoreError")
        aerr = aerr / div if isinstance(aerr, (int, float)) and not math.isnan(aerr) else None
        b = Figure(alloc["score"] / div, aerr, run=entry.get("run"))
    return time, b


def rows_by_scenario(entries):
    table = {}
    for e in entries:
        params = tuple(sorted(e.get("params", {}).items()))
        table.setdefault(scenario_of(e), {}).setdefault(params, {})[impl_of(e)] = normalise(e)
    return table


def node_figure(scenario, params, node):
    """Node's figure (ns per item, with its interval and run) for a row, or None."""
    if not node:
        return None
    if scenario == "Chain":
        k = f"chain.{params['source']}.{params['n']}.total"
    elif scenario in ("ResolveThen", "Await"):
        k = scenario[0].lower() + scenario[1:]
    else:
        return None
    if k not in node:
        return None
    return Figure(node[k], lo=node.get(k + ".lo"), hi=node.get(k + ".hi"), run=node_run(node, k.split(".")[0]))


# Node's figures by the JMH scenario they stand beside: the first part of each key of node.json.
NODE_GROUPS = {"chain": "Chain", "resolveThen": "ResolveThen", "await": "Await"}


def node_run(node, group):
    """The run that measured Node's figures of group: its own id, or the file's (older format)."""
    return node.get(f"run.{group}", node.get("run"))


def merge_node(old, new, run_id, measured):
    """node.json after a run: reference.js measures every group, but a run replaces only the groups
    whose JMH scenario it measured (measured: scenario names), so that each Node figure keeps the
    run of the rows it is compared with; the other groups keep their figures and run ids."""
    old = old or {}

    def of(figures, group):
        return {k: v for k, v in figures.items() if k.split(".")[0] == group}

    out = {"node": new.get("node", old.get("node"))}
    for group, scenario in NODE_GROUPS.items():
        kept = of(old, group)
        if kept and scenario not in measured:
            out.update(kept)
            out[f"run.{group}"] = node_run(old, group)
        else:
            out.update(of(new, group))
            out[f"run.{group}"] = run_id
    return out


# ------------------------------------------------------------------ formatting

def fmt_ns(x):
    if x is None:
        return ""
    if math.isinf(x):
        return "inf"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_ratio(r, iv):
    if iv is None:
        return f"{r:.2f}x"
    return f"{r:.2f}x [{fmt_r(iv[0])}, {fmt_r(iv[1])}]"


def fmt_r(x):
    return "inf" if math.isinf(x) else f"{x:.2f}"


def fmt_params(params):
    return ", ".join(f"{k}={v}" for k, v in params) or "-"


def param_sort_key(params):
    return tuple((k, int(v) if v.isdigit() else v) for k, v in params)


def fmt_verdict(v):
    return {MET: "met", NOT_MET: "**not met**", UNDECIDED: "undecided"}[v]


def scenario_table(name, rows, node):
    unit = PER_N.get(name) or PER_OP.get(name, "op")
    out = [f"### {name}", ""]
    if name == "SmallBatch":
        out += ["The hand-off itself, not a goal: one chain of 10 links per task, one task per invocation "
                "(the other scenarios spread one hand-off over 100,000 operations).", ""]
    out.append(f"| params | implementation | ns per {unit} | ± error | B per {unit} | Eventual ÷ this [99.9% interval] "
               f"| steady | run |")
    out.append("|---|---|---:|---:|---:|---:|---|---|")
    for params in sorted(rows, key=param_sort_key):
        impls = rows[params]
        ev = impls.get("eventual")
        for impl in IMPLS:
            if impl not in impls:
                continue
            t, b = impls[impl]
            ratio = ""
            if ev and impl != "eventual":
                r, iv, _, note = compare(ev[0], t, math.inf)
                ratio = "other run" if note == "different runs" else fmt_ratio(r, iv)
            steady = "" if t.drift is None else ("yes" if t.steady() else f"**drifting {t.drift:+.0%}**")
            out.append(f"| {fmt_params(params)} | {impl} | {fmt_ns(t.value)} | {fmt_ns(t.err)} | "
                       f"{'' if b is None else f'{b.value:.1f}'} | {ratio} | {steady} | {t.run or ''} |")
        nf = node_figure(name, dict(params), node)
        if nf is not None:
            ratio = ""
            if ev:
                r, iv, _, note = compare(ev[0], nf, math.inf)
                ratio = "other run" if note == "different runs" else fmt_ratio(r, iv)
            out.append(f"| {fmt_params(params)} | Node.js (outside JMH) | {fmt_ns(nf.value)} | | | {ratio} | | {nf.run or ''} |")
    out.append("")
    return out


# ------------------------------------------------------------------ goals

def goals(table, footprint, node, bodies=None):
    """One row per goal: the measured ratios with their intervals, and the verdict."""
    out = ["### Goals", "",
           "Ratio = Eventual's time (or bytes) per operation ÷ the peer's, both from one run. Each ratio is shown "
           "with its 99.9% interval [lo, hi], from the two scores' 99.9% intervals. A row is met when the whole "
           "interval is within the bound, not met when the whole interval is beyond it, undecided otherwise "
           "(and when the rows come from different runs, or a row is still drifting); a goal over several rows "
           "is met when all are, not met when one is not.", "",
           "| goal | measured | verdict |", "|---|---|---|"]

    def rows(scenario, where=None):
        for params, impls in sorted(table.get(scenario, {}).items(), key=lambda kv: param_sort_key(kv[0])):
            if where is None or where(dict(params)):
                yield params, impls

    def time_vs(scenario, peer, where=None):
        return [(fmt_params(p), impls["eventual"][0], impls[peer][0]) for p, impls in rows(scenario, where)
                if "eventual" in impls and peer in impls]

    def goal(text, pairs, bound):
        """pairs: (label, Figure a, Figure b): a / b at most bound."""
        if not pairs:
            out.append(f"| {text} | not measured | undecided |")
            return
        parts, vs = [], []
        for label, a, b in pairs:
            r, iv, v, note = compare(a, b, bound)
            vs.append(v)
            parts.append(f"{label}: {fmt_ratio(r, iv)}" + (f" ({note})" if note else ""))
        out.append(f"| {text} | {'; '.join(parts)} | {fmt_verdict(combine(vs))} |")

    def absolute(text, figs, bound, unit):
        """figs: (label, Figure): the figure at most bound (its interval's upper end decides)."""
        if not figs:
            out.append(f"| {text} | not measured | undecided |")
            return
        parts, vs = [], []
        for label, f in figs:
            iv = f.interval()
            vs.append(verdict(iv, bound))
            parts.append(f"{label}: {f.value:.1f} {unit}" + (f" [{iv[0]:.1f}, {iv[1]:.1f}]" if iv else " (no error)"))
        out.append(f"| {text} | {'; '.join(parts)} | {fmt_verdict(combine(vs))} |")

    big = lambda p: p.get("n") in ("1000", "100000")
    pending = lambda p: big(p) and p.get("source") == "pending"
    resolved = lambda p: big(p) and p.get("source") == "resolved"
    n10k = lambda p: p.get("n") == "10000"

    # Goals of issue 18 (the fair harness).
    goal("ResolveThen: at most 0.7x completableFuture", time_vs("ResolveThen", "completableFuture"), 0.7)
    goal("ResolveThen: at most 1.3x netty (DefaultPromise on its own loop)", time_vs("ResolveThen", "netty"), 1.3)
    goal("ResolveThen: at most 2.5x floor", time_vs("ResolveThen", "floor"), 2.5)
    absolute("ResolveThen: at most 48 B per operation",
             [(fmt_params(p), impls["eventual"][1]) for p, impls in rows("ResolveThen")
              if "eventual" in impls and impls["eventual"][1] is not None], 48, "B")
    goal("Chain n=1,000 and 100,000: at most 0.6x completableFuture built then completed (source=pending)",
         time_vs("Chain", "completableFuture", pending), 0.6)
    goal("Chain n=1,000 and 100,000: at most 2.0x completableFuture on a completed source (source=resolved)",
         time_vs("Chain", "completableFuture", resolved), 2.0)
    node_pairs = []
    for p, impls in rows("Chain", big):
        nf = node_figure("Chain", dict(p), node)
        if "eventual" in impls and nf is not None:
            node_pairs.append((fmt_params(p), impls["eventual"][0], nf))
    goal("Chain n=1,000 and 100,000: at most 0.5x Node.js per link", node_pairs, 0.5)
    absolute("Chain n=1,000 and 100,000: at most 40 B per link",
             [(fmt_params(p), impls["eventual"][1]) for p, impls in rows("Chain", big)
              if "eventual" in impls and impls["eventual"][1] is not None], 40, "B")
    lin = []
    for source in ["resolved", "pending"]:
        per = {dict(p)["n"]: impls["eventual"][0] for p, impls in rows("Chain", lambda q: q.get("source") == source)
               if "eventual" in impls}
        if "1000" in per and "100000" in per:
            lin.append((f"source={source}, n=100000 ÷ n=1000", per["100000"], per["1000"]))
    goal("Chain: linear in n (per-link cost at n=100,000 at most 2x that at n=1,000)", lin, 2.0)
    goal("AllOf n=10,000: at most 0.7x completableFuture (allOf, values collected with join)",
         time_vs("AllOf", "completableFuture", n10k), 0.7)
    goal("CrossThreadSubmit: throughput at least Netty's NIO loop's (time ratio at most 1.0x)",
         time_vs("CrossThreadSubmit", "nettyNio"), 1.0)
    goal("CrossThreadSubmit: throughput at least 0.8x the floor (time ratio at most 1.25x)",
         time_vs("CrossThreadSubmit", "floor"), 1.25)
    goal("HttpGet: fetch at least 0.95x the raw HttpClient's throughput (time ratio at most 1.053x; "
         "column completableFuture)", time_vs("HttpGet", "completableFuture"), 1 / 0.95)

    # Earlier goals, kept: against every loop peer in both its setups, and the floors.
    for scenario in ["ResolveThen", "Chain", "AllOf"]:
        for peers in (["netty"], ["vertx"], ["guava", "guavaDirect"], ["reactor", "reactorDirect"]):
            pairs = []
            for peer in peers:
                pairs += [(f"{peer} {label}", a, b) for label, a, b in time_vs(scenario, peer)]
            goal(f"{scenario}: at most 1.0x {' and '.join(peers)}", pairs, 1.0)
        if scenario != "ResolveThen":
            goal(f"{scenario}: at most 2.0x floor", time_vs(scenario, "floor"), 2.0)
    goal("CrossThreadSubmit: throughput at least Netty's DefaultEventLoop's (time ratio at most 1.0x)",
         time_vs("CrossThreadSubmit", "netty"), 1.0)
    goal("Timers: schedule+cancel at most 1.0x Netty HashedWheelTimer", time_vs("Timers", "netty"), 1.0)
    goal("Timers: schedule+cancel at most 0.5x ScheduledThreadPoolExecutor (column completableFuture)",
         time_vs("Timers", "completableFuture"), 0.5)
    per_timer = {dict(p)["n"]: impls["eventual"][0] for p, impls in rows("Timers") if "eventual" in impls}
    if "1000" in per_timer and "1000000" in per_timer:
        goal("Timers: cost per timer flat from 1,000 to 1,000,000 (n=1,000,000 ÷ n=1,000 at most 2x)",
             [("per timer", per_timer["1000000"], per_timer["1000"])], 2.0)
    goal("Await: at most 1.0x CompletableFuture.join on a virtual thread", time_vs("Await", "completableFuture"), 1.0)
    await_goals(table, node, bodies or {}, goal, absolute,
                lambda text, measured: out.append(f"| {text} | {measured} | (no goal) |"))
    if footprint and "eventual" in footprint:
        # One heap measurement, no interval: decided only outside a margin of FOOTPRINT_MARGIN.
        ok = verdict((footprint["eventual"] * (1 - FOOTPRINT_MARGIN), footprint["eventual"] * (1 + FOOTPRINT_MARGIN)), 64)
        out.append(f"| Timers: at most 64 bytes retained per pending timer (one measurement, ±{FOOTPRINT_MARGIN:.0%} margin) "
                   f"| {footprint['eventual']:.1f} B (run {footprint.get('run') or 'unknown'}) | {fmt_verdict(ok)} |")
    out.append("")
    return out


# ------------------------------------------------------------------ warm-up

ITER = re.compile(r"^(# Warmup Iteration|Iteration)\s+(\d+):\s+([0-9.,]+|≈\s*\S+)\s+(\S+)")


def parse_number(text):
    text = text.strip()
    if text.startswith("≈"):
        return 0.0
    # JMH prints with the default locale: "1,234.567" or "1234,567"; a comma before exactly three
    # digits and a later dot is a thousands separator.
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    return float(text)


def parse_jmh_text(lines):
    """{(benchmark, params): [{"warmup": [...], "measured": [...], "unit": u}, one per fork]} from
    JMH's human-readable output."""
    out = {}
    bench = params = None
    fork = None
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("# Benchmark:"):
            bench = line.split(":", 1)[1].strip()
            params = ""
        elif line.startswith("# Parameters:"):
            params = line.split(":", 1)[1].strip()
        elif line.startswith("# Fork:") or (line.startswith("# Warmup Iteration") and fork is None):
            fork = {"warmup": [], "measured": [], "unit": ""}
            out.setdefault((bench, params), []).append(fork)
        m = ITER.match(line)
        if m and bench is not None:
            if fork is None:
                fork = {"warmup": [], "measured": [], "unit": ""}
                out.setdefault((bench, params), []).append(fork)
            fork["unit"] = m.group(4)
            (fork["warmup"] if m.group(1).startswith("#") else fork["measured"]).append(parse_number(m.group(3)))
        if line.startswith("# Run complete") or line.startswith("Result \""):
            fork = None
        if line.startswith("# Benchmark:"):
            fork = None
    return out


def warmup_report(parsed):
    """Lines: per benchmark and fork, the warm-up and measured iterations, and a check of each."""
    out = ["Warm-up check: per fork, the warm-up iterations, then the measured ones (JMH's units).",
           "settle = mean of the last 3 warm-up iterations ÷ mean of the measured ones - 1 (near 0: the warm-up "
           "reached the measured level); drift = (mean of the second half of the measured iterations - mean of "
           f"the first half) ÷ their mean; a row is flagged when the mean drift over its forks exceeds {DRIFT_LIMIT:.0%}.",
           ""]
    flagged = []
    for (bench, params), forks in sorted(parsed.items()):
        name = bench.replace("dev.eventual.bench.", "") + (f" {params}" if params else "")
        out.append(name)
        drifts = []
        for i, f in enumerate(forks, 1):
            w, m = f["warmup"], f["measured"]
            settle = ""
            if w and m:
                tail = w[-3:]
                settle = f"settle {sum(tail) / len(tail) / (sum(m) / len(m)) - 1:+.0%}"
            d = drift([m])
            if d is not None:
                drifts.append(d)
            out.append(f"  fork {i}: warm-up {' '.join(fmt_ns(x) for x in w) or '-'} | measured "
                       f"{' '.join(fmt_ns(x) for x in m) or '-'} {f['unit']} | {settle}"
                       f"{'' if d is None else f', drift {d:+.0%}'}")
        if drifts and abs(sum(drifts) / len(drifts)) > DRIFT_LIMIT:
            flagged.append(f"{name}: mean drift {sum(drifts) / len(drifts):+.0%}")
    out.append("")
    out.append("Drifting rows: " + ("; ".join(flagged) if flagged else "none"))
    return out


# ------------------------------------------------------------------ chart

COLORS = {"eventual": "#d62728", "completableFuture": "#1f77b4", "netty": "#2ca02c", "nettyNio": "#98df8a",
          "vertx": "#9467bd", "guava": "#8c564b", "guavaDirect": "#c49c94", "reactor": "#e377c2",
          "reactorDirect": "#f7b6d2", "floor": "#7f7f7f", "Node.js": "#ff7f0e"}


def panel(title, series, x0, y0, w, h):
    """One log-log panel: series is {name: [(n, ns), ...]}."""
    pts = [p for s in series.values() for p in s if p[1] > 0]
    if not pts:
        return []
    xs = [math.log10(p[0]) for p in pts]
    ys = [math.log10(p[1]) for p in pts]
    xmin, xmax = min(xs), max(xs)
    ymin, ymax = math.floor(min(ys)), math.ceil(max(ys))
    if xmax == xmin:
        xmax = xmin + 1
    if ymax == ymin:
        ymax = ymin + 1
    # The legend column right of the plot holds the longest name ("completableFuture") at 11 px.
    left, top, pw, ph = x0 + 60, y0 + 30, w - 210, h - 70

    def sx(n):
        return left + (math.log10(n) - xmin) / (xmax - xmin) * pw

    def sy(v):
        return top + ph - (math.log10(v) - ymin) / (ymax - ymin) * ph

    out = [f'<text x="{x0 + w / 2 - 60}" y="{y0 + 18}" font-size="14" font-weight="bold">{title}</text>',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for e in range(ymin, ymax + 1):
        y = sy(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{10 ** e:g} ns</text>')
    for n in sorted({p[0] for p in pts}):
        x = sx(n)
        out.append(f'<text x="{x:.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle">n={n:,}</text>')
    for i, (name, s) in enumerate(series.items()):
        s = sorted(p for p in s if p[1] > 0)
        if not s:
            continue
        color = COLORS.get(name, "#000")
        dash = ' stroke-dasharray="5,3"' if name == "Node.js" else ""
        path = " ".join(f"{'M' if j == 0 else 'L'}{sx(n):.1f},{sy(v):.1f}" for j, (n, v) in enumerate(s))
        out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        for n, v in s:
            out.append(f'<circle cx="{sx(n):.1f}" cy="{sy(v):.1f}" r="3" fill="{color}"/>')
        ly = top + 12 + i * 16
        out.append(f'<line x1="{left + pw + 12}" y1="{ly - 4}" x2="{left + pw + 30}" y2="{ly - 4}" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + pw + 34}" y="{ly}" font-size="11">{name}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{top + ph + 34}" font-size="11" text-anchor="middle">'
               f'n (log scale); y: ns per item (log scale)</text>')
    return out


def chart(table, node, path):
    panels = []
    for source in ["pending", "resolved"]:
        series = {}
        for params, impls in table.get("Chain", {}).items():
            p = dict(params)
            if p.get("source") != source:
                continue
            for impl, (t, _) in impls.items():
                series.setdefault(impl, []).append((int(p["n"]), t.value))
        if node:
            series["Node.js"] = [(n, node[f"chain.{source}.{n}.total"]) for n in (10, 1000, 100000, 1000000)
                                 if f"chain.{source}.{n}.total" in node]
        panels.append((f"Chain, source={source}: ns per link", series))
    series = {}
    for params, impls in table.get("Timers", {}).items():
        for impl, (t, _) in impls.items():
            series.setdefault(impl, []).append((int(dict(params)["n"]), t.value))
    panels.append(("Timers: ns per timer (schedule, cancel 90%)", series))
    w, h = 840, 300
    body = []
    for i, (title, series) in enumerate(panels):
        body += panel(title, {k: series[k] for k in IMPLS + ["Node.js"] if k in series}, 0, i * h, w, h)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h * len(panels)}" '
           f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'] + body + ["</svg>"]
    write_text(path, "\n".join(svg) + "\n")


# ------------------------------------------------------------------ main

def load_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def save_json(path, value, **kwargs):
    with open(path, "w") as f:
        json.dump(value, f, indent=1, **kwargs)


def read_text(path):
    with open(path) as f:
        return f.read()


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def runs_table(meta, used):
    out = ["| run | mode | command | load average (start; end) | JDK | machine |", "|---|---|---|---|---|---|"]
    for run_id in sorted(used):
        m = meta.get(run_id, {})
        out.append(f"| {run_id} | {m.get('mode', '?')} | `{m.get('command', '?')}` | {m.get('load', '?')} | "
                   f"{m.get('jdk', '?')} | {m.get('machine', '?')} |")
    return out + [""]


def parse_footprint(text):
    """{implementation: bytes per pending timer, "run": run id or None} from footprint.txt."""
    out = {"run": None}
    for line in text.splitlines():
        m = re.match(r"# run (\S+)$", line.strip())
        if m:
            out["run"] = m.group(1)
        m = re.match(r"(\w+) ([0-9.]+)$", line.strip())
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def await_goals(table, node, bodies, goal, absolute, info):
    """The goals of issue 19 (await at coroutine speed): the JMH Await columns, Node's await, and
    the figures of AwaitMillion and AwaitFootprint (parse_bodies) from the same bench/run."""
    impls = table.get("Await", {}).get((), {})
    fig = lambda col: impls[col][0] if col in impls else None
    default, fast, virtual = fig("eventual"), fig("eventualFastPath"), fig("eventualVirtualLoop")
    absolute("Await, default path (loop on a platform thread): at most 2 us per await",
             [("eventual", default)] if default else [], 2000, "ns")
    absolute("Await, no flag, loop run on a virtual thread: at most 2 us per await (not the default; shown beside it)",
             [("eventualVirtualLoop", virtual)] if virtual else [], 2000, "ns")
    cf = fig("completableFuture")
    goal("Await, default path: at most 0.25x CompletableFuture.join on a virtual thread",
         [("eventual", default, cf)] if default and cf else [], 0.25)
    nf = node_figure("Await", {}, node)
    goal("Await, fast path: at most 2x Node.js's await",
         [("eventualFastPath", fast, nf)] if fast and nf else [], 2.0)
    kt = fig("kotlinCoroutine")
    goal("Await, fast path: at most 2x Kotlin's suspend/resume (single-thread dispatcher)",
         [("eventualFastPath", fast, kt)] if fast and kt else [], 2.0)
    run = bodies.get("run")
    million = bodies.get("million", {})

    def rounds(key):
        m = million.get(key)
        return Figure(m[0], lo=m[1], hi=m[2], run=run) if m else None

    for mode, text in (("single", "in one body"),
                       ("interleaved", "in two bodies taking turns, so that every await suspends (the goal's intent: "
                                       "one body's awaits go on without suspending)")):
        e, n = rounds(f"eventual.fast.{mode}"), rounds(f"node.{mode}")
        goal(f"Await: 1,000,000 awaits of a resolved promise {text}, fast path: at most 3x Node.js",
             [("fast path", e, n)] if e and n else [], 3.0)
        d = rounds(f"eventual.default.{mode}")
        if d and n:
            r, iv, _, _ = compare(d, n, 3.0)
            info(f"Await: the same, {mode}, default path (no goal)", f"{fmt_ns(d.value)} ns per await: {fmt_ratio(r, iv)}")
    foot = bodies.get("footprint", {})
    for case, text in (("eventualTimer", "awaiting its own timer (the goal's case)"),
                       ("eventual", "awaiting one shared pending promise")):
        figs = []
        for path in ("default", "fast"):
            b = foot.get(f"{path}.{case}")
            if b is not None:
                figs.append((f"{path} path", Figure(b, lo=b * (1 - BODY_FOOTPRINT_MARGIN), hi=b * (1 + BODY_FOOTPRINT_MARGIN))))
        absolute(f"Await: at most 1 KB retained per suspended body {text} (one measurement each, "
                 f"±{BODY_FOOTPRINT_MARGIN:.0%} margin)", figs, 1024, "B")


def parse_bodies(text):
    """AwaitMillion's and AwaitFootprint's figures from bench/run's await.txt: {"run": id,
    "million": {key: (median ns per await, fastest, slowest)}, "footprint": {key: bytes}}.
    Lines: "# run ID"; "million.KEY N median_ms M min_ms A max_ms B" (the programs' own line,
    prefixed); "footprint.PATH.CASE BYTES [...]"."""
    out = {"run": None, "million": {}, "footprint": {}}
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"# run (\S+)$", line)
        if m:
            out["run"] = m.group(1)
        m = re.match(r"million\.(\S+) awaits (\d+) median_ms ([0-9.]+) min_ms ([0-9.]+) max_ms ([0-9.]+)$", line)
        if m:
            n = int(m.group(2))
            per = lambda ms: float(ms) * 1e6 / n
            out["million"][m.group(1)] = (per(m.group(3)), per(m.group(4)), per(m.group(5)))
        m = re.match(r"footprint\.(\S+) ([0-9.]+)\b", line)
        if m:
            out["footprint"][m.group(1)] = float(m.group(2))
    return out


def results_section(entries, meta, node, footprint, dropped, bodies=None):
    table = rows_by_scenario(entries)
    used = {e["run"] for e in entries}
    used |= {node_run(node, g) for g in NODE_GROUPS if node_run(node, g)} if node else set()
    used |= {footprint["run"]} if footprint.get("run") else set()
    used |= {bodies["run"]} if bodies and bodies.get("run") else set()
    out = [BEGIN, "", "## Latest results", ""]
    out.append("Every row names the `bench/run` invocation that measured it (UTC start time); the runs:")
    out.append("")
    out += runs_table(meta, used)
    if any(meta.get(r, {}).get("mode") != "full" for r in used):
        out += ["Rows from a `quick` run (one fork, two half-second iterations) check the harness; they are not "
                "results, and their errors leave most goals undecided.", ""]
    if dropped:
        out += [f"{dropped} rows measured with an earlier harness (other units and setups) are not shown; "
                "they stay in `bench/results/latest.json`.", ""]
    if node:
        out.append(f"Node.js {node['node']} ran `bench/node/reference.js` (outside JMH: medians of timed rounds "
                   "after warm-up rounds, `process.hrtime`; interval: the 99.9% confidence interval of the median).")
        out.append("")
    out += goals(table, footprint, node, bodies)
    for s in SCENARIOS:
        if s in table:
            out += scenario_table(s, table[s], node)
    impls = {k: v for k, v in footprint.items() if k != "run"}
    if impls:
        out += ["### Retained bytes per pending timer", "",
                "`TimerFootprint`: heap growth after GC with 1,000,000 pending one-hour timers, divided by their number "
                "(includes the 4-byte slot of the array that holds the handles); "
                f"run {footprint.get('run') or 'unknown (before runs had ids)'}.", "",
                "| implementation | bytes per pending timer |", "|---|---:|"]
        out += [f"| {k} | {v:.1f} |" for k, v in impls.items()]
        out.append("")
    out += ["![cost per item against n](benchmarks.svg)", "", END]
    return out, table


def write_section(md_path, out):
    text = read_text(md_path) if os.path.exists(md_path) else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN not in text:
        text += "\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    write_text(md_path, head + "\n".join(out) + tail)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--warmup", metavar="JMH_TXT", help="only print the warm-up check of JMH's text output")
    ap.add_argument("--run-json")
    ap.add_argument("--run-id")
    ap.add_argument("--mode")
    ap.add_argument("--command")
    ap.add_argument("--jdk")
    ap.add_argument("--machine")
    ap.add_argument("--load", default="?")
    ap.add_argument("--node", help="Node's figures measured in this run (stored with its run id)")
    ap.add_argument("--footprint", help="TimerFootprint's output from this run (stored with its run id)")
    ap.add_argument("--bodies", help="AwaitMillion's and AwaitFootprint's figures from this run (stored with its run id)")
    ap.add_argument("--results", default=RESULTS)
    ap.add_argument("--markdown", default=os.path.join(ROOT, "BENCHMARKS.md"))
    ap.add_argument("--svg", default=os.path.join(ROOT, "benchmarks.svg"))
    a = ap.parse_args(argv)
    if a.warmup:
        print("\n".join(warmup_report(parse_jmh_text(read_text(a.warmup).splitlines()))))
        return
    latest_path = os.path.join(a.results, "latest.json")
    meta_path = os.path.join(a.results, "latest-meta.json")
    node_path = os.path.join(a.results, "node.json")
    footprint_path = os.path.join(a.results, "footprint.txt")
    meta = load_json(meta_path, {})
    meta = meta.get("runs", {}) if "runs" in meta else {}  # the per-scenario format before runs had ids
    entries = load_json(latest_path, [])
    run = load_json(a.run_json, []) if a.run_json else []
    if a.run_json:
        entries = merge(entries, run, a.run_id)
        meta[a.run_id] = {"mode": a.mode, "command": a.command, "jdk": a.jdk, "machine": a.machine, "load": a.load}
        save_json(latest_path, entries)
        save_json(meta_path, {"runs": meta}, sort_keys=True)
    if a.node:
        measured = {scenario_of(e) for e in run}
        save_json(node_path, merge_node(load_json(node_path, None), load_json(a.node, {}), a.run_id, measured))
    node = load_json(node_path, None)
    if a.footprint:
        write_text(footprint_path, f"# run {a.run_id}\n" + read_text(a.footprint))
    footprint = parse_footprint(read_text(footprint_path)) if os.path.exists(footprint_path) else {}
    bodies_path = os.path.join(a.results, "await.txt")
    if a.bodies:
        write_text(bodies_path, f"# run {a.run_id}\n" + read_text(a.bodies))
    bodies = parse_bodies(read_text(bodies_path)) if os.path.exists(bodies_path) else {}
    shown, dropped = current(entries)
    out, table = results_section(shown, meta, node, footprint, dropped, bodies)
    write_section(a.markdown, out)
    chart(table, node, a.svg)


if __name__ == "__main__":
    main(sys.argv[1:])
