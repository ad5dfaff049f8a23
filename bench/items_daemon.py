"""The end-to-end items of the whole table (bench/run.py): floorwatchd as a process, fed over
ZeroMQ, read over HTTP. Same shape as items_core.py: (build, size, got) -> (rows, raw).
"""

import argparse
import os
import subprocess
import time

from daemon_bench import Daemon, bench_memory, bench_scrape
from table import row
from throughput import throughput as throughput_rounds

FSYNCS = ("batch", "interval", "never")


def spread(ratios):
    return f"{min(ratios):.2f} - {max(ratios):.2f}"


def throughput(build, size, got, baseline=None):
    args = argparse.Namespace(build=build, events=size["events"], runs=size["runs"], hwm=None, baseline=baseline,
                              journal=True, fsync=",".join(FSYNCS))
    runs, s = throughput_rounds(args)
    n, k = size["events"], size["runs"]
    rows = [row(f"floorwatchd ingest, PUSH/PULL over loopback, every model on ({k} rounds x {n} events, medians; "
                f"same-round ratios {spread(s['daemon_ratios'])})",
                s["daemon_median"], "events/s", "bare ZeroMQ sink, same publisher, same rounds", s["sink_median"],
                "events/s", ">= 1 M events/s and >= 0.7 of the sink",
                lambda v, ratio: v >= 1e6 and ratio >= 0.7, "run.py throughput")]
    for f in FSYNCS:
        rows.append(row(f"durable ingest, `state.fsync: {f}` (same-round ratios {spread(s[f'journaled_{f}_round_ratios'])})", s[f"journaled_{f}_median"], "events/s",
                        "memory-only daemon, same rounds", s["daemon_median"], "events/s", ">= 0.8 of memory-only",
                        lambda v, ratio: ratio >= 0.8, "run.py --journal"))
    if baseline:
        rows.append(row(f"baseline build ({baseline}) ingest", s["baseline_median"], "events/s",
                        "bare ZeroMQ sink, same rounds", s["sink_median"], "events/s", source="run.py --baseline"))
    return rows, {"summary": s, "runs": runs}


def scrape(build, size, got, baseline=None):
    q, c, a, t = size["scrape"]
    s = bench_scrape(build, q, c, a, t, events=size["scrape_events"], scrapes=size["scrapes"])
    where = f"{s['queue_channels']} queue/channels, {a} agents, {s['teams']} teams, {s['series']} series"
    rows = [row(f"/metrics scrape (curl, whole {s['bytes'] / 1e6:.1f} MB body), {where}, median of {size['scrapes']}",
                s["median_ms"], "ms", "the core thread's whole render per scrape (all slices)",
                s["core_render_median_ms"], "ms", "< 50 ms", lambda v, _: v < 50, "run.py --only-scrape"),
            row("core thread's longest pause per scrape (longest slice), median", s["core_pause_median_ms"], "ms",
                "core thread's whole render per scrape (all slices)", s["core_render_median_ms"], "ms", "< 25 ms",
                lambda v, _: v < 25, "run.py --only-scrape")]
    raw = {"scrape": s}
    if baseline:
        b = bench_scrape(baseline, q, c, a, t, events=size["scrape_events"], scrapes=size["scrapes"])
        rows.append(row("/metrics scrape, this build", s["median_ms"], "ms", f"baseline build ({baseline})",
                        b["median_ms"], "ms", source="run.py --baseline"))
        raw["scrape_baseline"] = b
    return rows, raw


def memory(build, size, got):
    m = bench_memory(build, size["waiting"])
    return [row(f"daemon RSS per waiting contact, {m['waiting_contacts']:.0f} waiting (each with a customer)",
                m["bytes_per_waiting_contact"], "B", "target", 160, "B", "<= 160 B (issue 15)",
                lambda v, _: v <= 160, "run.py memory")], m


def outcome_flood(build, size, got):
    """The daemon under test_outcome_flood's flood, at the default outcome limits."""
    customers, closed = size["flood"]
    events = 100 + 2 * (customers - closed) + 4 * closed  # what the publisher sends
    bound = 64 * 2**20 + 48 * 2_000_000 + 96 * 1_000_000  # docs/config.md#limits at the defaults
    d = Daemon(build)
    try:
        subprocess.run([os.path.join(build, "bench", "floorwatch-zmq-bench"), "outcomes", d.endpoint,
                        str(customers), str(closed)], check=True, capture_output=True, timeout=600)
        deadline = time.time() + 600
        while d.metric("floorwatch_events_received_total") < events:
            assert time.time() < deadline, "the flood was not all received"
            time.sleep(0.2)
        rss = d.metric("process_resident_memory_bytes")
        applied = d.metric("floorwatch_events_applied_total")
    finally:
        d.stop()
    raw = {"customers": customers, "closed": closed, "events": events, "applied": applied, "rss_bytes": rss}
    return [row(f"daemon RSS after the outcome flood ({customers} customers, {closed} closed contacts)",
                rss / 2**20, "MiB", "the bound of docs/config.md#limits at the default limits", bound / 2**20,
                "MiB", "< the bound", lambda v, ratio: ratio < 1, "zmq-bench outcomes")], raw
