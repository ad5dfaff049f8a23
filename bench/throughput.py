"""Throughput rounds of bench/run.py: in each round the bare ZeroMQ sink, floorwatchd
memory-only, and (as asked) the baseline build's daemon and the journaled daemon under each
state.fsync setting, all fed by the same publisher one after the other, so every ratio
compares runs of one session on one machine.
"""

import statistics

from daemon_bench import bench_daemon, bench_sink


def throughput(args):
    """Rounds of: bare sink, the daemon (and the baseline build's daemon, the journaled
    daemon), each fed by the same publisher, so every ratio compares runs of one session."""
    runs = {"sink": [], "daemon": []}
    if args.baseline:
        runs["baseline"] = []
    fsyncs = args.fsync.split(",") if args.journal else []
    for f in fsyncs:
        runs[f"journaled_{f}"] = []
    if args.journal and args.baseline:  # the baseline build journaled, with its own defaults
        runs["baseline_journaled"] = []
    for _ in range(args.runs):
        runs["sink"].append(bench_sink(args.build, args.events))
        runs["daemon"].append(bench_daemon(args.build, args.events, args.hwm))
        if args.baseline:
            runs["baseline"].append(bench_daemon(args.build, args.events, args.hwm, daemon_build=args.baseline))
        for f in fsyncs:  # the same round as the memory-only run it is compared with
            runs[f"journaled_{f}"].append(bench_daemon(args.build, args.events, args.hwm, journal=True,
                                                       fsync=f))
        if args.journal and args.baseline:
            runs["baseline_journaled"].append(bench_daemon(args.build, args.events, args.hwm, journal=True,
                                                           daemon_build=args.baseline))
    median = {k: statistics.median(r["events_per_second"] for r in v) for k, v in runs.items()}
    summary = {"sink_median": median["sink"], "daemon_median": median["daemon"],
               "ratio_of_medians": median["daemon"] / median["sink"],
               "daemon_ratios": [d["events_per_second"] / s["events_per_second"]
                                 for d, s in zip(runs["daemon"], runs["sink"])]}
    if args.baseline:
        summary["baseline_median"] = median["baseline"]
        summary["baseline_ratio_of_medians"] = median["baseline"] / median["sink"]
        summary["baseline_ratios"] = [b["events_per_second"] / s["events_per_second"]
                                      for b, s in zip(runs["baseline"], runs["sink"])]
    cpu = {k: statistics.median(r["cpu_us_per_event"] for r in v) for k, v in runs.items() if k != "sink"}
    if fsyncs:
        summary["cpu_us_per_event_median"] = cpu
    for f in fsyncs:
        summary[f"journaled_{f}_median"] = median[f"journaled_{f}"]
        summary[f"journaled_{f}_to_memory_only"] = median[f"journaled_{f}"] / median["daemon"]
        summary[f"journaled_{f}_round_ratios"] = [j["events_per_second"] / d["events_per_second"]
                                                  for j, d in zip(runs[f"journaled_{f}"], runs["daemon"])]
    if args.journal and args.baseline:
        summary["baseline_journaled_to_baseline"] = median["baseline_journaled"] / median["baseline"]
        summary["baseline_journaled_round_ratios"] = [j["events_per_second"] / b["events_per_second"] for j, b in
                                                      zip(runs["baseline_journaled"], runs["baseline"])]
    return runs, summary
