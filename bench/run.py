#!/usr/bin/python3
"""Every figure of docs/performance.md in one run, each against a peer measured in the same run
(or the target it is held to), printed as one table and written as JSON and Markdown with the
machine it ran on.

    bench/run.py [--build build] [--out bench/results/DATE-table] [--only ITEM,...]
    bench/run.py --smoke           # every item tiny (< 60 s); fails unless each figure is
                                   # well-formed and positive (CTest: bench.run_smoke)

The single items, as before (JSON on stdout):
    bench/run.py --only-throughput [--journal --fsync batch,interval,never] [--baseline B] [--out F]
    bench/run.py --only-scrape

Items (ITEMS below; daemon_bench.py, items_*.py, mtail_peer.py say how each measures):
throughput (bare sink, daemon memory-only, journaled under each state.fsync), apply, scrape,
render, memory (daemon), core_memory (core alone, customers, closed contacts), alerts,
durable (restore, snapshots), staffing (and forecast), prediction, alert_latency, accuracy,
bridge, mtail, flood (the daemon's RSS under the outcome flood).
"""

import argparse
import datetime
import json
import os
import sys
import time
import traceback

import items_core
import items_daemon
import items_tools
import mtail_peer
import table
from daemon_bench import bench_scrape
from throughput import throughput

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Sizes of the full table (docs/performance.md's) and of the smoke, which only checks that each
# item runs and gives positive figures.
FULL = {"events": 5_000_000, "runs": 3, "scrape": (2000, 3, 20000, 1000), "scrape_events": 2_000_000, "scrapes": 20,
        "waiting": 1_000_000, "apply": 5_000_000, "render": (2000, 3, 20000), "memory": 1_000_000,
        "customers": 2_000_000, "closed": 1_000_000, "alerts": (2000, 10), "restore": 1_000_000,
        "snapshot": 1_000_000, "staffing_demand": (20, 200), "prediction": (2000, 20000, 50000),
        "alert_rounds": 20, "accuracy": (86400, (1, 2, 3)), "bridge": (1000, 3), "mtail": (1_000_000, 3),
        "flood": (5_000_000, 2_000_000)}
SMOKE = {"events": 20_000, "runs": 1, "scrape": (20, 3, 200, 10), "scrape_events": 20_000, "scrapes": 2,
         "waiting": 10_000, "apply": 20_000, "render": (20, 3, 200), "memory": 10_000, "customers": 10_000,
         "closed": 10_000, "alerts": (500, 10), "restore": 10_000, "snapshot": 10_000, "staffing_demand": (20,),
         "prediction": (20, 200, 500), "alert_rounds": 1, "accuracy": (600, (1,)), "bridge": (2, 1),
         "mtail": (50_000, 1), "flood": (10_000, 5_000)}

# In this order: a row may name a peer from an item before it (apply's is the throughput row).
ITEMS = {"throughput": items_daemon.throughput, "apply": items_core.apply_rate, "scrape": items_daemon.scrape,
         "render": items_core.render, "memory": items_daemon.memory, "core_memory": items_core.memory,
         "alerts": items_core.alerts, "durable": items_core.durable_state, "staffing": items_core.staffing,
         "prediction": items_core.prediction, "alert_latency": items_tools.alert_latency,
         "accuracy": items_tools.accuracy, "bridge": items_tools.bridge, "mtail": mtail_peer.mtail,
         "flood": items_daemon.outcome_flood}
WITH_BASELINE = ("throughput", "scrape")  # items that also measure --baseline's build


def run_items(args, size):
    """Every item in turn; an item that fails is recorded (and fails the run), the rest go on."""
    got, failures = {}, []
    names = args.only.split(",") if args.only else list(ITEMS)
    for name in names:
        started = time.perf_counter()
        print(f"run.py: {name} ...", file=sys.stderr, flush=True)
        extra = {"baseline": args.baseline} if name in WITH_BASELINE and args.baseline else {}
        try:
            rows, raw = ITEMS[name](args.build, size, got, **extra)
            got[name] = {"rows": rows, "raw": raw}
        except Exception as e:  # one item's fault is reported with the others' figures
            traceback.print_exc()
            failures.append(f"{name}: {e}")
            got[name] = {"rows": [], "raw": None, "error": str(e)}
        got[name]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"run.py: {name} took {got[name]['seconds']} s", file=sys.stderr, flush=True)
    return got, failures


def check(got):
    """The smoke's verdict: every item ran and each of its figures is well-formed and positive."""
    problems = []
    for name, item in got.items():
        if not item["rows"] and "error" not in item:
            problems.append(f"{name}: no figures")
        for r in item["rows"]:
            why = table.malformed(r)
            if why:
                problems.append(f"{name}: {r['figure']}: {why}")
    return problems


def write_outputs(out, rows, got, info, command):
    base = out[:-5] if out.endswith(".json") else out[:-3] if out.endswith(".md") else out
    os.makedirs(os.path.dirname(os.path.abspath(base)), exist_ok=True)
    with open(base + ".json", "w") as f:
        json.dump({"machine": info, "command": command, "rows": rows,
                   "items": {k: {"seconds": v["seconds"], "error": v.get("error"), "raw": v["raw"]}
                             for k, v in got.items()}}, f, indent=1)
    with open(base + ".md", "w") as f:
        f.write(table.markdown(rows, info, command))
    return base


def whole_table(args):
    size = dict(SMOKE if args.smoke else FULL)
    if args.events:
        size["events"] = args.events
    if args.runs:
        size["runs"] = args.runs
    info = table.machine()
    got, failures = run_items(args, size)
    table.finish(info)
    rows = [r for item in got.values() for r in item["rows"]]
    print(table.text(rows, info))
    command = "bench/run.py " + " ".join(sys.argv[1:])
    if not args.smoke or args.out:
        date = datetime.date.today().isoformat()
        out = args.out or os.path.join(ROOT, "bench", "results", f"{date}-table")
        print(f"written: {write_outputs(out, rows, got, info, command)}.{{json,md}}")
    problems = failures + (check(got) if args.smoke else [])
    for p in problems:
        print(f"FAILED {p}", file=sys.stderr)
    return 1 if problems else 0


def single_items(args):
    """--only-throughput and --only-scrape, with their JSON on stdout as before the table."""
    args.events = args.events or 5_000_000
    args.runs = args.runs or 3
    results = {"machine": {"nproc": os.cpu_count(), "cpu": table.machine()["cpu"]}}
    if args.only_scrape:
        print(json.dumps({"scrape": bench_scrape(args.build)}, indent=1))
        return 0
    runs, results["throughput_summary"] = throughput(args)
    results.update(runs)
    print(json.dumps(results["throughput_summary"], indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=None, help="events per throughput run (5,000,000)")
    p.add_argument("--build", default="build")
    p.add_argument("--baseline", default=None,
                   help="another build directory whose floorwatchd is measured in the same rounds")
    p.add_argument("--runs", type=int, default=None, help="throughput rounds (3)")
    p.add_argument("--hwm", type=int, default=None, help="the daemon input's rcvhwm (default: the daemon's)")
    p.add_argument("--only-throughput", action="store_true")
    p.add_argument("--only-scrape", action="store_true", help="only the /metrics scrape")
    p.add_argument("--journal", action="store_true",
                   help="with --only-throughput: also run the daemon with state.dir (journal + snapshots) each round")
    p.add_argument("--out", default=None, help="the table's files (PATH.json, PATH.md); with --only-throughput: "
                   "also write every run to this JSON file")
    p.add_argument("--fsync", default="interval",
                   help="with --journal: the state.fsync settings to run, comma-separated, each in every round "
                        "(batch,interval,never)")
    p.add_argument("--smoke", action="store_true", help="every item tiny; fail unless every figure is positive")
    p.add_argument("--only", default=None, help=f"the table's items to run, comma-separated ({','.join(ITEMS)})")
    args = p.parse_args()
    args.build = os.path.abspath(args.build)
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
    if args.only and not set(args.only.split(",")) <= set(ITEMS):
        p.error(f"--only: items are {','.join(ITEMS)}")
    if args.only_throughput or args.only_scrape:
        return single_items(args)
    return whole_table(args)


if __name__ == "__main__":
    sys.exit(main())
