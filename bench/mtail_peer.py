"""mtail as a peer of floorwatchd (bench/run.py's `mtail` item).

The same N events of the bench stream (floorwatch-zmq-bench publish) are given to both:
floorwatchd receives them over ZeroMQ from the publisher and applies each to its whole state
(every model on); mtail (Debian package `mtail`, `--one_shot`) reads them as a JSON-lines log
file, already in the page cache, and turns each line into per-type and per-queue/channel
counters with the program below. Compared: events turned into metrics per second (wall time)
and CPU per event, whole process. Not compared: what each computes (mtail counts lines that
match two regular expressions; floorwatchd parses and validates every event, tracks every
contact and agent, windows, staffing, prediction, alerts), nor the transport (a socket
against a file read). mtail's start-up (its run on an empty file) is subtracted.
"""

import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

import zmq

from daemon_bench import bench_daemon, free_port, publisher, wait_sending
from table import row

PROGRAM = r"""# Per event type, and per queue and channel for contacts queued: what a log-to-metrics
# tool can count from floorwatch's event stream.
counter floorwatch_events_total by type
counter floorwatch_contacts_queued_total by queue, channel
/"type":"(?P<type>[a-z_.]+)"/ {
  floorwatch_events_total[$type]++
}
/"type":"contact\.queued".*"queue":"(?P<queue>[^"]+)","channel":"(?P<channel>[a-z]+)"/ {
  floorwatch_contacts_queued_total[$queue][$channel]++
}
"""


def capture(build, n, path):
    """The publisher's N events, received by a PULL socket, one a line in `path`."""
    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    port = free_port()
    pull.bind(f"tcp://127.0.0.1:{port}")
    pub = publisher(build, f"tcp://127.0.0.1:{port}", n)
    wait_sending(pub)
    with open(path, "wb") as f:
        for _ in range(n):
            f.write(pull.recv() + b"\n")
    pub.wait()
    pull.close()
    ctx.term()


def run_mtail(prog, log):
    """(wall seconds, CPU seconds, counted events) of one --one_shot run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(["mtail", "--one_shot", "--one_shot_format", "prometheus", "--progs", prog, "--logs", log,
                          "--logtostderr"], capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(f"mtail exited {out.returncode}: {out.stderr.strip()[-300:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    counted = sum(float(m.group(1)) for m in re.finditer(r"^floorwatch_events_total\{[^}]*\} (\S+)$",
                                                         out.stdout, re.M))
    return wall, cpu, counted


def mtail(build, size, got):
    n, rounds = size["mtail"]
    if not shutil.which("mtail"):
        raise RuntimeError("mtail is not installed (tools/setup.sh --test installs it)")
    tmp = tempfile.mkdtemp(prefix="floorwatch-mtail-")
    try:
        prog, log, empty = (os.path.join(tmp, x) for x in ("floorwatch.mtail", "events.jsonl", "empty.jsonl"))
        with open(prog, "w") as f:
            f.write(PROGRAM)
        open(empty, "w").close()
        capture(build, n, log)
        runs = {"mtail": [], "mtail_empty": [], "daemon": []}
        for _ in range(rounds):  # alternating, so both see the same moments of the machine's load
            runs["mtail_empty"].append(run_mtail(prog, empty))
            wall, cpu, counted = run_mtail(prog, log)
            if counted != n:
                raise RuntimeError(f"mtail counted {counted} of {n} events")
            runs["mtail"].append((wall, cpu))
            runs["daemon"].append(bench_daemon(build, n))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    startup = statistics.median(w for w, _, _ in runs["mtail_empty"])
    mtail_rate = statistics.median(n / max(1e-9, w - startup) for w, _ in runs["mtail"])
    mtail_cpu = statistics.median(c for _, c in runs["mtail"]) * 1e6 / n
    daemon_rate = statistics.median(d["events_per_second"] for d in runs["daemon"])
    daemon_cpu = statistics.median(d["cpu_us_per_event"] for d in runs["daemon"])
    raw = {"events": n, "rounds": rounds, "mtail_startup_s": startup, "runs": runs,
           "mtail_lines_per_s": mtail_rate, "mtail_cpu_us_per_line": mtail_cpu}
    per_round = [d["events_per_second"] * max(1e-9, w - startup) / n for d, (w, _) in zip(runs["daemon"], runs["mtail"])]
    raw["round_ratios"] = per_round
    what = f"same {n} events, median of {rounds} alternating rounds; same-round ratios {min(per_round):.2f} - {max(per_round):.2f}"
    return [row(f"floorwatchd applying the bench stream ({what})", daemon_rate, "events/s",
                "mtail counting it from a JSON-lines file (see text)", mtail_rate, "lines/s", source="mtail_peer.py"),
            row("floorwatchd CPU per event, whole process", daemon_cpu, "us", "mtail CPU per line, whole process",
                mtail_cpu, "us", source="mtail_peer.py")], raw
