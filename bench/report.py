#!/usr/bin/env python3
"""Turns a JMH JSON run (plus Node's reference figures and the timer footprint) into the results
section of BENCHMARKS.md and the chart benchmarks.svg. Called by bench/run; see it for the inputs.

The results of a run are merged into bench/results/latest.json by (benchmark, params), so a run of
one scenario updates that scenario's rows and leaves the others as the last run left them; every
scenario's section says when and how it was measured.
"""
import json
import math
import os
import re
import sys
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "results")
BEGIN = "<!-- bench:results:begin (written by bench/run; edits here are lost) -->"
END = "<!-- bench:results:end -->"

IMPLS = ["eventual", "eventualFastPath", "eventualVirtualLoop", "completableFuture", "kotlinCoroutine", "netty", "vertx",
         "guava", "reactor", "floor"]
SCENARIOS = ["ResolveThen", "Chain", "AllOf", "CrossThreadSubmit", "Timers", "Await", "HttpGet"]
# Scenarios whose JMH score is per batch of `n` items: the tables show cost per item.
PER_N = {"Chain": "link", "AllOf": "input", "Timers": "timer", "HttpGet": "GET"}
PER_OP = {"ResolveThen": "promise", "CrossThreadSubmit": "task", "Await": "await"}
TO_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}
# Peers that deliver handlers asynchronously on a loop (scenarios 1-3 goal: at most 1.0x each).
LOOP_PEERS = ["netty", "vertx", "guava", "reactor"]


def key(entry):
    return entry["benchmark"] + json.dumps(entry.get("params", {}), sort_keys=True)


def merge(latest_path, run_path, meta_path, run_meta):
    latest = json.load(open(latest_path)) if os.path.exists(latest_path) else []
    run = json.load(open(run_path))
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {}
    fresh = {key(e) for e in run}
    merged = [e for e in latest if key(e) not in fresh] + run
    for e in run:
        meta[scenario_of(e)] = run_meta
    json.dump(merged, open(latest_path, "w"), indent=1)
    json.dump(meta, open(meta_path, "w"), indent=1, sort_keys=True)
    return merged, meta


def scenario_of(entry):
    return entry["benchmark"].split(".")[-2]


def impl_of(entry):
    return entry["benchmark"].split(".")[-1]


def normalise(entry):
    """(ns per item, error, bytes per item or None) for one JMH entry."""
    scenario = scenario_of(entry)
    pm = entry["primaryMetric"]
    div = float(entry["params"]["n"]) if scenario in PER_N else 1.0
    ns = pm["score"] * TO_NS[pm["scoreUnit"]] / div
    err = pm["scoreError"]
    err = err * TO_NS[pm["scoreUnit"]] / div if isinstance(err, (int, float)) and not math.isnan(err) else None
    alloc = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    b = alloc["score"] / div if alloc else None
    return ns, err, b


def rows_by_scenario(entries):
    table = {}
    for e in entries:
        s = scenario_of(e)
        params = tuple(sorted(e.get("params", {}).items()))
        table.setdefault(s, {}).setdefault(params, {})[impl_of(e)] = normalise(e)
    return table


def fmt_ns(x):
    if x is None:
        return ""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_params(params):
    return ", ".join(f"{k}={v}" for k, v in params) or "-"


def param_sort_key(params):
    return tuple((k, int(v) if v.isdigit() else v) for k, v in params)


def scenario_table(name, rows, meta, node):
    unit = PER_N.get(name) or PER_OP.get(name, "op")
    out = [f"### {name}", ""]
    if meta:
        out.append(f"Measured {meta['date']}, mode `{meta['mode']}`, command `{meta['command']}`.")
        out.append("")
    out.append(f"| params | implementation | ns per {unit} | ± error | B per {unit} | Eventual ÷ this |")
    out.append("|---|---|---:|---:|---:|---:|")
    for params in sorted(rows, key=param_sort_key):
        impls = rows[params]
        ev = impls.get("eventual")
        for impl in IMPLS:
            if impl not in impls:
                continue
            ns, err, b = impls[impl]
            ratio = f"{ev[0] / ns:.2f}x" if ev and impl != "eventual" and ns > 0 else ""
            out.append(f"| {fmt_params(params)} | {impl} | {fmt_ns(ns)} | {fmt_ns(err)} | "
                       f"{'' if b is None else f'{b:.1f}'} | {ratio} |")
        node_ns = node_figure(name, dict(params), node)
        if node_ns is not None:
            ratio = f"{ev[0] / node_ns:.2f}x" if ev else ""
            out.append(f"| {fmt_params(params)} | Node.js (outside JMH) | {fmt_ns(node_ns)} | | | {ratio} |")
    out.append("")
    return out


def node_figure(scenario, params, node):
    if not node:
        return None
    if scenario == "Chain":
        return node.get(f"chain.{params['source']}.{params['n']}.total")
    if scenario == "ResolveThen":
        return node.get("resolveThen")
    if scenario == "Await":
        return node.get("await")
    return None


def goals(table, footprint):
    """One row per goal of the benchmark issue: what, measured ratio(s), met or not."""
    out = ["### Goals", "",
           "Ratio = Eventual's time per operation ÷ the peer's (lower is better for Eventual). "
           "A goal is met when every listed ratio is within its bound.", "",
           "| goal | measured | met |", "|---|---|---|"]

    def ratios(scenario, peer, bound_for=None):
        found = []
        for params, impls in sorted(table.get(scenario, {}).items(), key=lambda kv: param_sort_key(kv[0])):
            if "eventual" in impls and peer in impls:
                r = impls["eventual"][0] / impls[peer][0]
                bound = bound_for(dict(params)) if bound_for else None
                found.append((fmt_params(params), r, bound))
        return found

    def row(goal, found, bound):
        if not found:
            out.append(f"| {goal} | not measured | - |")
            return
        text = "; ".join(f"{p}: {r:.2f}x" for p, r, _ in found)
        ok = all(r <= (b if b is not None else bound) for _, r, b in found)
        out.append(f"| {goal} | {text} | {'yes' if ok else '**no**'} |")

    for scenario in ["ResolveThen", "Chain", "AllOf"]:
        for peer in LOOP_PEERS:
            row(f"{scenario}: at most 1.0x {peer}", ratios(scenario, peer), 1.0)
        cf_bound = (lambda p: 2.0 if p.get("source") == "resolved" else 1.0) if scenario == "Chain" else None
        row(f"{scenario}: at most 1.0x completableFuture" + (" (2.0x for source=resolved)" if scenario == "Chain" else ""),
            ratios(scenario, "completableFuture", cf_bound), 1.0)
        row(f"{scenario}: at most 2.0x floor", ratios(scenario, "floor"), 2.0)
        for peer in ["guava", "vertx"]:
            found = []
            for params, impls in sorted(table.get(scenario, {}).items(), key=lambda kv: param_sort_key(kv[0])):
                if "eventual" in impls and peer in impls and impls["eventual"][2] is not None and impls[peer][2]:
                    found.append((fmt_params(params), impls["eventual"][2] / impls[peer][2], None))
            row(f"{scenario}: bytes per operation at most {peer}'s (ratio of bytes)", found, 1.0)
    chain = table.get("Chain", {})
    lin = []
    for source in ["resolved", "pending"]:
        per = {int(dict(p)["n"]): impls["eventual"][0] for p, impls in chain.items()
               if dict(p).get("source") == source and "eventual" in impls}
        if 1000 in per and 100000 in per:
            lin.append((f"source={source}, per link n=100000 ÷ n=1000", per[100000] / per[1000], None))
    row("Chain: cost linear in n (per-link cost at n=100,000 at most 2x that at n=1,000)", lin, 2.0)
    row("CrossThreadSubmit: throughput at least Netty's (time ratio at most 1.0x)", ratios("CrossThreadSubmit", "netty"), 1.0)
    row("CrossThreadSubmit: throughput at least 0.8x the floor (time ratio at most 1.25x)",
        ratios("CrossThreadSubmit", "floor"), 1.25)
    row("Timers: schedule+cancel at most 1.0x Netty HashedWheelTimer", ratios("Timers", "netty"), 1.0)
    row("Timers: schedule+cancel at most 0.5x ScheduledThreadPoolExecutor (column completableFuture)",
        ratios("Timers", "completableFuture"), 0.5)
    per_timer = {int(dict(p)["n"]): impls["eventual"][0] for p, impls in table.get("Timers", {}).items() if "eventual" in impls}
    if 1000 in per_timer and 1000000 in per_timer:
        row("Timers: cost per timer flat from 1,000 to 1,000,000 (n=1,000,000 ÷ n=1,000 at most 2x)",
            [("per timer", per_timer[1000000] / per_timer[1000], None)], 2.0)
    row("Await: at most 1.0x CompletableFuture.join on a virtual thread", ratios("Await", "completableFuture"), 1.0)
    # Throughput at least 0.95x the raw client's: time ratio at most 1 / 0.95; both ratios shown.
    http_goal = ("HttpGet: fetch at least 0.95x the raw HttpClient's throughput "
                 "(time ratio at most 1.053x; column completableFuture)")
    http = ratios("HttpGet", "completableFuture")
    if http:
        text = "; ".join(f"{p}: {r:.2f}x (throughput {1 / r:.2f}x)" for p, r, _ in http)
        ok = all(r <= 1 / 0.95 for _, r, _ in http)
        out.append(f"| {http_goal} | {text} | {'yes' if ok else '**no**'} |")
    else:
        row(http_goal, http, 1 / 0.95)
    if footprint and "eventual" in footprint:
        ok = footprint["eventual"] <= 64
        out.append(f"| Timers: at most 64 bytes retained per pending timer | {footprint['eventual']:.1f} B "
                   f"| {'yes' if ok else '**no**'} |")
    out.append("")
    return out


# ------------------------------------------------------------------ chart

COLORS = {"eventual": "#d62728", "completableFuture": "#1f77b4", "netty": "#2ca02c", "vertx": "#9467bd",
          "guava": "#8c564b", "reactor": "#e377c2", "floor": "#7f7f7f", "Node.js": "#ff7f0e"}


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
    left, top, pw, ph = x0 + 60, y0 + 30, w - 180, h - 70

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
            for impl, (ns, _, _) in impls.items():
                series.setdefault(impl, []).append((int(p["n"]), ns))
        if node:
            series["Node.js"] = [(n, node[f"chain.{source}.{n}.total"]) for n in (10, 1000, 100000, 1000000)
                                 if f"chain.{source}.{n}.total" in node]
        panels.append((f"Chain, source={source}: ns per link", series))
    series = {}
    for params, impls in table.get("Timers", {}).items():
        for impl, (ns, _, _) in impls.items():
            series.setdefault(impl, []).append((int(dict(params)["n"]), ns))
    panels.append(("Timers: ns per timer (schedule, cancel 90%)", series))
    w, h = 760, 300
    body = []
    for i, (title, series) in enumerate(panels):
        body += panel(title, {k: series[k] for k in IMPLS + ["Node.js"] if k in series}, 0, i * h, w, h)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h * len(panels)}" '
           f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'] + body + ["</svg>"]
    open(path, "w").write("\n".join(svg) + "\n")


# ------------------------------------------------------------------ main

def main():
    run_path, mode, command, jdk, machine = sys.argv[1:6]
    node_path = os.path.join(RESULTS, "node.json")
    footprint_path = os.path.join(RESULTS, "footprint.txt")
    run_meta = {"date": date.today().isoformat(), "mode": mode, "command": command, "jdk": jdk, "machine": machine}
    entries, meta = merge(os.path.join(RESULTS, "latest.json"), run_path, os.path.join(RESULTS, "latest-meta.json"), run_meta)
    node = json.load(open(node_path)) if os.path.exists(node_path) else None
    footprint = {}
    if os.path.exists(footprint_path):
        for line in open(footprint_path):
            m = re.match(r"(\w+) ([0-9.]+)$", line.strip())
            if m:
                footprint[m.group(1)] = float(m.group(2))
    table = rows_by_scenario(entries)

    out = [BEGIN, "", "## Latest results", ""]
    jdks = sorted({m["jdk"] for m in meta.values()})
    machines = sorted({m["machine"] for m in meta.values()})
    out.append(f"JDK: {'; '.join(jdks)}. Machine: {'; '.join(machines)}.")
    if node:
        out.append(f"Node.js {node['node']} ran `bench/node/reference.js` in the same `bench/run` invocation "
                   "(outside JMH: medians of timed rounds after warm-up rounds, `process.hrtime`).")
    out.append("")
    out += goals(table, footprint)
    for s in SCENARIOS:
        if s in table:
            out += scenario_table(s, table[s], meta.get(s), node)
    if footprint:
        out += ["### Retained bytes per pending timer", "",
                "`TimerFootprint`: heap growth after GC with 1,000,000 pending one-hour timers, divided by their number "
                "(includes the 4-byte slot of the array that holds the handles).", "",
                "| implementation | bytes per pending timer |", "|---|---:|"]
        out += [f"| {k} | {v:.1f} |" for k, v in footprint.items()]
        out.append("")
    out += ["![cost per item against n](benchmarks.svg)", "", END]

    md_path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(md_path).read() if os.path.exists(md_path) else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN not in text:
        text += "\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    open(md_path, "w").write(head + "\n".join(out) + tail)
    chart(table, node, os.path.join(ROOT, "benchmarks.svg"))


if __name__ == "__main__":
    main()
