#!/usr/bin/python3
"""End-to-end benchmark of floorwatch-bridge asterisk (results in docs/bridge.md).

    bench/bridge_run.py [--copies 1000] [--runs 3] [--build build]

The input is the shared production queue_log (bridge/testdata/asterisk/queue_log) repeated
--copies times, each copy later in time with its own call ids (1,000 copies: 1,000,000
lines, about 560,000 events), written to a temp file. Each run times the bridge process
with --once from start to exit (everything read, mapped, sequenced, sent, and with PUSH
delivered to the peer before it exits):
  pub        --publish tcp://127.0.0.1:* with no subscriber (ZeroMQ drops): the bridge alone
  push       --push to floorwatch-zmq-bench sink (a PULL that only counts)
  push+state the same with --state-dir (every record journaled before it is sent)
  daemon     --push into floorwatchd; until floorwatch_events_applied_total = the events
Prints one JSON object with every run.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_input(path, copies):
    with open(os.path.join(ROOT, "bridge", "testdata", "asterisk", "queue_log")) as f:
        base = f.read().splitlines()
    first, last = int(base[0].split("|")[0]), int(base[-1].split("|")[0])
    span = last - first + 3600
    with open(path, "w") as out:
        for r in range(copies):
            for line in base:
                f = line.split("|")
                f[0] = str(int(f[0]) + r * span)
                if r and f[1] not in ("NONE", "MANAGER"):
                    f[1] = f"r{r}-{f[1]}"
                out.write("|".join(f) + "\n")
    return copies * len(base)


def run_bridge(build, queue_log, *extra):
    started = time.time()
    r = subprocess.run([os.path.join(build, "floorwatch-bridge"), "asterisk", "--queue-log", queue_log, "--once",
                        "--agent-pattern", "([0-9]+)", *extra], capture_output=True, text=True)
    took = time.time() - started
    assert r.returncode == 0, r.stderr
    m = re.search(r"(\d+) records read, (\d+) events sequenced, (\d+) published", r.stderr)
    return took, int(m.group(1)), int(m.group(3))


def sink(build, frames):
    port = free_port()
    p = subprocess.Popen([os.path.join(build, "bench", "floorwatch-zmq-bench"), "sink", f"tcp://127.0.0.1:{port}",
                          str(frames)], stdout=subprocess.PIPE, text=True)
    assert json.loads(p.stdout.readline())["ready"]
    return p, f"tcp://127.0.0.1:{port}"


def daemon_run(build, queue_log, events):
    d = tempfile.mkdtemp(prefix="bridge-bench-daemon-")
    config = os.path.join(d, "c.yaml")
    port = free_port()
    with open(config, "w") as f:
        f.write('http: {listen: "127.0.0.1:0"}\n'
                f'inputs: [{{endpoint: "tcp://127.0.0.1:{port}", socket: pull, mode: bind}}]\n')
    log = open(os.path.join(d, "log"), "w+")
    proc = subprocess.Popen([os.path.join(build, "floorwatchd"), "--config", config], stdout=log, stderr=log)
    http = None
    while http is None:
        time.sleep(0.05)
        log.seek(0)
        m = re.search(r"http listening on \S+:(\d+)", log.read())
        http = m and int(m.group(1))
    started = time.time()
    bridge = subprocess.Popen([os.path.join(build, "floorwatch-bridge"), "asterisk", "--queue-log", queue_log,
                               "--once", "--agent-pattern", "([0-9]+)", "--push", f"tcp://127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    while True:
        with urllib.request.urlopen(f"http://127.0.0.1:{http}/metrics") as r:
            m = re.search(r"^floorwatch_events_received_total (\S+)", r.read().decode(), re.M)
        if m and float(m.group(1)) >= events:
            break
        time.sleep(0.01)
    took = time.time() - started
    bridge.wait()
    proc.terminate()
    proc.wait()
    shutil.rmtree(d, ignore_errors=True)
    return took


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--copies", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="bridge-bench-")
    queue_log = os.path.join(tmp, "queue_log")
    lines = write_input(queue_log, args.copies)
    results = {"lines": lines, "runs": {k: [] for k in ("pub", "push", "push+state", "daemon")}}
    for _ in range(args.runs):
        took, read, events = run_bridge(args.build, queue_log, "--publish", "tcp://127.0.0.1:*")
        results["events"] = events
        results["runs"]["pub"].append(took)
        for name, extra in (("push", []), ("push+state", ["--state-dir", os.path.join(tmp, "state")])):
            shutil.rmtree(os.path.join(tmp, "state"), ignore_errors=True)
            proc, endpoint = sink(args.build, 2 * events)  # [topic, payload] frames
            took, _, _ = run_bridge(args.build, queue_log, "--push", endpoint, *extra)
            proc.wait()
            results["runs"][name].append(took)
        results["runs"]["daemon"].append(daemon_run(args.build, queue_log, events))
    summary = {name: {"median_s": statistics.median(t), "lines_per_s": round(lines / statistics.median(t)),
                      "events_per_s": round(results["events"] / statistics.median(t))}
               for name, t in results["runs"].items()}
    results["summary"] = summary
    json.dump(results, sys.stdout, indent=1)
    print()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
