#!/usr/bin/env python3
"""Tests of bench/report.py's logic: intervals, verdicts, per-row runs, drift, the warm-up parser.
Run: python3 bench/test_report.py"""
import json
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from report import MET, NOT_MET, UNDECIDED, Figure  # noqa: E402


def entry(bench, score, err, run="r1", unit="ns/op", params=None, raw=None, alloc=None, harness=report.HARNESS):
    e = {"benchmark": f"dev.eventual.bench.{bench}", "params": params or {},
         "primaryMetric": {"score": score, "scoreError": err, "scoreUnit": unit,
                           "rawData": raw if raw is not None else [[score] * 4] * 3},
         "secondaryMetrics": {}, "run": run, "harness": harness}
    if alloc is not None:
        e["secondaryMetrics"]["gc.alloc.rate.norm"] = {"score": alloc[0], "scoreError": alloc[1], "scoreUnit": "B/op"}
    return e


class Intervals(unittest.TestCase):
    def test_ratio_interval_is_interval_arithmetic(self):
        lo, hi = report.ratio_interval(Figure(10, 1), Figure(20, 2))
        self.assertAlmostEqual(lo, 9 / 22)
        self.assertAlmostEqual(hi, 11 / 18)

    def test_ratio_interval_unbounded_when_the_divisor_may_be_zero(self):
        lo, hi = report.ratio_interval(Figure(10, 1), Figure(2, 3))
        self.assertEqual(hi, math.inf)
        self.assertAlmostEqual(lo, 9 / 5)

    def test_no_error_gives_no_interval(self):
        self.assertIsNone(report.ratio_interval(Figure(10, None), Figure(20, 2)))

    def test_explicit_interval_wins(self):
        self.assertEqual(Figure(5, lo=4, hi=7).interval(), (4, 7))


class Verdicts(unittest.TestCase):
    def test_met_only_when_the_whole_interval_is_within(self):
        self.assertEqual(report.verdict((0.5, 0.69), 0.7), MET)
        self.assertEqual(report.verdict((0.5, 0.71), 0.7), UNDECIDED)
        self.assertEqual(report.verdict((0.71, 0.9), 0.7), NOT_MET)
        self.assertEqual(report.verdict(None, 0.7), UNDECIDED)

    def test_combine(self):
        self.assertEqual(report.combine([MET, MET]), MET)
        self.assertEqual(report.combine([MET, UNDECIDED]), UNDECIDED)
        self.assertEqual(report.combine([UNDECIDED, NOT_MET, MET]), NOT_MET)
        self.assertEqual(report.combine([]), UNDECIDED)

    def test_rows_of_different_runs_are_not_compared(self):
        r, iv, v, note = report.compare(Figure(10, 0.1, run="a"), Figure(100, 0.1, run="b"), 1.0)
        self.assertEqual((v, note, iv), (UNDECIDED, "different runs", None))

    def test_a_drifting_row_decides_nothing(self):
        a = Figure(10, 0.1, run="a", drift=-0.3)
        self.assertEqual(report.compare(a, Figure(100, 0.1, run="a"), 1.0)[2], UNDECIDED)
        self.assertEqual(report.compare(a, Figure(1, 0.1, run="a"), 1.0)[2], UNDECIDED)
        steady = Figure(10, 0.1, run="a", drift=0.05)
        self.assertEqual(report.compare(steady, Figure(100, 0.1, run="a"), 1.0)[2], MET)


class Drift(unittest.TestCase):
    def test_mean_over_forks_of_half_against_half(self):
        self.assertAlmostEqual(report.drift([[10, 10, 5, 5]]), -5 / 7.5)
        self.assertAlmostEqual(report.drift([[10, 10, 5, 5], [5, 5, 10, 10]]), 0.0)
        self.assertAlmostEqual(report.drift([[4, 100, 6]]), (6 - 4) / (110 / 3))  # odd: the middle is left out

    def test_one_iteration_tells_nothing(self):
        self.assertIsNone(report.drift([[3.0]]))
        self.assertIsNone(report.drift(None))


class Rows(unittest.TestCase):
    def test_a_filtered_run_replaces_only_its_rows_and_keeps_the_others_runs(self):
        old = [entry("ResolveThen.eventual", 30, 1, run="old"), entry("ResolveThen.netty", 20, 1, run="old")]
        run = [{k: v for k, v in entry("ResolveThen.eventual", 25, 1).items() if k not in ("run", "harness")}]
        merged = report.merge(old, run, "new")
        runs = {report.impl_of(e): e["run"] for e in merged}
        self.assertEqual(runs, {"eventual": "new", "netty": "old"})
        self.assertEqual(len(merged), 2)
        table = report.rows_by_scenario(merged)
        ev, netty = table["ResolveThen"][()]["eventual"][0], table["ResolveThen"][()]["netty"][0]
        self.assertEqual(report.compare(ev, netty, 1.3)[3], "different runs")

    def test_rows_of_an_older_harness_are_left_out(self):
        kept, dropped = report.current([entry("Chain.eventual", 1, 1), entry("Chain.netty", 1, 1, harness=None)])
        self.assertEqual((len(kept), dropped), (1, 1))

    def test_per_n_scenarios_are_divided_and_units_converted(self):
        t, b = report.normalise(entry("Timers.eventual", 2.0, 0.5, unit="ms/op", params={"n": "1000"}, alloc=(64000, 100)))
        self.assertAlmostEqual(t.value, 2000.0)
        self.assertAlmostEqual(t.err, 500.0)
        self.assertAlmostEqual(b.value, 64.0)
        self.assertAlmostEqual(b.err, 0.1)
        t, _ = report.normalise(entry("Chain.eventual", 30.0, float("nan"), params={"n": "1000", "source": "pending"}))
        self.assertAlmostEqual(t.value, 30.0)  # already per link (@OperationsPerInvocation)
        self.assertIsNone(t.err)


class Goals(unittest.TestCase):
    def goal_rows(self, entries, node=None):
        lines = report.goals(report.rows_by_scenario(entries), {}, node)
        return {l.split(" | ")[0].lstrip("| "): l for l in lines if l.startswith("| ") and " | " in l}

    def test_met_not_met_and_undecided_from_the_errors(self):
        rows = self.goal_rows([
            entry("ResolveThen.eventual", 30, 1, alloc=(48, 0.0)),
            entry("ResolveThen.completableFuture", 50, 1),   # 0.60x [0.57, 0.63]: at most 0.7x
            entry("ResolveThen.netty", 20, 1),               # 1.50x [1.38, 1.63]: above 1.3x
            entry("ResolveThen.floor", 12, 3),               # 2.50x [1.93, 3.44]: straddles 2.5x
        ])
        self.assertTrue(rows["ResolveThen: at most 0.7x completableFuture"].endswith("| met |"))
        self.assertIn("0.60x [0.57, 0.63]", rows["ResolveThen: at most 0.7x completableFuture"])
        self.assertTrue(rows["ResolveThen: at most 1.3x netty (DefaultPromise on its own loop)"].endswith("| **not met** |"))
        self.assertTrue(rows["ResolveThen: at most 2.5x floor"].endswith("| undecided |"))
        self.assertTrue(rows["ResolveThen: at most 48 B per operation"].endswith("| met |"))
        self.assertTrue(rows["ResolveThen: at most 1.0x vertx"].endswith("not measured | undecided |"))

    def test_a_goal_over_both_peer_columns_needs_both(self):
        rows = self.goal_rows([
            entry("ResolveThen.eventual", 30, 1),
            entry("ResolveThen.guava", 300, 10),
            entry("ResolveThen.guavaDirect", 20, 1),
        ])
        self.assertTrue(rows["ResolveThen: at most 1.0x guava and guavaDirect"].endswith("| **not met** |"))

    def test_node_goal_uses_node_interval_and_run(self):
        entries = [entry("Chain.eventual", 10, 0.5, params={"n": n, "source": s}) for n in ("1000", "100000")
                   for s in ("pending", "resolved")]
        node = {"node": "v20", "run": "r1"}
        for n in ("1000", "100000"):
            for s in ("pending", "resolved"):
                node[f"chain.{s}.{n}.total"] = 40.0
                node[f"chain.{s}.{n}.total.lo"] = 38.0
                node[f"chain.{s}.{n}.total.hi"] = 42.0
        rows = self.goal_rows(entries, node)
        self.assertTrue(rows["Chain n=1,000 and 100,000: at most 0.5x Node.js per link"].endswith("| met |"))
        node["run"] = "other"
        rows = self.goal_rows(entries, node)
        self.assertIn("different runs", rows["Chain n=1,000 and 100,000: at most 0.5x Node.js per link"])
        self.assertTrue(rows["Chain n=1,000 and 100,000: at most 0.5x Node.js per link"].endswith("| undecided |"))

    def test_filtered_run_replaces_only_its_scenarios_node_figures(self):
        old = {"node": "v20", "run": "r1", "chain.pending.1000.total": 40.0, "resolveThen": 60.0, "await": 200.0}
        new = {"node": "v20", "chain.pending.1000.total": 30.0, "resolveThen": 50.0, "await": 210.0}
        node = report.merge_node(old, new, "r2", {"Await", "AwaitFloor"})
        self.assertEqual((node["chain.pending.1000.total"], node["run.chain"]), (40.0, "r1"))
        self.assertEqual((node["resolveThen"], node["run.resolveThen"]), (60.0, "r1"))
        self.assertEqual((node["await"], node["run.await"]), (210.0, "r2"))
        f = report.node_figure("Chain", {"source": "pending", "n": "1000"}, node)
        self.assertEqual((f.value, f.run), (40.0, "r1"))
        again = report.merge_node(node, new, "r3", {"Chain"})
        self.assertEqual((again["chain.pending.1000.total"], again["run.chain"]), (30.0, "r3"))
        self.assertEqual(again["run.await"], "r2")
        first = report.merge_node(None, new, "r4", set())
        self.assertEqual({first[f"run.{g}"] for g in ("chain", "resolveThen", "await")}, {"r4"})


JMH_TEXT = """\
# Benchmark: dev.eventual.bench.Chain.eventual
# Parameters: (n = 1000, source = pending)

# Run progress: 0.00% complete, ETA 00:01:00
# Fork: 1 of 2
# Warmup Iteration   1: 59.123 ns/op
# Warmup Iteration   2: 1,030.5 ns/op
Iteration   1: 30.000 ns/op
                 ·gc.alloc.rate:      1234.5 MB/sec
Iteration   2: 32.000 ns/op

# Run progress: 50.00% complete, ETA 00:00:30
# Fork: 2 of 2
# Warmup Iteration   1: 40.000 ns/op
Iteration   1: ≈ 10⁻⁴ ns/op
Iteration   2: 31.000 ns/op


Result "dev.eventual.bench.Chain.eventual":
  31.0 ±(99.9%) 1.0 ns/op [Average]

# Benchmark: dev.eventual.bench.Chain.floor
# Parameters: (n = 1000, source = pending)
# Fork: 1 of 1
# Warmup Iteration   1: 9.000 ns/op
Iteration   1: 4.000 ns/op
Iteration   2: 4.000 ns/op
Iteration   3: 2.000 ns/op
Iteration   4: 2.000 ns/op
"""


class Warmup(unittest.TestCase):
    def test_parses_every_fork_s_warmup_and_measured_iterations(self):
        parsed = report.parse_jmh_text(JMH_TEXT.splitlines())
        forks = parsed[("dev.eventual.bench.Chain.eventual", "(n = 1000, source = pending)")]
        self.assertEqual(len(forks), 2)
        self.assertEqual(forks[0]["warmup"], [59.123, 1030.5])
        self.assertEqual(forks[0]["measured"], [30.0, 32.0])
        self.assertEqual(forks[1]["warmup"], [40.0])
        self.assertEqual(forks[1]["measured"], [0.0, 31.0])
        self.assertEqual(forks[0]["unit"], "ns/op")

    def test_report_flags_drifting_rows(self):
        lines = report.warmup_report(report.parse_jmh_text(JMH_TEXT.splitlines()))
        self.assertIn("Chain.floor (n = 1000, source = pending)", lines)
        self.assertIn("Chain.floor (n = 1000, source = pending): mean drift -67%", lines[-1])
        self.assertIn("  fork 1: warm-up 9.00 | measured 4.00 4.00 2.00 2.00 ns/op | settle +200%, drift -67%", lines)


class Section(unittest.TestCase):
    def test_rewrites_only_between_the_markers_and_shows_each_row_s_run(self):
        with tempfile.TemporaryDirectory() as d:
            md = os.path.join(d, "B.md")
            report.write_text(md, f"# B\n\nkept above\n{report.BEGIN}\nold\n{report.END}\nkept below\n")
            entries = [entry("ResolveThen.eventual", 30, 1, run="2026-12-03T13:00Z"),
                       entry("ResolveThen.netty", 20, 1, run="2026-12-03T05:02Z")]
            meta = {"2026-12-03T13:00Z": {"mode": "quick", "command": "bench/run --quick ResolveThen.e"},
                    "2026-12-03T05:02Z": {"mode": "full", "command": "bench/run"}}
            out, _ = report.results_section(entries, meta, None, {}, 0)
            report.write_section(md, out)
            text = report.read_text(md)
            self.assertTrue(text.startswith("# B\n\nkept above\n"))
            self.assertTrue(text.endswith(f"{report.END}\nkept below\n"))
            self.assertNotIn("\nold\n", text)
            self.assertIn("| - | netty | 20.0 | 1.00 |  | other run | yes | 2026-12-03T05:02Z |", text)
            self.assertIn("| 2026-12-03T13:00Z | quick | `bench/run --quick ResolveThen.e` |", text)


class Footprint(unittest.TestCase):
    def test_footprint_keeps_its_run(self):
        fp = report.parse_footprint("# run R1\neventual 60.6\nnetty 52.1\n")
        self.assertEqual(fp, {"run": "R1", "eventual": 60.6, "netty": 52.1})
        self.assertIn("60.6 B (run R1) | met |", "\n".join(report.goals({}, fp, None)))
        self.assertIn("63.5 B (run R1) | undecided |", "\n".join(report.goals({}, dict(fp, eventual=63.5), None)))
        self.assertIn("66.0 B (run R1) | **not met** |", "\n".join(report.goals({}, dict(fp, eventual=66.0), None)))
        self.assertIsNone(report.parse_footprint("eventual 60.6\n")["run"])


class AsyncBodies(unittest.TestCase):
    BODIES = "\n".join([
        "# run R1",
        "million.eventual.fast.single awaits 1000000 median_ms 10 min_ms 9 max_ms 12",
        "million.eventual.default.single awaits 1000000 median_ms 8 min_ms 7 max_ms 9",
        "million.node.single awaits 1000000 median_ms 50.0 min_ms 48.0 max_ms 55.0",
        "million.eventual.fast.interleaved awaits 1000000 median_ms 230 min_ms 200 max_ms 260",
        "million.node.interleaved awaits 1000000 median_ms 60.0 min_ms 58.0 max_ms 64.0",
        "footprint.default.eventualTimer 994.3 8",
        "footprint.fast.eventualTimer 1043.0 8",
        "footprint.default.eventual 846.2 8",
        "footprint.fast.eventual 878.5 8",
        "footprint.node.timer 765.6",
    ])

    def test_parse_bodies_gives_ns_per_await_and_bytes(self):
        b = report.parse_bodies(self.BODIES)
        self.assertEqual(b["run"], "R1")
        self.assertEqual(b["million"]["eventual.fast.single"], (10.0, 9.0, 12.0))
        self.assertEqual(b["million"]["node.interleaved"], (60.0, 58.0, 64.0))
        self.assertEqual(b["footprint"]["fast.eventualTimer"], 1043.0)
        self.assertEqual(b["footprint"]["node.timer"], 765.6)

    def test_await_goals_judge_each_figure_with_its_interval(self):
        table = report.rows_by_scenario([
            entry("Await.eventual", 12053, 3170, run="R1"), entry("Await.completableFuture", 13630, 2805, run="R1"),
            entry("Await.eventualFastPath", 227, 32, run="R1"), entry("Await.kotlinCoroutine", 187, 20, run="R1"),
            entry("Await.eventualVirtualLoop", 924, 86, run="R1")])
        node = {"await": 222, "await.lo": 212, "await.hi": 236, "run": "R1"}
        text = "\n".join(report.goals(table, {}, node, report.parse_bodies(self.BODIES)))
        row = lambda start: next(line for line in text.splitlines() if line.startswith("| " + start))
        self.assertIn("**not met**", row("Await, default path (loop on a platform thread): at most 2 us"))
        self.assertIn("| met |", row("Await, no flag, loop run on a virtual thread"))
        self.assertIn("**not met**", row("Await, default path: at most 0.25x"))
        self.assertIn("1.02x [0.83, 1.22] | met |", row("Await, fast path: at most 2x Node"))
        self.assertIn("1.21x [0.94, 1.55] | met |", row("Await, fast path: at most 2x Kotlin"))
        self.assertIn("0.20x [0.16, 0.25] | met |", row("Await: 1,000,000 awaits of a resolved promise in one body"))
        self.assertIn("3.83x [3.12, 4.48] | **not met** |", row("Await: 1,000,000 awaits of a resolved promise in two bodies"))
        self.assertIn("(no goal)", row("Await: the same, single, default path"))
        self.assertIn("undecided", row("Await: at most 1 KB retained per suspended body awaiting its own timer"))
        self.assertIn("| met |", row("Await: at most 1 KB retained per suspended body awaiting one shared"))


class EndToEnd(unittest.TestCase):
    def test_main_merges_tags_and_writes(self):
        with tempfile.TemporaryDirectory() as d:
            run_json = os.path.join(d, "run.json")
            report.save_json(run_json, [{k: v for k, v in entry("ResolveThen.eventual", 30, 1).items() if k not in ("run", "harness")},
                       {k: v for k, v in entry("ResolveThen.netty", 20, 1).items() if k not in ("run", "harness")}])
            md, svg = os.path.join(d, "B.md"), os.path.join(d, "b.svg")
            report.main(["--run-json", run_json, "--run-id", "R", "--mode", "quick", "--command", "c", "--jdk", "j",
                         "--machine", "m", "--load", "1; 2", "--results", d, "--markdown", md, "--svg", svg])
            latest = report.load_json(os.path.join(d, "latest.json"), None)
            self.assertEqual({(e["run"], e["harness"]) for e in latest}, {("R", report.HARNESS)})
            self.assertEqual(report.load_json(os.path.join(d, "latest-meta.json"), None)["runs"]["R"]["load"], "1; 2")
            self.assertIn("1.50x [1.38, 1.63]", report.read_text(md))


if __name__ == "__main__":
    unittest.main()
